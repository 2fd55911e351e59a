#pragma once
/// Times as text for file names, logs and metadata: one strftime wrapper instead of one per file.

#include <ctime>
#include <string>

namespace gps {

/// `time` in local time, formatted with strftime's `format` (e.g. "%Y-%m-%d %H:%M:%S").
std::string localTimeText(std::time_t time, const char* format);

/// `time` in UTC, formatted with strftime's `format` (e.g. "%Y-%m-%dT%H:%M:%SZ").
std::string utcTimeText(std::time_t time, const char* format);

} // namespace gps
