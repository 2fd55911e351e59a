#pragma once
/// GPS_CHECK(cond, msg): precondition check that throws gps::CheckFailure with file and line.
/// For programming errors only; expected failures (bad files, bad input) return Result<T>.

#include <sstream>
#include <stdexcept>
#include <string>

namespace gps {

class CheckFailure : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

[[noreturn]] void throwCheckFailure(const char* file, int line, const char* condition,
                                    const std::string& message);

} // namespace gps

#define GPS_CHECK(cond, msg)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::ostringstream gps_check_stream_;                                                  \
            gps_check_stream_ << msg;                                                              \
            ::gps::throwCheckFailure(__FILE__, __LINE__, #cond, gps_check_stream_.str());          \
        }                                                                                          \
    } while (false)
