#include "fuzz_support.h"

#include "data/dataset_open.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace gps::fuzz {
namespace fs = std::filesystem;

namespace {

// Owns the scratch folder; its destructor removes it when the process exits normally.
class ScratchDir {
public:
    ScratchDir() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = (fs::path(tmp && *tmp ? tmp : "/tmp") / "gps-fuzz-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            fail("cannot create a scratch folder from " + pattern);
        m_path = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

std::string shapeText(const data::ImageShape& shape) {
    return std::to_string(shape.height) + "x" + std::to_string(shape.width) + "x" +
           std::to_string(shape.channels);
}

} // namespace

FuzzInput splitInput(const std::uint8_t* data, std::size_t size, std::size_t maxFiles) {
    FuzzInput input;
    if (size == 0 || maxFiles == 0)
        return input;
    input.options = data[0];
    const auto* separator = reinterpret_cast<const std::uint8_t*>(kFileSeparator.data());
    const std::uint8_t* begin = data + 1;
    const std::uint8_t* const end = data + size;
    while (input.files.size() + 1 < maxFiles) {
        const std::uint8_t* cut =
            std::search(begin, end, separator, separator + kFileSeparator.size());
        if (cut == end)
            break;
        input.files.emplace_back(begin, cut);
        begin = cut + kFileSeparator.size();
    }
    input.files.emplace_back(begin, end);
    return input;
}

const fs::path& freshScratchDir() {
    static const ScratchDir scratch;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(scratch.path(), ec))
        fs::remove_all(entry.path(), ec);
    if (ec)
        fail("cannot empty " + scratch.path().string() + ": " + ec.message());
    return scratch.path();
}

void writeFile(const fs::path& file, Bytes bytes) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    out.close();
    if (!out)
        fail("cannot write " + file.string());
}

std::vector<std::uint8_t> padToMultiple(Bytes bytes, std::size_t unit, std::uint8_t fill) {
    std::vector<std::uint8_t> out(bytes.begin(), bytes.end());
    const std::size_t units = std::max<std::size_t>(1, (out.size() + unit - 1) / unit);
    out.resize(units * unit, fill);
    return out;
}

void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz check failed: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

void exerciseDataset(const data::Dataset& dataset, std::size_t maxImages) {
    const data::ImageShape shape = dataset.shape();
    const std::size_t classes = dataset.classNames().size();
    const std::string where = dataset.format() + " split '" + dataset.split() + "'";
    if (shape.height <= 0 || shape.width <= 0 || (shape.channels != 1 && shape.channels != 3))
        fail(where + ": implausible shape " + shapeText(shape));
    for (std::size_t i = 0; i < std::min(dataset.size(), maxImages); ++i) {
        cv::Mat image;
        try {
            image = dataset.image(i);
        } catch (const data::UnreadableImageError&) {
            // The promise: an image that cannot be decoded is never made up, and it is listed.
            const auto unreadable = dataset.unreadableFiles();
            if (std::none_of(unreadable.begin(), unreadable.end(),
                             [i](const data::UnreadableFile& file) { return file.row == i; }))
                fail(where + ": image " + std::to_string(i) +
                     " threw UnreadableImageError but unreadableFiles() does not list it");
            continue;
        }
        if (image.rows != shape.height || image.cols != shape.width ||
            image.channels() != shape.channels || image.depth() != CV_8U)
            fail(where + ": image " + std::to_string(i) + " is " + std::to_string(image.rows) +
                 "x" + std::to_string(image.cols) + "x" + std::to_string(image.channels()) +
                 " (depth " + std::to_string(image.depth()) + "), shape() says " +
                 shapeText(shape));
        // Touch every byte, so a view over freed or short memory is caught by ASan.
        volatile unsigned sum = unsigned(cv::sum(image)[0]);
        (void)sum;
        const int label = dataset.label(i);
        const bool labelOk = dataset.labelled() ? label >= 0 && std::size_t(label) < classes
                                                : label == data::kNoLabel;
        if (!labelOk)
            fail(where + ": label " + std::to_string(label) + " of image " + std::to_string(i) +
                 " with " + std::to_string(classes) + " class names, labelled " +
                 std::to_string(dataset.labelled()));
    }
    if (const data::ImageBlock* block = dataset.block()) {
        if (block->count() != dataset.size() || block->shape() != shape ||
            block->bytes() != block->count() * shape.pixels())
            fail(where + ": block of " + std::to_string(block->count()) + " images of " +
                 shapeText(block->shape()) + " in " + std::to_string(block->bytes()) +
                 " bytes, dataset of " + std::to_string(dataset.size()) + " of " +
                 shapeText(shape));
    }
    (void)dataset.warnings();
}

namespace {

void expectSameSplit(const data::DatasetInfo& info, const data::Dataset& dataset) {
    const auto split =
        std::find_if(info.splits.begin(), info.splits.end(),
                     [&](const data::SplitInfo& s) { return s.name == dataset.split(); });
    if (split == info.splits.end())
        fail(info.format + ": open gave split '" + dataset.split() + "', describe did not list it");
    if (split->size != dataset.size())
        fail(info.format + " split '" + split->name + "': describe says " +
             std::to_string(split->size) + " images, open gave " + std::to_string(dataset.size()));
    if (info.splits.size() == 1 && info.shape != dataset.shape())
        fail(info.format + ": describe says images are " + shapeText(info.shape) + ", open gave " +
             shapeText(dataset.shape()));
}

} // namespace

void describeOpenAndExercise(const std::string& path, const data::OpenOptions& options,
                             std::size_t maxImages) {
    const auto info = data::describeDataset(path, options);
    const auto dataset = data::openDataset(path, options);
    if (!dataset)
        return;
    exerciseDataset(**dataset, maxImages);
    if (info && options.limit == 0)
        expectSameSplit(*info, **dataset);
}

} // namespace gps::fuzz
