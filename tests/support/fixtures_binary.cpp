#include "fixtures_binary.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace gps::test {
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<std::uint8_t>;

void require(bool condition, const std::string& message) {
    if (!condition)
        throw std::invalid_argument(message);
}

void requireShape(const TinyImages& images, int side, int channels, const char* format) {
    require(images.count == 0 ||
                (images.height == side && images.width == side && images.channels == channels),
            std::string(format) + " fixture needs " + std::to_string(side) + "x" +
                std::to_string(side) + "x" + std::to_string(channels) + " images");
}

void appendBigEndian32(Bytes& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(std::uint8_t(value >> shift));
}

std::uint8_t labelByte(int label, const char* what) {
    require(label >= 0 && label < 256,
            std::string(what) + " " + std::to_string(label) + " does not fit in a byte");
    return std::uint8_t(label);
}

// The R, G and B planes of image i, each row-major (CIFAR's record layout after the labels).
void appendPlanes(Bytes& out, const TinyImages& images, int i) {
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < images.height; ++y)
            for (int x = 0; x < images.width; ++x)
                out.push_back(images.at(i, y, x, c));
}

} // namespace

void writeIdxSplit(const fs::path& dir, const std::string& prefix, const TinyImages& images,
                   bool gzip) {
    if (images.count == 0)
        return;
    require(images.channels == 1, "IDX fixture needs grey images");
    Bytes pixels, labels;
    appendBigEndian32(pixels, 0x00000803);
    appendBigEndian32(pixels, std::uint32_t(images.count));
    appendBigEndian32(pixels, std::uint32_t(images.height));
    appendBigEndian32(pixels, std::uint32_t(images.width));
    pixels.insert(pixels.end(), images.pixels.begin(), images.pixels.end());
    appendBigEndian32(labels, 0x00000801);
    appendBigEndian32(labels, std::uint32_t(images.count));
    for (int label : images.labels)
        labels.push_back(labelByte(label, "label"));
    const std::string ext = gzip ? ".gz" : "";
    writeBytes(dir / (prefix + "-images-idx3-ubyte" + ext), pixels, gzip);
    writeBytes(dir / (prefix + "-labels-idx1-ubyte" + ext), labels, gzip);
}

void writeCifar10(const fs::path& dir, const TinyImages& train, const TinyImages& test) {
    requireShape(train, 32, 3, "CIFAR-10");
    requireShape(test, 32, 3, "CIFAR-10");
    const int batches = std::min(5, train.count);
    for (int b = 0; b < batches; ++b) {
        Bytes out;
        for (int i = b * train.count / batches; i < (b + 1) * train.count / batches; ++i) {
            out.push_back(labelByte(train.labels[i], "label"));
            appendPlanes(out, train, i);
        }
        writeBytes(dir / ("data_batch_" + std::to_string(b + 1) + ".bin"), out);
    }
    if (test.count == 0)
        return;
    Bytes out;
    for (int i = 0; i < test.count; ++i) {
        out.push_back(labelByte(test.labels[i], "label"));
        appendPlanes(out, test, i);
    }
    writeBytes(dir / "test_batch.bin", out);
}

void writeCifar100(const fs::path& dir, const TinyImages& train, const TinyImages& test,
                   const std::vector<int>& coarseLabels, const std::vector<int>& coarseTestLabels) {
    const auto writeSplit = [&](const TinyImages& images, const std::vector<int>& coarse,
                                const char* name) {
        if (images.count == 0)
            return;
        requireShape(images, 32, 3, "CIFAR-100");
        require(coarse.size() == std::size_t(images.count),
                std::string(name) + ": one coarse label per image needed");
        Bytes out;
        for (int i = 0; i < images.count; ++i) {
            out.push_back(labelByte(coarse[i], "coarse label"));
            out.push_back(labelByte(images.labels[i], "fine label"));
            appendPlanes(out, images, i);
        }
        writeBytes(dir / name, out);
    };
    writeSplit(train, coarseLabels, "train.bin");
    writeSplit(test, coarseTestLabels, "test.bin");
}

void writeStl10(const fs::path& dir, const TinyImages& train, const TinyImages& test,
                const TinyImages* unlabeled) {
    const auto writeImages = [&](const TinyImages& images, const std::string& name) {
        requireShape(images, 96, 3, "STL-10");
        Bytes out(std::size_t(images.count) * 96 * 96 * 3);
        for (int i = 0; i < images.count; ++i)
            for (int c = 0; c < 3; ++c)
                for (int y = 0; y < 96; ++y)
                    for (int x = 0; x < 96; ++x)
                        out[std::size_t(i) * 27648 + c * 9216 + x * 96 + y] = images.at(i, y, x, c);
        writeBytes(dir / name, out);
    };
    const auto writeLabelled = [&](const TinyImages& images, const std::string& split) {
        if (images.count == 0)
            return;
        writeImages(images, split + "_X.bin");
        Bytes labels;
        for (int label : images.labels)
            labels.push_back(labelByte(label + 1, "1-based label"));
        writeBytes(dir / (split + "_y.bin"), labels);
    };
    writeLabelled(train, "train");
    writeLabelled(test, "test");
    if (unlabeled && unlabeled->count > 0)
        writeImages(*unlabeled, "unlabeled_X.bin");
}

std::vector<std::uint8_t> readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw std::runtime_error(file.string() + ": cannot open for reading");
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeBytes(const fs::path& file, const std::vector<std::uint8_t>& bytes, bool gzip) {
    fs::create_directories(file.parent_path());
    if (gzip) {
        gzFile out = gzopen(file.c_str(), "wb");
        const bool written =
            out && (bytes.empty() ||
                    gzwrite(out, bytes.data(), unsigned(bytes.size())) == int(bytes.size()));
        if (!out || gzclose(out) != Z_OK || !written)
            throw std::runtime_error(file.string() + ": cannot write gzip");
        return;
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out)
        throw std::runtime_error(file.string() + ": cannot write");
}

void writeLines(const fs::path& file, const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines)
        text += line + "\n";
    writeBytes(file, Bytes(text.begin(), text.end()));
}

void truncateBy(const fs::path& file, std::size_t bytes) {
    const auto size = fs::file_size(file);
    require(bytes <= size, file.string() + ": cannot drop more bytes than it has");
    fs::resize_file(file, size - bytes);
}

void setByte(const fs::path& file, std::size_t offset, std::uint8_t value) {
    Bytes bytes = readBytes(file);
    require(offset < bytes.size(), file.string() + ": offset past the end");
    bytes[offset] = value;
    writeBytes(file, bytes);
}

fs::path gzipFile(const fs::path& file) {
    const fs::path gz = file.string() + ".gz";
    writeBytes(gz, readBytes(file), true);
    fs::remove(file);
    return gz;
}

} // namespace gps::test
