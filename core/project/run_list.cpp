#include "project/run_list.h"

#include "project/metrics_log.h"
#include "project/project.h"
#include "project/run_claim.h"

#include <algorithm>
#include <ctime>
#include <regex>

namespace gps::project {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::system_clock;

namespace {

// The start time and "-n" of a folder named `<stem>-YYYYMMDD-HHMMSS[-n]`.
bool parseRunName(const std::string& name, system_clock::time_point& start, int& sequence) {
    static const std::regex pattern(
        R"(^.*-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?$)");
    std::smatch m;
    if (!std::regex_match(name, m, pattern))
        return false;
    std::tm local{};
    local.tm_year = std::stoi(m[1]) - 1900;
    local.tm_mon = std::stoi(m[2]) - 1;
    local.tm_mday = std::stoi(m[3]);
    local.tm_hour = std::stoi(m[4]);
    local.tm_min = std::stoi(m[5]);
    local.tm_sec = std::stoi(m[6]);
    local.tm_isdst = -1;
    const std::time_t seconds = std::mktime(&local);
    if (seconds == std::time_t(-1))
        return false;
    start = system_clock::from_time_t(seconds);
    sequence = m[7].matched ? std::stoi(m[7]) : 1;
    return true;
}

std::optional<double> number(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_number())
        return it->get<double>();
    return std::nullopt;
}

// A string field, "" when absent or of another type (a summary edited by hand must not throw).
std::string text(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void keepMax(std::optional<double>& best, const std::optional<double>& value) {
    if (value && (!best || *value > *best))
        best = value;
}

// The summary's numbers; what it does not hold (or what an older studio did not write) comes
// from metrics.jsonl, read only when needed.
void takeNumbers(RunInfo& info) {
    const json empty = json::object();
    const json& summary = info.summary ? *info.summary : empty;
    info.bestLinearProbe = number(summary, "best_linear_probe_acc");
    info.bestKnn = number(summary, "best_knn_acc");
    info.epochsDone = int(number(summary, "epochs").value_or(0));
    info.imagesPerSecond = number(summary, "images_per_second");
    info.device = text(summary, "device");
    const bool complete = summary.contains("best_linear_probe_acc") &&
                          summary.contains("best_knn_acc") && summary.contains("epochs");
    if (complete)
        return;
    auto log = readMetrics(info.dir.metricsFile());
    if (!log) {
        if (log.error().code != ErrorCode::NotFound)
            info.warnings.push_back(log.error().message);
        return;
    }
    const MetricsDigest digest = digestMetrics(log->lines);
    if (!summary.contains("best_linear_probe_acc"))
        info.bestLinearProbe = digest.bestLinearProbe;
    if (!summary.contains("best_knn_acc"))
        info.bestKnn = digest.bestKnn;
    if (!summary.contains("epochs"))
        info.epochsDone = digest.epochsDone;
    if (!info.imagesPerSecond)
        info.imagesPerSecond = digest.imagesPerSecond;
}

} // namespace

const char* runStateName(RunState state) {
    switch (state) {
    case RunState::Running:
        return "running";
    case RunState::Finished:
        return "finished";
    case RunState::Stopped:
        return "stopped";
    case RunState::Failed:
        return "failed";
    case RunState::Crashed:
        return "crashed";
    }
    return "crashed";
}

RunState runState(bool lockHeld, const std::optional<json>& summary) {
    if (lockHeld)
        return RunState::Running;
    if (!summary)
        return RunState::Crashed;
    const std::string state = text(*summary, "state");
    if (state == "failed")
        return RunState::Failed;
    const auto stopped = summary->find("stopped");
    if (state == "stopped" || (stopped != summary->end() && *stopped == true))
        return RunState::Stopped;
    return RunState::Finished;
}

MetricsDigest digestMetrics(const std::vector<json>& lines) {
    MetricsDigest digest;
    for (const json& line : lines) {
        keepMax(digest.bestLinearProbe, number(line, "linear_probe_acc"));
        keepMax(digest.bestKnn, number(line, "knn_acc"));
        if (line.contains("epoch_loss"))
            digest.epochsDone = int(number(line, "epoch").value_or(digest.epochsDone));
        if (const auto rate = number(line, "images_per_second"))
            digest.imagesPerSecond = rate;
    }
    return digest;
}

RunInfo readRunInfo(const fs::path& dir) {
    RunInfo info;
    info.dir = RunDir{dir};
    info.name = dir.filename().string();
    std::error_code ec;
    if (!parseRunName(info.name, info.start, info.sequence)) {
        const fs::path stamped = fs::exists(info.dir.projectFile(), ec) ? info.dir.projectFile()
                                                                        : info.dir.metricsFile();
        const auto written = fs::last_write_time(stamped, ec);
        if (!ec)
            info.start = std::chrono::time_point_cast<system_clock::duration>(
                std::chrono::file_clock::to_sys(written));
    }
    auto summary = readSummary(dir);
    if (summary) {
        info.summary = std::move(*summary);
        info.error = text(*info.summary, "error");
    } else if (summary.error().code != ErrorCode::NotFound) {
        info.warnings.push_back(summary.error().message);
    }
    info.state = runState(runLockHolder(dir).has_value(), info.summary);
    if (fs::exists(info.dir.projectFile(), ec)) {
        if (auto project = loadProject(info.dir.projectFile()))
            info.project = std::make_shared<const Project>(std::move(*project));
        else
            info.warnings.push_back(project.error().message);
    }
    if (auto meta = readRunMeta(dir))
        info.meta = std::move(*meta);
    else
        info.warnings.push_back(meta.error().message);
    takeNumbers(info);
    return info;
}

std::vector<RunInfo> listRuns(const fs::path& projectDir) {
    std::vector<RunInfo> runs;
    std::error_code ec;
    const fs::path folder = runsFolder(projectDir);
    if (!fs::is_directory(folder, ec))
        return runs;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
        const RunDir dir{entry.path()};
        if (!entry.is_directory(ec) ||
            (!fs::exists(dir.projectFile(), ec) && !fs::exists(dir.metricsFile(), ec)))
            continue;
        runs.push_back(readRunInfo(entry.path()));
    }
    std::sort(runs.begin(), runs.end(), [](const RunInfo& a, const RunInfo& b) {
        if (a.start != b.start)
            return a.start > b.start;
        if (a.sequence != b.sequence)
            return a.sequence > b.sequence;
        return a.name > b.name;
    });
    return runs;
}

} // namespace gps::project
