#include "common/file_io.h"

#include <zlib.h>

#include <cstdio>
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
            return makeError(ErrorCode::Corrupt, path.string() + ": not a valid gzip stream (" +
                                                     reason + ")");
        }
        if (got == 0)
            break;
        bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + got);
    }
    // zlib reports a stream cut short only through gzclose_r's status.
    if (gzclose_r(file) == Z_BUF_ERROR)
        return makeError(ErrorCode::Corrupt, path.string() +
                                                 ": gzip stream ends early (file truncated?)");
    return bytes;
}

} // namespace

Result<std::vector<std::uint8_t>> readFileBytes(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return makeError(ErrorCode::NotFound, path.string() + ": no such file");
    return path.extension() == ".gz" ? readGzip(path) : readPlain(path);
}

Status writeFileAtomic(const fs::path& path, const void* data, std::size_t size) {
    std::random_device entropy;
    const fs::path temp = path.string() + ".tmp-" + std::to_string(entropy());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out)
            return makeError(ErrorCode::Io, temp.string() + ": cannot open for writing");
        out.write(static_cast<const char*>(data), std::streamsize(size));
        out.flush();
        if (!out) {
            out.close();
            std::error_code ignored;
            fs::remove(temp, ignored);
            return makeError(ErrorCode::Io,
                             path.string() + ": write failed (disk full or no permission?)");
        }
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        return makeError(ErrorCode::Io, path.string() + ": cannot replace file: " + ec.message());
    }
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
