#pragma once
/// What the user says about a run: `run.json` in its folder, {"name": "…", "note": "…"}.
/// The run itself never writes it, so renaming a run or noting something about it touches no
/// file the run made, and a run that is still training can be renamed.

#include "common/result.h"

#include <filesystem>
#include <string>

namespace gps::project {

struct RunMeta {
    std::string name; ///< display name; "" = the folder's name
    std::string note; ///< free text, several lines allowed
    bool operator==(const RunMeta&) const = default;
};

/// Reads run.json: an empty RunMeta when the file does not exist; InvalidInput naming the file
/// when it is not a JSON object or "name"/"note" is not a string (other keys are ignored).
Result<RunMeta> readRunMeta(const std::filesystem::path& runDir);

/// Writes run.json atomically (temp file, fsync, rename); Io naming the file on failure.
Status writeRunMeta(const std::filesystem::path& runDir, const RunMeta& meta);

} // namespace gps::project
