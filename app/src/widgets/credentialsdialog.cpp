#include "widgets/credentialsdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lambdesk::app {

CredentialsDialog::CredentialsDialog(const QStringList &configureLines, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Lambda API credentials"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(QStringLiteral("The Lambda API checks SigV4 signatures against this data directory's "
                                            "key pair. Run these lines once, then call it with the AWS CLI or "
                                            "SDK profile \"lambdesk\":"),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    const QString text = configureLines.join(QLatin1Char('\n'));
    auto *lines = new QPlainTextEdit(text, this);
    lines->setObjectName(QStringLiteral("configureLines"));
    lines->setReadOnly(true);
    lines->setLineWrapMode(QPlainTextEdit::NoWrap);
    lines->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const QFontMetrics metrics(lines->font());
    int widest = 0;
    for (const QString &line : configureLines)
        widest = std::max(widest, metrics.horizontalAdvance(line));
    lines->setMinimumWidth(std::min(widest + 40, 1100));
    lines->setFixedHeight(metrics.lineSpacing() * (static_cast<int>(configureLines.size()) + 1) + 16);
    layout->addWidget(lines);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *copy = buttons->addButton(QStringLiteral("Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyCredentials"));
    connect(copy, &QPushButton::clicked, this, [copy, text] {
        QApplication::clipboard()->setText(text);
        copy->setText(QStringLiteral("Copied"));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace lambdesk::app
