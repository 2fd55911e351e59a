#include "augment/ops.h"

#include "augment/op_kernels.h"
#include "common/check.h"

namespace gps::augment {
namespace detail {

void checkImage(const cv::Mat& image) {
    GPS_CHECK(!image.empty() && (image.type() == CV_8UC1 || image.type() == CV_8UC3),
              "augmentation needs a non-empty uint8 image with 1 or 3 channels, got "
                  << image.cols << "x" << image.rows << " of type " << image.type());
}

std::vector<float> normalizeTable(const NormalizeSpec& spec, int channels) {
    // A one-channel image uses the first of three values; one value serves every channel.
    const auto pick = [](const std::vector<float>& values, int c) {
        if (values.empty())
            return 0.5;
        return double(values[std::min<std::size_t>(std::size_t(c), values.size() - 1)]);
    };
    std::vector<float> table(std::size_t(channels) * 256);
    for (int c = 0; c < channels; ++c) {
        const double mean = pick(spec.mean, c), std = pick(spec.std, c);
        GPS_CHECK(std > 0, "normalize.std " << std << " for channel " << c);
        for (int v = 0; v < 256; ++v)
            table[std::size_t(c) * 256 + v] = static_cast<float>((v / 255.0 - mean) / std);
    }
    return table;
}

void normalizeWithTable(const cv::Mat& image, const float* table, float* out) {
    checkImage(image);
    const int channels = image.channels();
    const std::size_t plane = image.total();
    for (int row = 0; row < image.rows; ++row) {
        const std::uint8_t* p = image.ptr<std::uint8_t>(row);
        float* o = out + std::size_t(row) * image.cols;
        if (channels == 1) {
            for (int x = 0; x < image.cols; ++x)
                o[x] = table[p[x]];
            continue;
        }
        for (int x = 0; x < image.cols; ++x)
            for (int c = 0; c < 3; ++c)
                o[c * plane + x] = table[c * 256 + p[x * 3 + c]];
    }
}

} // namespace detail

namespace {

// Runs an in-place kernel on a continuous copy of the input.
template <class Kernel> cv::Mat onCopy(const cv::Mat& image, Kernel kernel) {
    detail::checkImage(image);
    cv::Mat out = image.clone();
    kernel(out);
    return out;
}

} // namespace

cv::Mat randomResizedCrop(const cv::Mat& image, const CropSpec& spec, int size, Rng& rng) {
    detail::checkImage(image);
    if (size == 0)
        size = spec.size > 0 ? spec.size : image.rows;
    const detail::CropBox box = detail::drawCropBox(image.rows, image.cols, spec, rng);
    detail::Scratch scratch;
    cv::Mat out;
    detail::resampleInto(image(cv::Rect(box.x, box.y, box.width, box.height)), size, out, scratch);
    return out;
}

cv::Mat resizeTo(const cv::Mat& image, int size) {
    detail::Scratch scratch;
    cv::Mat out;
    detail::resampleInto(image, size, out, scratch);
    return out;
}

cv::Mat colorJitter(const cv::Mat& image, const JitterSpec& spec, Rng& rng) {
    return onCopy(image, [&](cv::Mat& m) { detail::colorJitterInPlace(m, spec, rng); });
}

cv::Mat adjustBrightness(const cv::Mat& image, double factor) {
    GPS_CHECK(factor >= 0, "brightness factor " << factor);
    return onCopy(image, [&](cv::Mat& m) { detail::brightnessInPlace(m, factor); });
}

cv::Mat adjustContrast(const cv::Mat& image, double factor) {
    GPS_CHECK(factor >= 0, "contrast factor " << factor);
    return onCopy(image, [&](cv::Mat& m) { detail::contrastInPlace(m, factor); });
}

cv::Mat adjustSaturation(const cv::Mat& image, double factor) {
    GPS_CHECK(factor >= 0, "saturation factor " << factor);
    return onCopy(image, [&](cv::Mat& m) { detail::saturationInPlace(m, factor); });
}

cv::Mat adjustHue(const cv::Mat& image, double shift) {
    GPS_CHECK(shift >= -0.5 && shift <= 0.5, "hue shift " << shift);
    return onCopy(image, [&](cv::Mat& m) { detail::hueInPlace(m, shift); });
}

cv::Mat grayscale(const cv::Mat& image) {
    return onCopy(image, [](cv::Mat& m) { detail::grayscaleInPlace(m); });
}

cv::Mat gaussianBlur(const cv::Mat& image, const BlurSpec& spec, Rng& rng) {
    detail::checkImage(image);
    if (!detail::drawApply(spec.p, rng))
        return image.clone();
    return gaussianBlurWithSigma(image, rng.uniform(spec.sigma[0], spec.sigma[1]));
}

cv::Mat gaussianBlurWithSigma(const cv::Mat& image, double sigma) {
    detail::Scratch scratch;
    cv::Mat out;
    detail::blurInto(image, sigma, out, scratch);
    return out;
}

cv::Mat solarize(const cv::Mat& image, int threshold) {
    return onCopy(image, [&](cv::Mat& m) { detail::solarizeInPlace(m, threshold); });
}

cv::Mat horizontalFlip(const cv::Mat& image) {
    return onCopy(image, [](cv::Mat& m) { detail::flipInPlace(m); });
}

void normalizeToChw(const cv::Mat& image, const NormalizeSpec& spec, float* out) {
    detail::checkImage(image);
    const auto table = detail::normalizeTable(spec, image.channels());
    detail::normalizeWithTable(image, table.data(), out);
}

} // namespace gps::augment
