#pragma once
/// metrics.jsonl of a run folder (run_dir.h): one JSON object per line, each with `epoch`,
/// `step` and the values logged then (loss, lr, online_probe_acc; linear_probe_acc and
/// knn_acc at evaluation points). Appended and flushed line by line, so a crash loses at most
/// the line being written, and a reader tolerates exactly that: a last line cut short.

#include "common/result.h"
#include "train/observer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gps::project {

/// The metrics line of a step: epoch, step, fractional epochs, time, loss, lr, images/s, the
/// data-wait share, the online probe's accuracy (once it has one) and the method's loss parts.
/// The run's file and the window's live curves are both made from it (report::RunCurves::add).
nlohmann::json stepMetricsLine(const train::StepMetrics& metrics);
/// The line of an evaluation (linear_probe_acc, knn_acc, online_probe_test_acc as measured), or
/// with `ofPrior` the prior baseline (epoch and step 0, prior_linear_probe_acc, prior_knn_acc).
nlohmann::json evalMetricsLine(const train::EvalMetrics& metrics);

/// Appends lines to one metrics file. Not thread-safe: one writer per file, used by one thread.
class MetricsWriter {
public:
    /// Opens `file` for appending, creating it when missing (resume continues the same file).
    /// A last line cut short by a crash is removed first, so the next line starts clean. With
    /// `keepThroughStep`, lines whose `step` is larger are removed too (rewritten atomically):
    /// a resumed run logs those steps again. Io naming the file when it cannot be opened.
    static Result<MetricsWriter> open(const std::filesystem::path& file,
                                      std::optional<std::int64_t> keepThroughStep = {});

    /// Writes `object` (a JSON object, GPS_CHECK) as one line and flushes it to the OS.
    /// Io naming the file when the write fails (full disk).
    Status append(const nlohmann::json& object);

    const std::filesystem::path& file() const { return m_file; }

private:
    struct Closer {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    MetricsWriter(std::filesystem::path file, std::FILE* handle)
        : m_file(std::move(file)), m_handle(handle) {}
    std::filesystem::path m_file;
    std::unique_ptr<std::FILE, Closer> m_handle;
};

struct MetricsLog {
    std::vector<nlohmann::json> lines; ///< one JSON object per non-blank line, in file order
    std::vector<std::string> warnings; ///< e.g. the last line was cut short and is ignored
};

/// Reads a metrics file. NotFound naming the file; InvalidInput "FILE: line N: ..." for a line
/// that is not a JSON object, except a last line without its newline (a run killed mid-write),
/// which is skipped with a warning. Blank lines are skipped.
Result<MetricsLog> readMetrics(const std::filesystem::path& file);

/// Follows a metrics file that another writer appends to (a run in another process, or on a
/// shared disk): each poll() returns the complete lines added since the last one. Reads only what
/// is new; a line still being written waits for the next poll. One thread at a time.
class MetricsTail {
public:
    explicit MetricsTail(std::filesystem::path file);

    struct Update {
        std::vector<nlohmann::json> lines; ///< the complete new lines, in file order
        /// The file was replaced or cut (a resumed run rewrites it): `lines` start from its
        /// beginning, and what was read before is to be dropped.
        bool restarted = false;
        std::vector<std::string> warnings; ///< "FILE: line N: …; skipped" for unreadable lines
    };
    /// NotFound while the file does not exist (the run has not logged yet); Io naming the file.
    Result<Update> poll();
    const std::filesystem::path& file() const { return m_file; }

private:
    std::filesystem::path m_file;
    std::uintmax_t m_inode = 0;
    std::uintmax_t m_offset = 0;
    std::size_t m_lineNumber = 0;
};

} // namespace gps::project
