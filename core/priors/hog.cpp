#include "priors/hog.h"

#include "common/check.h"
#include "priors/batching.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cstring>

namespace gps::priors {

HogGeometry hogGeometry(const data::ImageShape& shape) {
    GPS_CHECK(shape.height > 0 && shape.width > 0, "hog: empty image shape");
    const int side = std::min(shape.height, shape.width);
    HogGeometry g;
    g.cell = side <= 32 ? (side + 3) / 4 : 8;
    g.cellsX = std::max(2, shape.width / g.cell);
    g.cellsY = std::max(2, shape.height / g.cell);
    return g;
}

HogPrior::HogPrior(const PriorOptions& options) : m_batchSize(std::max(1, options.batchSize)) {}

Result<Embedding> HogPrior::embed(const data::Dataset& dataset, const ProgressFn& progress) {
    const data::ImageShape shape = dataset.shape();
    if (dataset.size() == 0 && (shape.height <= 0 || shape.width <= 0))
        return Embedding{};
    const HogGeometry g = hogGeometry(shape);
    const cv::Size window(g.windowWidth(), g.windowHeight());
    const cv::Size cell(g.cell, g.cell);
    const cv::HOGDescriptor hog(window, cell * 2, cell, cell, g.bins);
    GPS_CHECK(std::int64_t(hog.getDescriptorSize()) == g.dim(),
              "hog: OpenCV gives " << hog.getDescriptorSize() << " values, expected " << g.dim());
    m_dim = g.dim();

    const bool resize = window.width != shape.width || window.height != shape.height;
    auto describe = [&](std::size_t i, float* out) {
        cv::Mat image = dataset.image(i);
        cv::Mat grey;
        if (image.channels() == 3)
            cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
        else
            grey = image;
        if (resize)
            cv::resize(grey, grey, window, 0, 0, cv::INTER_AREA);
        std::vector<float> values;
        hog.compute(grey, values, window, cv::Size(0, 0));
        GPS_CHECK(std::int64_t(values.size()) == m_dim,
                  "hog: image " << i << " gave " << values.size() << " values");
        std::memcpy(out, values.data(), values.size() * sizeof(float));
    };

    Embedding embedding;
    embedding.rows = std::int64_t(dataset.size());
    embedding.dim = m_dim;
    embedding.values.resize(dataset.size() * std::size_t(m_dim));
    // Larger chunks than a network batch: one HOG is microseconds, a progress call is not free.
    const std::size_t chunk = std::max<std::size_t>(std::size_t(m_batchSize), 1024);
    const std::size_t n = dataset.size();
    for (std::size_t begin = 0; begin < n; begin += chunk) {
        const std::size_t end = std::min(n, begin + chunk);
        cv::parallel_for_(cv::Range(int(begin), int(end)), [&](const cv::Range& range) {
            for (int i = range.start; i < range.end; ++i)
                describe(std::size_t(i), embedding.row(i));
        });
        if (!reportProgress(progress, double(end) / double(n),
                            "hog: " + std::to_string(end) + "/" + std::to_string(n) + " images"))
            return detail::cancelled("hog");
    }
    return embedding;
}

} // namespace gps::priors
