#include "common/check.h"

#include <filesystem>

namespace gps {

void throwCheckFailure(const char* file, int line, const char* condition,
                       const std::string& message) {
    std::ostringstream out;
    out << std::filesystem::path(file).filename().string() << ':' << line << ": check '"
        << condition << "' failed: " << message;
    throw CheckFailure(out.str());
}

} // namespace gps
