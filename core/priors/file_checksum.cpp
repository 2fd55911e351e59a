#include "priors/file_checksum.h"

#include "priors/content_hash.h"

#include <algorithm>
#include <fstream>
#include <vector>

namespace gps::priors::detail {

namespace {

// ContentHash marks the end of every addBytes call, so both functions must feed it pieces with
// the same boundaries.
constexpr std::size_t kPiece = std::size_t(1) << 20;

} // namespace

std::string bytesChecksum(const void* data, std::size_t size) {
    ContentHash hash;
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t at = 0; at < size; at += kPiece)
        hash.addBytes(bytes + at, std::min(kPiece, size - at));
    hash.addWord(size);
    return hash.hex();
}

Result<std::string> fileChecksum(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Io, file.string() + ": cannot open for reading");
    ContentHash hash;
    std::vector<char> piece(kPiece);
    std::size_t size = 0;
    while (in) {
        in.read(piece.data(), std::streamsize(piece.size()));
        const auto got = std::size_t(in.gcount());
        if (got > 0)
            hash.addBytes(piece.data(), got);
        size += got;
    }
    if (in.bad())
        return makeError(ErrorCode::Io, file.string() + ": read failed");
    hash.addWord(size);
    return hash.hex();
}

} // namespace gps::priors::detail
