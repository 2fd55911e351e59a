#include "data/class_names.h"

#include <cctype>
#include <fstream>

namespace gps::data {

std::vector<std::string> numberedClassNames(int count) {
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i)
        names.push_back(std::to_string(i));
    return names;
}

Result<std::vector<std::string>> readClassNamesFile(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        return makeError(ErrorCode::NotFound, file.string() + ": cannot open class-name file");
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.pop_back();
        if (!line.empty())
            names.push_back(line);
    }
    return names;
}

} // namespace gps::data
