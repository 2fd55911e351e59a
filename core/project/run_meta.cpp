#include "project/run_meta.h"

#include "common/file_io.h"
#include "project/run_dir.h"

#include <nlohmann/json.hpp>

namespace gps::project {

namespace fs = std::filesystem;
using nlohmann::json;

Result<RunMeta> readRunMeta(const fs::path& runDir) {
    const fs::path file = RunDir{runDir}.metaFile();
    std::error_code ec;
    if (!fs::exists(file, ec))
        return RunMeta{};
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    const json document = json::parse(bytes->begin(), bytes->end(), nullptr, false);
    if (document.is_discarded() || !document.is_object())
        return makeError(ErrorCode::InvalidInput, file.string() + ": not a JSON object");
    RunMeta meta;
    for (auto [key, into] : {std::pair{"name", &meta.name}, std::pair{"note", &meta.note}}) {
        const auto it = document.find(key);
        if (it == document.end() || it->is_null())
            continue;
        if (!it->is_string())
            return makeError(ErrorCode::InvalidInput,
                             file.string() + ": \"" + key + "\" must be a string");
        *into = it->get<std::string>();
    }
    return meta;
}

Status writeRunMeta(const fs::path& runDir, const RunMeta& meta) {
    const json document{{"name", meta.name}, {"note", meta.note}};
    return writeFileAtomic(RunDir{runDir}.metaFile(), document.dump(2) + "\n");
}

} // namespace gps::project
