#include "augment/op_kernels.h"

#include "common/check.h"

#include <algorithm>
#include <cstring>

namespace gps::augment::detail {
namespace {

constexpr int kCropTries = 10; // torchvision's RandomResizedCrop

// Python's round(): halves go to even, which std::nearbyint does in the default rounding mode.
int roundHalfEven(double v) {
    return static_cast<int>(std::nearbyint(v));
}

void computeTaps(int inLength, int outLength, AxisTaps& axis) {
    const double scale = double(inLength) / outLength;
    // Shrinking widens the triangle so that every input pixel contributes (antialiasing).
    const double filterScale = std::max(scale, 1.0);
    const double support = filterScale;
    const double narrowing = 1.0 / filterScale;
    axis.taps = std::min(2 * int(std::ceil(support)) + 1, inLength);
    axis.start.resize(outLength);
    axis.weight.assign(std::size_t(outLength) * axis.taps, 0.0f);
    for (int o = 0; o < outLength; ++o) {
        const double centre = (o + 0.5) * scale;
        const int lo = std::max(int(centre - support + 0.5), 0);
        const int hi = std::min(int(centre + support + 0.5), inLength);
        const auto triangle = [&](int i) {
            const double t = std::abs((i - centre + 0.5) * narrowing);
            return t < 1.0 ? 1.0 - t : 0.0;
        };
        double sum = 0;
        for (int i = lo; i < hi; ++i)
            sum += triangle(i);
        // The window always holds the input pixel nearest the centre, so sum > 0.
        const int start = std::min(lo, inLength - axis.taps);
        axis.start[o] = start;
        float* out = &axis.weight[std::size_t(o) * axis.taps];
        for (int i = lo; i < hi; ++i)
            out[i - start] = static_cast<float>(triangle(i) / sum);
    }
}

template <int C>
void horizontalPass(const cv::Mat& src, const AxisTaps& x, int outWidth, float* rows) {
    const int taps = x.taps;
    for (int row = 0; row < src.rows; ++row) {
        const std::uint8_t* in = src.ptr<std::uint8_t>(row);
        float* out = rows + std::size_t(row) * outWidth * C;
        for (int o = 0; o < outWidth; ++o) {
            const float* w = &x.weight[std::size_t(o) * taps];
            const std::uint8_t* p = in + std::size_t(x.start[o]) * C;
            float acc[C] = {};
            for (int k = 0; k < taps; ++k)
                for (int c = 0; c < C; ++c)
                    acc[c] += w[k] * float(p[k * C + c]);
            for (int c = 0; c < C; ++c)
                out[o * C + c] = acc[c];
        }
    }
}

} // namespace

CropBox drawCropBox(int height, int width, const CropSpec& spec, Rng& rng) {
    GPS_CHECK(height > 0 && width > 0, "crop of an empty image " << width << "x" << height);
    const double area = double(height) * width;
    const double logLo = std::log(spec.ratio[0]), logHi = std::log(spec.ratio[1]);
    for (int attempt = 0; attempt < kCropTries; ++attempt) {
        const double target = area * rng.uniform(spec.scale[0], spec.scale[1]);
        const double aspect = std::exp(rng.uniform(logLo, logHi));
        const int w = roundHalfEven(std::sqrt(target * aspect));
        const int h = roundHalfEven(std::sqrt(target / aspect));
        if (w > 0 && w <= width && h > 0 && h <= height) {
            const int tops = height - h + 1; // ≥ 1: the box fits
            const int lefts = width - w + 1;
            const int top = static_cast<int>(rng.below(std::uint64_t(tops)));
            const int left = static_cast<int>(rng.below(std::uint64_t(lefts)));
            return {left, top, w, h};
        }
    }
    // Fallback: the whole image, trimmed to the nearest allowed aspect ratio, centred.
    const double inRatio = double(width) / height;
    int w = width, h = height;
    if (inRatio < spec.ratio[0])
        h = std::clamp(roundHalfEven(w / spec.ratio[0]), 1, height);
    else if (inRatio > spec.ratio[1])
        w = std::clamp(roundHalfEven(h * spec.ratio[1]), 1, width);
    return {(width - w) / 2, (height - h) / 2, w, h};
}

void resampleInto(const cv::Mat& src, int size, cv::Mat& dst, Scratch& scratch) {
    GPS_CHECK(size > 0, "resize to " << size << " px");
    checkImage(src);
    const int channels = src.channels();
    dst.create(size, size, src.type());
    if (src.rows == size && src.cols == size) {
        for (int row = 0; row < size; ++row)
            std::memcpy(dst.ptr(row), src.ptr(row), std::size_t(size) * channels);
        return;
    }
    computeTaps(src.cols, size, scratch.x);
    computeTaps(src.rows, size, scratch.y);
    const std::size_t rowLength = std::size_t(size) * channels;
    scratch.rows.resize(std::size_t(src.rows) * rowLength);
    if (channels == 1)
        horizontalPass<1>(src, scratch.x, size, scratch.rows.data());
    else
        horizontalPass<3>(src, scratch.x, size, scratch.rows.data());

    // Vertical pass, one tap at a time over a whole row so the compiler can vectorise it.
    scratch.line.resize(rowLength);
    float* acc = scratch.line.data();
    const int taps = scratch.y.taps;
    for (int o = 0; o < size; ++o) {
        const float* w = &scratch.y.weight[std::size_t(o) * taps];
        const float* in = scratch.rows.data() + std::size_t(scratch.y.start[o]) * rowLength;
        for (std::size_t i = 0; i < rowLength; ++i)
            acc[i] = w[0] * in[i];
        for (int k = 1; k < taps; ++k) {
            in += rowLength;
            const float wk = w[k];
            for (std::size_t i = 0; i < rowLength; ++i)
                acc[i] += wk * in[i];
        }
        std::uint8_t* out = dst.ptr<std::uint8_t>(o);
        for (std::size_t i = 0; i < rowLength; ++i)
            out[i] = toByte(acc[i]);
    }
}

void flipInPlace(cv::Mat& image) {
    checkImage(image);
    const int channels = image.channels();
    for (int row = 0; row < image.rows; ++row) {
        std::uint8_t* p = image.ptr<std::uint8_t>(row);
        for (int left = 0, right = image.cols - 1; left < right; ++left, --right)
            for (int c = 0; c < channels; ++c)
                std::swap(p[left * channels + c], p[right * channels + c]);
    }
}

} // namespace gps::augment::detail
