#include "priors/batching.h"

#include "common/check.h"
#include "common/file_io.h"
#include "priors/non_finite.h"

#include <ATen/ops/empty.h>
#include <opencv2/imgproc.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace gps::priors::detail {

namespace {

// Image i as a continuous uint8 HWC Mat of the dataset's shape (a copy when the dataset hands
// out a strided view).
cv::Mat checkedImage(const data::Dataset& dataset, std::size_t i) {
    const data::ImageShape shape = dataset.shape();
    cv::Mat image = dataset.image(i);
    GPS_CHECK(image.rows == shape.height && image.cols == shape.width &&
                  image.channels() == shape.channels && image.depth() == CV_8U,
              "image " << i << " is " << image.cols << "x" << image.rows << "x" << image.channels()
                       << ", the dataset says " << shape.width << "x" << shape.height << "x"
                       << shape.channels);
    return image.isContinuous() ? image : image.clone();
}

// "60,000": counts in messages.
std::string grouped(std::int64_t n) {
    std::string text = std::to_string(n);
    for (auto at = std::ptrdiff_t(text.size()) - 3; at > (n < 0 ? 1 : 0); at -= 3)
        text.insert(std::size_t(at), 1, ',');
    return text;
}

// humanBytes for a size that may not fit in size_t (a model's width times a large split).
std::string bytesText(double bytes) {
    return humanBytes(std::size_t(std::min(bytes, 1e18)));
}

} // namespace

at::Tensor imageRows(const data::Dataset& dataset, std::size_t begin, std::size_t end) {
    GPS_CHECK(begin <= end && end <= dataset.size(),
              "rows [" << begin << ", " << end << ") of " << dataset.size());
    const std::size_t pixels = dataset.shape().pixels();
    at::Tensor rows = at::empty({std::int64_t(end - begin), std::int64_t(pixels)}, at::kFloat);
    float* out = rows.data_ptr<float>();
    const data::ImageBlock* block = dataset.block();
    for (std::size_t i = begin; i < end; ++i, out += pixels) {
        cv::Mat holder;
        const std::uint8_t* in = nullptr;
        if (block) {
            in = block->imageData(i);
        } else {
            holder = checkedImage(dataset, i);
            in = holder.ptr<std::uint8_t>();
        }
        // Division, not multiplication by 1/255, so values equal v / 255.0f exactly.
        for (std::size_t j = 0; j < pixels; ++j)
            out[j] = float(in[j]) / 255.0f;
    }
    return rows;
}

at::Tensor imageBatch(const data::Dataset& dataset, std::size_t begin, std::size_t end,
                      NetInput input) {
    GPS_CHECK(begin <= end && end <= dataset.size(),
              "images [" << begin << ", " << end << ") of " << dataset.size());
    GPS_CHECK(input.channels == 1 || input.channels == 3,
              "network input channels must be 1 or 3, not " << input.channels);
    GPS_CHECK(input.height > 0 && input.width > 0,
              "network input size " << input.width << "x" << input.height);
    const int h = input.height, w = input.width, c = input.channels;
    at::Tensor batch = at::empty({std::int64_t(end - begin), c, h, w}, at::kFloat);
    float* out = batch.data_ptr<float>();
    const std::size_t plane = std::size_t(h) * w;
    for (std::size_t i = begin; i < end; ++i, out += plane * c) {
        cv::Mat image = checkedImage(dataset, i);
        if (c == 1 && image.channels() == 3)
            cv::cvtColor(image, image, cv::COLOR_RGB2GRAY);
        if (image.rows != h || image.cols != w) {
            const bool shrinking = h < image.rows || w < image.cols;
            cv::Mat resized;
            cv::resize(image, resized, cv::Size(w, h), 0, 0,
                       shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
            image = resized;
        }
        const int have = image.channels();
        for (int y = 0; y < h; ++y) {
            const std::uint8_t* row = image.ptr<std::uint8_t>(y);
            for (int x = 0; x < w; ++x)
                for (int k = 0; k < c; ++k) // grey input repeats its one channel
                    out[k * plane + std::size_t(y) * w + x] =
                        float(row[x * have + (have == 1 ? 0 : k)]) / 255.0f;
        }
    }
    return batch;
}

Status checkEmbeddingSize(std::int64_t rows, std::int64_t dim, const std::string& label) {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    const bool known = pages > 0 && pageSize > 0;
    const double limit = known ? double(pages) * double(pageSize) / 2 : double(64ULL << 30);
    const double bytes = double(rows) * double(dim) * double(sizeof(float));
    if (bytes <= limit)
        return Ok{};
    return makeError(
        ErrorCode::InvalidInput,
        label + ": would need " + bytesText(bytes) + " for " + grouped(rows) + " × " +
            grouped(dim) + " floats (more than the limit of " + bytesText(limit) +
            (known ? ", half this machine's memory)" : ", as this machine's memory is unknown)"));
}

Result<Embedding> embedInBatches(const data::Dataset& dataset, std::size_t batchSize,
                                 std::int64_t dim, const std::string& label,
                                 const ProgressFn& progress, const BatchFn& fn) {
    GPS_CHECK(batchSize > 0, "batch size must be positive");
    const std::size_t n = dataset.size();
    Embedding embedding;
    embedding.rows = std::int64_t(n);
    embedding.dim = std::max<std::int64_t>(dim, 0);
    bool sized = false;
    const auto allocate = [&]() -> Status {
        if (auto fits = checkEmbeddingSize(embedding.rows, embedding.dim, label); !fits)
            return fits;
        embedding.values.resize(n * std::size_t(embedding.dim));
        sized = true;
        return Ok{};
    };
    if (dim > 0)
        if (auto allocated = allocate(); !allocated)
            return allocated.error();
    if (!reportProgress(progress, 0.0, label + ": 0/" + std::to_string(n) + " images"))
        return cancelled(label);
    const std::size_t batches = (n + batchSize - 1) / batchSize;
    for (std::size_t begin = 0; begin < n; begin += batchSize) {
        const std::size_t end = std::min(n, begin + batchSize);
        const auto where = [&] {
            return "batch " + std::to_string(begin / batchSize + 1) + " of " +
                   std::to_string(batches) + " (images " + std::to_string(begin) + "–" +
                   std::to_string(end - 1) + ")";
        };
        auto rows = fn(begin, end);
        if (!rows)
            return rows.error();
        const at::Tensor values =
            rows->to(at::kFloat).contiguous().reshape({std::int64_t(end - begin), -1});
        if (!sized) {
            embedding.dim = values.size(1);
            if (auto allocated = allocate(); !allocated)
                return allocated.error();
        }
        if (values.size(1) != embedding.dim)
            return makeError(ErrorCode::InvalidInput, label + ": output width changed from " +
                                                          std::to_string(embedding.dim) + " to " +
                                                          std::to_string(values.size(1)) +
                                                          " values per image at " + where());
        const float* data = values.data_ptr<float>();
        const auto count = std::size_t(values.numel());
        if (const NonFinite bad = countNonFinite(data, count); bad.any())
            return makeError(ErrorCode::InvalidInput,
                             label + ": the output for " + where() + " has " + bad.text());
        std::memcpy(embedding.row(std::int64_t(begin)), data, sizeof(float) * count);
        if (!reportProgress(progress, double(end) / double(n),
                            label + ": " + std::to_string(end) + "/" + std::to_string(n) +
                                " images"))
            return cancelled(label);
    }
    return embedding;
}

ProgressFn subProgress(const ProgressFn& progress, double lo, double hi) {
    if (!progress)
        return {};
    return [progress, lo, hi](double fraction, std::string_view message) {
        return progress(lo + (hi - lo) * std::clamp(fraction, 0.0, 1.0), message);
    };
}

Error cancelled(const std::string& what) {
    return makeError(ErrorCode::Cancelled, what + ": cancelled");
}

} // namespace gps::priors::detail
