#pragma once
// How the console writes values: "3 minutes ago", "1.2 kB", "12.34 ms". Pure functions.

#include <QString>
#include <cstdint>
#include <string>
#include <vector>

namespace lambdesk::app {

QString relativeTime(std::int64_t epochMs, std::int64_t nowMs);
QString relativeTime(std::int64_t epochMs); // against the current time
QString byteSize(std::int64_t bytes);
QString milliseconds(double ms);              // "12.34 ms"
QString megabytes(int mb);                    // "128 MB"
QString timestamp(std::int64_t epochMs);      // local "2026-11-25 15:39:06"
QString commaList(const std::vector<std::string> &items); // "python3.12, python3.11", or "-"
QString linkHtml(const QString &url); // <a href="url">url</a>, escaped, for a rich-text QLabel
// Runtime family used for starter code and handler defaults: "python", "nodejs", "provided", or
// the id itself for anything else.
QString runtimeFamily(const QString &runtimeId);
// A bare timeout as the console writes it: "0 min 3 sec".
QString minutesSeconds(int seconds);
QString durationInWords(int seconds); // "1 second", "15 minutes", "90 seconds"
QString timeoutRangeInWords();        // the engine's limits: "between 1 second and 15 minutes"

} // namespace lambdesk::app
