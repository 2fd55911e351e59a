// datasetFingerprint (declared in embedding_cache.h): what the embedding cache knows a split by.

#include "priors/content_hash.h"
#include "priors/embedding_cache.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cstdint>

namespace gps::priors {

namespace {

// Splits this large are sampled rather than hashed whole (hashing runs at about 2 GB/s).
constexpr std::size_t kFullHashBytes = std::size_t(256) << 20;
constexpr std::size_t kSampledImages = 1024;

void hashImage(detail::ContentHash& hash, const cv::Mat& image) {
    if (image.isContinuous()) {
        hash.addBytes(image.data, image.total() * image.elemSize());
        return;
    }
    for (int y = 0; y < image.rows; ++y)
        hash.addBytes(image.ptr(y), std::size_t(image.cols) * image.elemSize());
}

} // namespace

std::string datasetFingerprint(const data::Dataset& dataset) {
    const std::size_t n = dataset.size();
    const data::ImageShape shape = dataset.shape();
    detail::ContentHash hash;

    for (const std::string& name : dataset.classNames())
        hash.addText(name);
    std::vector<std::int32_t> labels(n);
    for (std::size_t i = 0; i < n; ++i)
        labels[i] = dataset.label(i);
    hash.addBytes(labels.data(), labels.size() * sizeof(std::int32_t));

    std::string coverage;
    const data::ImageBlock* block = dataset.block();
    if (block && block->count() == n && block->bytes() <= kFullHashBytes) {
        hash.addBytes(block->data(), block->bytes());
        coverage = "all";
    } else {
        const std::size_t step =
            std::max<std::size_t>(1, (n + kSampledImages - 1) / kSampledImages);
        for (std::size_t i = 0; i < n; i += step)
            hashImage(hash, dataset.image(i));
        coverage = step == 1 ? "all" : "every " + std::to_string(step) + "th";
    }

    return dataset.format() + "/" + dataset.split() + " n=" + std::to_string(n) + " " +
           std::to_string(shape.height) + "x" + std::to_string(shape.width) + "x" +
           std::to_string(shape.channels) +
           " classes=" + std::to_string(dataset.classNames().size()) + " pixels=" + coverage +
           " hash=" + hash.hex();
}

} // namespace gps::priors
