#include "format.h"

#include "lambdesk/engine/validation.h"

#include <QDateTime>
#include <QLocale>
#include <QStringList>

namespace lambdesk::app {

QString relativeTime(std::int64_t epochMs, std::int64_t nowMs)
{
    if (epochMs <= 0)
        return QStringLiteral("-");
    const std::int64_t seconds = std::max<std::int64_t>(0, (nowMs - epochMs) / 1000);
    auto ago = [](std::int64_t n, const char *unit) {
        return QStringLiteral("%1 %2%3 ago").arg(n).arg(QLatin1String(unit)).arg(n == 1 ? "" : "s");
    };
    if (seconds < 45)
        return QStringLiteral("just now");
    if (seconds < 3600)
        return ago(std::max<std::int64_t>(1, (seconds + 30) / 60), "minute");
    if (seconds < 86400)
        return ago(seconds / 3600, "hour");
    if (seconds < 86400 * 30)
        return ago(seconds / 86400, "day");
    if (seconds < 86400 * 365)
        return ago(seconds / (86400 * 30), "month");
    return ago(seconds / (86400 * 365), "year");
}

QString relativeTime(std::int64_t epochMs)
{
    return relativeTime(epochMs, QDateTime::currentMSecsSinceEpoch());
}

QString byteSize(std::int64_t bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 byte").arg(bytes);
    const double kb = double(bytes) / 1024.0;
    if (kb < 1024.0)
        return QStringLiteral("%1 kB").arg(kb, 0, 'f', 1);
    const double mb = kb / 1024.0;
    if (mb < 1024.0)
        return QStringLiteral("%1 MB").arg(mb, 0, 'f', 1);
    return QStringLiteral("%1 GB").arg(mb / 1024.0, 0, 'f', 1);
}

QString linkHtml(const QString &url)
{
    const QString escaped = url.toHtmlEscaped();
    return QStringLiteral("<a href=\"%1\">%1</a>").arg(escaped);
}

QString commaList(const std::vector<std::string> &items)
{
    QStringList list;
    for (const std::string &item : items)
        list << QString::fromStdString(item);
    return list.isEmpty() ? QStringLiteral("-") : list.join(QStringLiteral(", "));
}

QString milliseconds(double ms)
{
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', 2);
}

QString megabytes(int mb)
{
    return QStringLiteral("%1 MB").arg(mb);
}

QString timestamp(std::int64_t epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString runtimeFamily(const QString &runtimeId)
{
    for (const char *family : {"python", "nodejs", "ruby", "java", "provided"}) {
        if (runtimeId.startsWith(QLatin1String(family)))
            return QLatin1String(family);
    }
    return runtimeId;
}

QString minutesSeconds(int seconds)
{
    return QStringLiteral("%1 min %2 sec").arg(seconds / 60).arg(seconds % 60);
}

QString durationInWords(int seconds)
{
    if (seconds >= 60 && seconds % 60 == 0) {
        const int minutes = seconds / 60;
        return minutes == 1 ? QStringLiteral("1 minute")
                            : QStringLiteral("%1 minutes").arg(minutes);
    }
    return seconds == 1 ? QStringLiteral("1 second") : QStringLiteral("%1 seconds").arg(seconds);
}

QString timeoutRangeInWords()
{
    return QStringLiteral("between %1 and %2")
        .arg(durationInWords(engine::kMinTimeoutSeconds),
             durationInWords(engine::kMaxTimeoutSeconds));
}

} // namespace lambdesk::app
