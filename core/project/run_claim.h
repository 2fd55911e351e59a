#pragma once
/// Claiming a run folder for one run: an exclusive lock held for the run's lifetime, so two runs
/// (two `train --run-dir D`, a `train --resume D` beside a live run, the studio and the CLI) never
/// write one folder at once. The lock is `flock` on the folder's `.lock` file: the kernel drops it
/// when the process ends in any way (kill -9 included), so a folder whose lock nobody holds and
/// that has no summary belongs to a run that crashed, not to a running one.

#include "common/result.h"
#include "project/run_dir.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gps::project {

/// The held lock of one run folder; released by the destructor (or by the process ending).
/// Move-only. The `.lock` file names the holder: "pid PID on HOST since TIME".
class RunLock {
public:
    /// InvalidInput naming the folder and the holder when another process, or another RunLock
    /// of this process, holds it; Io when the lock file cannot be made.
    static Result<RunLock> acquire(const std::filesystem::path& dir);
    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&& other) noexcept;
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    ~RunLock();

private:
    explicit RunLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

/// "pid PID on HOST since TIME" when a live process holds `dir`'s lock; nullopt when none does
/// (no run, a finished one, or one that crashed).
std::optional<std::string> runLockHolder(const std::filesystem::path& dir);

/// A run folder claimed for one run, with what the claim did that the user should read.
struct ClaimedRunDir {
    RunDir dir;
    RunLock lock;
    std::vector<std::string> messages; ///< e.g. the leftovers of a failed start were cleared
};

/// A new folder `<projectDir>/runs/<stem>-<timestamp>` (createRunDir), locked.
Result<ClaimedRunDir>
claimNewRunDir(const std::filesystem::path& projectDir, const std::string& name,
               std::chrono::system_clock::time_point start = std::chrono::system_clock::now());

/// An explicit folder for a new run (`--run-dir DIR`), created when missing and locked. A folder
/// holding a checkpoint is refused (InvalidInput: resume it, or choose another folder); the
/// leftovers of a run that never reached its first checkpoint (project.json, metrics.jsonl,
/// log.txt, a failed run's summary.json) are removed, since such a run cannot be resumed, and the
/// folder is reused.
Result<ClaimedRunDir> claimRunDirAt(const std::filesystem::path& dir);

/// An existing run to resume, locked. NotFound as openRunDir; InvalidInput when the run has no
/// checkpoint ("stopped before its first checkpoint: start it again with --run-dir DIR").
Result<ClaimedRunDir> claimRunDirForResume(const std::filesystem::path& dir);

} // namespace gps::project
