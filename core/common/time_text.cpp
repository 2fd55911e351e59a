#include "common/time_text.h"

namespace gps {

namespace {

std::string format(const std::tm& fields, const char* pattern) {
    char text[64];
    const std::size_t length = std::strftime(text, sizeof text, pattern, &fields);
    return std::string(text, length);
}

} // namespace

std::string localTimeText(std::time_t time, const char* pattern) {
    std::tm local{};
    localtime_r(&time, &local);
    return format(local, pattern);
}

std::string utcTimeText(std::time_t time, const char* pattern) {
    std::tm utc{};
    gmtime_r(&time, &utc);
    return format(utc, pattern);
}

} // namespace gps
