#include "prior_fixtures.h"

#include "common/check.h"
#include "common/rng.h"

#include <cmath>
#include <cstring>

namespace gps::test {

gps::data::InMemoryDataset quadrantDataset(int count, int h, int w, int c, std::uint64_t seed) {
    gps::data::InMemoryParts parts;
    parts.images = gps::data::ImageBlock(std::size_t(count), {h, w, c});
    gps::Rng rng(seed);
    for (int i = 0; i < count; ++i) {
        std::uint8_t* p = parts.images.imageData(std::size_t(i));
        const int qy = (i % 4) / 2, qx = (i % 4) % 2;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const bool inside = y / ((h + 1) / 2) == qy && x / ((w + 1) / 2) == qx;
                for (int k = 0; k < c; ++k)
                    *p++ = std::uint8_t((inside ? 200 : 20) + int(rng.below(40)));
            }
    }
    parts.split = "train";
    parts.format = "memory";
    return gps::data::InMemoryDataset(std::move(parts));
}

gps::priors::PriorOptions options(int epochs, std::uint64_t seed, int batchSize) {
    gps::priors::PriorOptions o;
    o.epochs = epochs;
    o.seed = seed;
    o.batchSize = batchSize;
    return o;
}

gps::priors::Embedding fitAndEmbed(gps::priors::AutoencoderPrior& prior,
                                   const gps::data::Dataset& data) {
    const gps::Status fitted = prior.fit(data, {});
    GPS_CHECK(fitted.ok(), "fit failed: " << fitted.error().message);
    auto embedding = prior.embed(data, {});
    GPS_CHECK(embedding.ok(), "embed failed: " << embedding.error().message);
    return std::move(embedding).value();
}

double entropyFloor(const gps::data::Dataset& data) {
    double total = 0.0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const cv::Mat image = data.image(i);
        const std::uint8_t* p = image.ptr<std::uint8_t>();
        for (std::size_t j = 0; j < data.shape().pixels(); ++j) {
            const double v = double(float(p[j]) / 255.0f);
            total -= v > 0.0 && v < 1.0 ? v * std::log(v) + (1 - v) * std::log(1 - v) : 0.0;
        }
    }
    return total / double(data.size());
}

bool sameFloats(const gps::priors::Embedding& a, const gps::priors::Embedding& b) {
    return a.rows == b.rows && a.dim == b.dim && a.values.size() == b.values.size() &&
           std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)) == 0;
}

} // namespace gps::test
