#include "project/run_dir.h"

#include "common/file_io.h"
#include "common/npy.h"
#include "common/time_text.h"
#include "project/project.h"
#include "project/project_read.h"

#include <algorithm>
#include <cstring>
#include <ctime>

namespace gps::project {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::system_clock;

namespace {

std::string timestamp(system_clock::time_point time) {
    return localTimeText(system_clock::to_time_t(time), "%Y%m%d-%H%M%S");
}

Error ioError(const fs::path& path, const std::string& what, const std::error_code& ec) {
    return makeError(ErrorCode::Io, path.string() + ": " + what + ": " + ec.message());
}

Status writeJson(const fs::path& file, const json& value) {
    return writeFileAtomic(file, value.dump(2) + "\n");
}

} // namespace

fs::path runsFolder(const fs::path& projectDir) {
    return projectDir / "runs";
}

fs::path projectFolder(const Project& project) {
    std::error_code ec;
    if (project.file.empty())
        return fs::current_path(ec);
    return fs::absolute(project.file, ec).lexically_normal().parent_path();
}

std::string runFolderStem(const std::string& name) {
    std::string stem = name;
    for (char& c : stem) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        if (!safe)
            c = '-';
    }
    if (stem.find_first_not_of('.') == std::string::npos)
        stem = "run";
    return stem;
}

Result<RunDir> createRunDir(const fs::path& projectDir, const std::string& name,
                            system_clock::time_point start) {
    const fs::path runs = runsFolder(projectDir);
    std::error_code ec;
    fs::create_directories(runs, ec);
    if (ec)
        return ioError(runs, "cannot create the runs folder", ec);
    const std::string stem = runFolderStem(name) + "-" + timestamp(start);
    for (int n = 1; n <= 10000; ++n) {
        const fs::path dir = runs / (n == 1 ? stem : stem + "-" + std::to_string(n));
        // Creating the folder is the claim: a folder that exists (another run) returns false.
        if (fs::create_directory(dir, ec))
            return RunDir{dir};
        if (ec)
            return ioError(dir, "cannot create the run folder", ec);
    }
    return makeError(ErrorCode::Io, (runs / stem).string() + ": 10000 runs already started "
                                                             "in this second");
}

Result<RunDir> openRunDir(const fs::path& dir) {
    const RunDir run{dir};
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return makeError(ErrorCode::NotFound, dir.string() + ": no such run folder");
    if (!fs::is_regular_file(run.projectFile(), ec))
        return makeError(ErrorCode::NotFound,
                         dir.string() + ": no project.json (not a run folder of the studio)");
    return run;
}

Status writeProjectSnapshot(const RunDir& run, const Project& project) {
    return saveProject(project, run.projectFile());
}

Status writeBackboneSettings(const fs::path& dir, int inputSize, int inputChannels,
                             const std::vector<float>& mean, const std::vector<float>& std) {
    nlohmann::ordered_json settings{{"input_size", inputSize}, {"input_channels", inputChannels}};
    settings["mean"] = nlohmann::ordered_json::array();
    settings["std"] = nlohmann::ordered_json::array();
    for (float v : mean)
        settings["mean"].push_back(detail::floatForJson(v));
    for (float v : std)
        settings["std"].push_back(detail::floatForJson(v));
    return writeFileAtomic(RunDir{dir}.backboneSettingsFile(), settings.dump(2) + "\n");
}

Status writeSummary(const RunDir& run, const json& summary) {
    return writeJson(run.summaryFile(), summary);
}

Result<json> readSummary(const fs::path& runDir) {
    const fs::path file = RunDir{runDir}.summaryFile();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return makeError(ErrorCode::NotFound, file.string() + ": no such file (the run has not "
                                                              "finished)");
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    json summary = json::parse(bytes->begin(), bytes->end(), nullptr, false);
    if (summary.is_discarded() || !summary.is_object())
        return makeError(ErrorCode::InvalidInput, file.string() + ": not a JSON object");
    return summary;
}

Status writeEmbeddings(const fs::path& file, const priors::Embedding& embedding) {
    return writeNpy(file, "<f4", {embedding.rows, embedding.dim}, embedding.values.data());
}

Result<priors::Embedding> readEmbeddings(const fs::path& file) {
    auto array = readNpy(file);
    if (!array)
        return array.error();
    if (array->dtype != "<f4" || array->shape.size() != 2)
        return makeError(ErrorCode::InvalidInput,
                         file.string() + ": expected a 2-D float32 (<f4) array, found " +
                             array->dtype + " with " + std::to_string(array->shape.size()) +
                             " dimensions");
    priors::Embedding embedding{array->shape[0], array->shape[1],
                                std::vector<float>(array->count())};
    std::memcpy(embedding.values.data(), array->bytes.data(), array->bytes.size());
    return embedding;
}

} // namespace gps::project
