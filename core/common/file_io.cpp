#include "common/file_io.h"

#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

namespace gps {
namespace fs = std::filesystem;

namespace {

Result<std::vector<std::uint8_t>> readPlain(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::NotFound, path.string() + ": cannot open for reading");
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(in.tellg());
    in.seekg(0);
    std::vector<std::uint8_t> bytes(size);
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size)))
        return makeError(ErrorCode::Io, path.string() + ": read failed");
    return bytes;
}

Result<std::vector<std::uint8_t>> readGzip(const fs::path& path) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        return makeError(ErrorCode::NotFound, path.string() + ": cannot open for reading");
    gzbuffer(file, 1 << 17);
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> chunk(1 << 20);
    for (;;) {
        const int got = gzread(file, chunk.data(), static_cast<unsigned>(chunk.size()));
        if (got < 0) {
            int errnum = 0;
            const std::string reason = gzerror(file, &errnum);
            gzclose(file);
            return makeError(ErrorCode::Corrupt,
                             path.string() + ": not a valid gzip stream (" + reason + ")");
        }
        if (got == 0)
            break;
        bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + got);
    }
    // zlib reports a stream cut short only through gzclose_r's status.
    if (gzclose_r(file) == Z_BUF_ERROR)
        return makeError(ErrorCode::Corrupt,
                         path.string() + ": gzip stream ends early (file truncated?)");
    return bytes;
}

constexpr int kMaxSymlinkHops = 40; // Linux's own limit

std::string describeKind(fs::file_type type) {
    switch (type) {
    case fs::file_type::directory:
        return "a folder";
    case fs::file_type::fifo:
        return "a named pipe (FIFO)";
    case fs::file_type::character:
        return "a character device";
    case fs::file_type::block:
        return "a block device";
    case fs::file_type::socket:
        return "a socket";
    default:
        return "a special file";
    }
}

bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return true;
}

} // namespace

Result<std::vector<std::uint8_t>> readFileBytes(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return makeError(ErrorCode::NotFound, path.string() + ": no such file");
    return path.extension() == ".gz" ? readGzip(path) : readPlain(path);
}

Result<fs::path> resolveWriteTarget(const fs::path& path) {
    fs::path target = path;
    std::error_code ec;
    // A symlink is written through, as an editor would: the link stays, its target changes.
    for (int hops = 0; fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
        if (hops == kMaxSymlinkHops)
            return makeError(ErrorCode::InvalidInput,
                             path.string() + ": too many levels of symbolic links");
        const fs::path next = fs::read_symlink(target, ec);
        if (ec)
            return makeError(ErrorCode::Io,
                             target.string() + ": cannot read the link: " + ec.message());
        target = next.is_absolute() ? next : target.parent_path() / next;
    }
    const fs::file_status status = fs::status(target, ec);
    if (fs::exists(status) && !fs::is_regular_file(status))
        return makeError(ErrorCode::InvalidInput,
                         target.string() + ": is " + describeKind(status.type()) +
                             ", not a regular file; refusing to replace it");
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::is_directory(folder, ec))
        return makeError(ErrorCode::NotFound,
                         path.string() + ": the folder " + folder.string() + " does not exist");
    return target;
}

Status writeFileAtomic(const fs::path& path, const void* data, std::size_t size) {
    auto target = resolveWriteTarget(path);
    if (!target)
        return target.error();
    std::random_device entropy;
    const fs::path temp = target->string() + ".tmp-" + std::to_string(entropy());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return makeError(ErrorCode::Io,
                         temp.string() + ": cannot open for writing: " + std::strerror(errno));
    const auto failed = [&](const std::string& what) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(temp.c_str());
        return makeError(ErrorCode::Io, target->string() + ": " + what + ": " + reason);
    };
    struct stat existing {};
    if (::stat(target->c_str(), &existing) == 0 && ::fchmod(fd, existing.st_mode & 07777) != 0)
        return failed("cannot keep the file's permissions");
    if (!writeAll(fd, static_cast<const char*>(data), size))
        return failed("write failed");
    // Without fsync a crash after the rename can leave an empty file under the final name.
    if (::fsync(fd) != 0)
        return failed("cannot flush to disk");
    if (::close(fd) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        return makeError(ErrorCode::Io, target->string() + ": write failed: " + reason);
    }
    if (::rename(temp.c_str(), target->c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        return makeError(ErrorCode::Io, target->string() + ": cannot replace file: " + reason);
    }
    return syncFolder(target->parent_path());
}

Status syncFolder(const fs::path& folder) {
    const fs::path name = folder.empty() ? fs::path(".") : folder;
    const int fd = ::open(name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return makeError(ErrorCode::Io, name.string() + ": cannot open the folder to sync it: " +
                                            std::strerror(errno));
    // Some file systems cannot sync a folder (EINVAL); the rename is then as durable as it gets.
    const bool synced = ::fsync(fd) == 0 || errno == EINVAL;
    const std::string reason = std::strerror(errno);
    ::close(fd);
    if (!synced)
        return makeError(ErrorCode::Io, name.string() + ": cannot sync the folder: " + reason);
    return Ok{};
}

Status writeFileAtomic(const fs::path& path, const std::string& text) {
    return writeFileAtomic(path, text.data(), text.size());
}

std::string humanBytes(std::size_t bytes) {
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    return text;
}

std::string describeFile(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? path.string() : path.string() + " (" + std::to_string(size) + " bytes)";
}

} // namespace gps
