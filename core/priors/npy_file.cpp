#include "priors/npy_file.h"

#include <fstream>
#include <vector>

namespace gps::priors::detail {

namespace {

Result<NpyHeader> readHeader(std::ifstream& in, const std::string& name) {
    std::vector<std::uint8_t> bytes(12);
    in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size()));
    bytes.resize(std::size_t(in.gcount()));
    auto total = npyHeaderBytes(bytes, name);
    if (!total)
        return total.error();
    const std::size_t have = bytes.size();
    if (*total > have) {
        bytes.resize(*total);
        in.read(reinterpret_cast<char*>(bytes.data() + have), std::streamsize(*total - have));
        bytes.resize(have + std::size_t(in.gcount()));
    }
    return parseNpyHeader(bytes, name);
}

} // namespace

Result<NpyHeader> readNpyFileHeader(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Io, file.string() + ": cannot open for reading");
    return readHeader(in, file.string());
}

Result<Embedding> readFloat32Rows(const std::filesystem::path& file, std::int64_t rows,
                                  std::int64_t dim) {
    const std::string name = file.string();
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Io, name + ": cannot open for reading");
    auto header = readHeader(in, name);
    if (!header)
        return header.error();
    if (header->dtype != "<f4" || header->fortranOrder ||
        header->shape != std::vector<std::int64_t>{rows, dim})
        return makeError(ErrorCode::Corrupt, name + ": expected a C-ordered float32 array of " +
                                                 std::to_string(rows) + " × " +
                                                 std::to_string(dim) + " values");
    Embedding embedding{rows, dim, std::vector<float>(std::size_t(rows * dim))};
    in.seekg(std::streamoff(header->dataOffset));
    const auto bytes = std::streamsize(embedding.values.size() * sizeof(float));
    in.read(reinterpret_cast<char*>(embedding.values.data()), bytes);
    if (in.gcount() != bytes)
        return makeError(ErrorCode::Corrupt, name + ": data truncated (expected " +
                                                 std::to_string(bytes) + " bytes, found " +
                                                 std::to_string(in.gcount()) + ")");
    return embedding;
}

} // namespace gps::priors::detail
