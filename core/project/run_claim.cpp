#include "project/run_claim.h"

#include "common/time_text.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

namespace gps::project {

namespace fs = std::filesystem;

namespace {

fs::path lockFile(const fs::path& dir) {
    return dir / ".lock";
}

std::string holderText() {
    char host[256] = "unknown host";
    ::gethostname(host, sizeof host - 1);
    return "pid " + std::to_string(::getpid()) + " on " + host + " since " +
           localTimeText(std::time(nullptr), "%Y-%m-%d %H:%M:%S");
}

std::string readHolder(int fd) {
    char text[512] = {};
    const ssize_t got = ::pread(fd, text, sizeof text - 1, 0);
    std::string holder(text, got > 0 ? static_cast<std::size_t>(got) : 0);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0'))
        holder.pop_back();
    return holder.empty() ? "another run" : holder;
}

Error busy(const fs::path& dir, const std::string& holder) {
    return makeError(ErrorCode::InvalidInput,
                     dir.string() + ": another run is using this folder (" + holder +
                         "); wait for it to end, stop it, or choose another folder");
}

/// Files a run writes before its first checkpoint.
bool startedButNeverCheckpointed(const RunDir& run) {
    std::error_code ec;
    return !fs::exists(run.checkpointFile(), ec) &&
           (fs::exists(run.projectFile(), ec) || fs::exists(run.metricsFile(), ec));
}

} // namespace

Result<RunLock> RunLock::acquire(const fs::path& dir) {
    const fs::path file = lockFile(dir);
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return makeError(ErrorCode::Io, file.string() + ": cannot create the run's lock file: " +
                                            std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        const std::string holder = readHolder(fd);
        ::close(fd);
        if (error == EWOULDBLOCK)
            return busy(dir, holder);
        return makeError(ErrorCode::Io,
                         file.string() + ": cannot lock the run folder: " + std::strerror(error));
    }
    const std::string text = holderText() + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) < 0) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        return makeError(ErrorCode::Io, file.string() + ": cannot write: " + reason);
    }
    return RunLock(fd);
}

RunLock::RunLock(RunLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

RunLock::~RunLock() {
    if (m_fd >= 0)
        ::close(m_fd); // closing the last descriptor releases the flock
}

std::optional<std::string> runLockHolder(const fs::path& dir) {
    const int fd = ::open(lockFile(dir).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::optional<std::string> holder;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
        holder = readHolder(fd);
    ::close(fd); // releases the shared lock if it was taken
    return holder;
}

Result<ClaimedRunDir> claimNewRunDir(const fs::path& projectDir, const std::string& name,
                                     std::chrono::system_clock::time_point start) {
    auto run = createRunDir(projectDir, name, start);
    if (!run)
        return run.error();
    auto lock = RunLock::acquire(run->path);
    if (!lock)
        return lock.error();
    return ClaimedRunDir{*run, std::move(*lock), {}};
}

Result<ClaimedRunDir> claimRunDirAt(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir, ec))
        return makeError(ErrorCode::Io, dir.string() + ": cannot create the run folder" +
                                            (ec ? ": " + ec.message() : std::string()));
    // Lock first: what the folder holds is only looked at, or cleared, while no one else runs.
    auto lock = RunLock::acquire(dir);
    if (!lock)
        return lock.error();
    ClaimedRunDir claimed{RunDir{dir}, std::move(*lock), {}};
    const RunDir& run = claimed.dir;
    if (fs::exists(run.checkpointFile(), ec))
        return makeError(ErrorCode::InvalidInput,
                         dir.string() + ": already holds a run (resume it, or choose another "
                                        "folder)");
    if (startedButNeverCheckpointed(run)) {
        for (const fs::path& file :
             {run.projectFile(), run.metricsFile(), run.logFile(), run.summaryFile()})
            if (fs::remove(file, ec); ec)
                return makeError(ErrorCode::Io, file.string() + ": cannot remove: " + ec.message());
        claimed.messages.push_back(dir.string() + ": an earlier run here stopped before its first "
                                                  "checkpoint; its files were cleared and the "
                                                  "folder is reused");
    }
    return claimed;
}

Result<ClaimedRunDir> claimRunDirForResume(const fs::path& dir) {
    auto run = openRunDir(dir);
    if (!run)
        return run.error();
    auto lock = RunLock::acquire(dir);
    if (!lock)
        return lock.error();
    std::error_code ec;
    if (!fs::exists(run->checkpointFile(), ec))
        return makeError(ErrorCode::InvalidInput,
                         dir.string() +
                             ": the run stopped before its first checkpoint, so "
                             "there is nothing to resume; start it again with "
                             "--run-dir " +
                             dir.string());
    return ClaimedRunDir{*run, std::move(*lock), {}};
}

} // namespace gps::project
