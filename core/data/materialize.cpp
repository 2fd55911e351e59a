#include "data/materialize.h"

#include "common/check.h"
#include "common/file_io.h"
#include "data/decode_rows.h"
#include "data/in_memory_dataset.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace gps::data {

namespace {

constexpr std::size_t kListedFailures = 10;
constexpr const char* kMessage = "decoding images";

std::string shapeText(int height, int width, int channels) {
    return std::to_string(height) + "x" + std::to_string(width) + "x" + std::to_string(channels);
}

// Decodes image i into its slot of `block`; returns why it failed, or empty on success.
std::string decodeInto(const Dataset& source, std::size_t i, ImageBlock& block) {
    cv::Mat image;
    try {
        auto decoded = source.tryImage(i);
        if (!decoded)
            return decoded.error().message;
        image = std::move(*decoded);
    } catch (const CheckFailure&) {
        throw; // a bug, not bad data: reported by the caller
    } catch (const std::exception& e) {
        return "image " + std::to_string(i) + ": " + e.what();
    }
    const ImageShape s = block.shape();
    if (image.rows != s.height || image.cols != s.width || image.type() != CV_8UC(s.channels))
        return "image " + std::to_string(i) + ": " +
               shapeText(image.rows, image.cols, image.channels()) + " (expected " +
               shapeText(s.height, s.width, s.channels) + " uint8)";
    cv::Mat slot(s.height, s.width, CV_8UC(s.channels), block.imageData(i));
    image.copyTo(slot); // same size and type: copies into the block, no reallocation
    return {};
}

// "<prefix>: a.png: why; b.png: why; and 3 more" over the non-empty failures.
std::string listFailures(const std::string& prefix, const std::vector<std::string>& failures,
                         std::size_t count) {
    std::string text = prefix + ": ";
    std::size_t listed = 0;
    for (const auto& failure : failures) {
        if (failure.empty())
            continue;
        if (listed == kListedFailures) {
            text += "; and " + std::to_string(count - listed) + " more";
            break;
        }
        text += (listed++ ? "; " : "") + failure;
    }
    return text;
}

} // namespace

Result<DatasetPtr> materializeDataset(const Dataset& source, const ProgressFn& progress,
                                      std::size_t byteBudget) {
    const std::size_t count = source.size();
    const ImageShape shape = source.shape();
    const std::size_t bytes = count * shape.pixels();
    if (bytes > byteBudget)
        return makeError(ErrorCode::Unsupported,
                         "split '" + source.split() + "' (" + source.format() + ") needs " +
                             humanBytes(bytes) + " in memory (" + std::to_string(count) +
                             " images of " + shapeText(shape.height, shape.width, shape.channels) +
                             "), above the budget of " + humanBytes(byteBudget) +
                             "; use a smaller image size or a limit");
    if (!reportProgress(progress, 0.0, kMessage))
        return makeError(ErrorCode::Cancelled, "loading images into memory was cancelled");

    InMemoryParts parts;
    parts.images = ImageBlock(count, shape);
    parts.classNames = source.classNames();
    parts.split = source.split();
    parts.format = source.format();
    if (source.labelled())
        for (std::size_t i = 0; i < count; ++i)
            parts.labels.push_back(source.label(i));

    if (const ImageBlock* block = source.block()) {
        GPS_CHECK(block->count() == count && block->shape() == shape,
                  "block does not match dataset");
        if (bytes > 0)
            std::memcpy(parts.images.data(), block->data(), bytes);
        parts.warnings = source.warnings();
        reportProgress(progress, 1.0, kMessage);
        return DatasetPtr(std::make_shared<InMemoryDataset>(std::move(parts)));
    }

    // Taken before decoding: the files dropped below are listed once, in their own warning.
    parts.warnings = source.warnings();
    auto decoded = decodeRows(
        count, [&](std::size_t i) { return decodeInto(source, i, parts.images); }, progress,
        kMessage, "loading images into memory was cancelled");
    if (!decoded)
        return decoded.error();
    const std::vector<std::string>& failures = *decoded; // empty: decoded

    // Drop failed images, keeping the order of the rest.
    std::vector<bool> keep(count);
    std::vector<int> keptLabels;
    for (std::size_t i = 0; i < count; ++i) {
        keep[i] = failures[i].empty();
        if (keep[i] && !parts.labels.empty())
            keptLabels.push_back(parts.labels[i]);
    }
    const auto kept = std::size_t(std::count(keep.begin(), keep.end(), true));
    if (kept < count) {
        if (kept == 0)
            return makeError(
                ErrorCode::Corrupt,
                listFailures("none of the " + std::to_string(count) + " images could be decoded",
                             failures, count));
        parts.images.keepOnly(keep);
        if (!parts.labels.empty())
            parts.labels = std::move(keptLabels);
        const std::size_t dropped = count - kept;
        parts.warnings.push_back(listFailures("dropped " + std::to_string(dropped) + " image" +
                                                  (dropped > 1 ? "s" : "") +
                                                  " that could not be decoded",
                                              failures, dropped));
    }
    reportProgress(progress, 1.0, kMessage);
    return DatasetPtr(std::make_shared<InMemoryDataset>(std::move(parts)));
}

Result<DatasetPtr> materializeDataset(const DatasetPtr& source, const ProgressFn& progress,
                                      std::size_t byteBudget) {
    GPS_CHECK(source != nullptr, "materializeDataset: null dataset");
    if (source->block())
        return source;
    return materializeDataset(*source, progress, byteBudget);
}

} // namespace gps::data
