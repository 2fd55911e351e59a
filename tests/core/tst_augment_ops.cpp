#include "augment/ops.h"
#include "common/check.h"

#include <opencv2/core.hpp>

#include <QtTest>

#include <set>

Q_DECLARE_METATYPE(cv::Mat)

using namespace gps::augment;
using gps::Rng;

namespace {

// Uniform noise: every op has something to change and every draw shows in the output.
cv::Mat noiseImage(int height, int width, int channels, std::uint64_t seed = 1) {
    cv::Mat image(height, width, CV_8UC(channels));
    Rng rng(seed);
    for (std::size_t i = 0; i < image.total() * channels; ++i)
        image.data[i] = static_cast<uchar>(rng.below(256));
    return image;
}

cv::Mat pixels(int height, int width, int channels, std::initializer_list<int> values) {
    cv::Mat image(height, width, CV_8UC(channels));
    Q_ASSERT(values.size() == image.total() * channels);
    std::copy(values.begin(), values.end(), image.data);
    return image;
}

bool sameBytes(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

double variance(const cv::Mat& image) {
    cv::Scalar mean, stddev;
    cv::meanStdDev(image.reshape(1), mean, stddev);
    return stddev[0] * stddev[0];
}

const JitterSpec kStrongJitter{0.8, 0.8, 0.8, 0.2, 1.0};

// Every op by name, with settings that make the random ones change the image on every draw.
cv::Mat runOp(const QByteArray& op, const cv::Mat& image, Rng& rng) {
    if (op == "random_resized_crop")
        return randomResizedCrop(image, CropSpec{}, 20, rng);
    if (op == "resize")
        return resizeTo(image, 20);
    if (op == "color_jitter")
        return colorJitter(image, kStrongJitter, rng);
    if (op == "grayscale")
        return grayscale(image);
    if (op == "gaussian_blur")
        return gaussianBlur(image, BlurSpec{1.0, {0.5, 2.0}}, rng);
    if (op == "solarize")
        return solarize(image, 128);
    if (op == "flip")
        return horizontalFlip(image);
    qFatal("unknown op %s", op.constData());
}

} // namespace

class TestAugmentOps : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapeAndInputUntouched_data() {
        QTest::addColumn<QByteArray>("op");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("outHeight");
        QTest::addColumn<int>("outWidth");
        for (int channels : {1, 3}) {
            for (const char* op : {"random_resized_crop", "resize"})
                QTest::addRow("%s/%dch", op, channels) << QByteArray(op) << channels << 20 << 20;
            for (const char* op :
                 {"color_jitter", "grayscale", "gaussian_blur", "solarize", "flip"})
                QTest::addRow("%s/%dch", op, channels) << QByteArray(op) << channels << 24 << 30;
        }
    }
    void shapeAndInputUntouched() {
        QFETCH(QByteArray, op);
        QFETCH(int, channels);
        QFETCH(int, outHeight);
        QFETCH(int, outWidth);
        const cv::Mat input = noiseImage(24, 30, channels);
        const cv::Mat before = input.clone();
        Rng rng(7);
        const cv::Mat out = runOp(op, input, rng);
        QCOMPARE(out.rows, outHeight);
        QCOMPARE(out.cols, outWidth);
        QCOMPARE(out.type(), CV_8UC(channels));
        QVERIFY(out.isContinuous());
        QVERIFY(sameBytes(input, before));
    }

    void randomOpsAreDeterministic_data() {
        QTest::addColumn<QByteArray>("op");
        QTest::addColumn<int>("channels");
        for (int channels : {1, 3})
            for (const char* op : {"random_resized_crop", "color_jitter", "gaussian_blur"})
                QTest::addRow("%s/%dch", op, channels) << QByteArray(op) << channels;
    }
    void randomOpsAreDeterministic() {
        QFETCH(QByteArray, op);
        QFETCH(int, channels);
        const cv::Mat input = noiseImage(24, 30, channels);
        Rng a(11), b(11);
        QVERIFY(sameBytes(runOp(op, input, a), runOp(op, input, b)));
        QCOMPARE(a.next(), b.next()); // and both drew the same number of values
        int differing = 0;
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            Rng c(11), d(11 + seed);
            differing += !sameBytes(runOp(op, input, c), runOp(op, input, d));
        }
        QVERIFY2(differing >= 4, qPrintable(QString::number(differing)));
    }

    void wrongImageTypeIsRejected() {
        Rng rng(1);
        const cv::Mat floats(8, 8, CV_32FC1, cv::Scalar(0));
        const cv::Mat fourChannels(8, 8, CV_8UC4, cv::Scalar(0));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, horizontalFlip(floats));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, colorJitter(fourChannels, kStrongJitter, rng));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, resizeTo(cv::Mat(), 8));
    }

    // --- crop and resize -------------------------------------------------------------------

    void fullScaleCropEqualsResize_data() {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("size");
        for (int channels : {1, 3}) {
            QTest::addRow("shrink/%dch", channels) << channels << 24 << 16;
            QTest::addRow("same/%dch", channels) << channels << 24 << 24;
            QTest::addRow("enlarge/%dch", channels) << channels << 24 << 40;
        }
    }
    void fullScaleCropEqualsResize() {
        QFETCH(int, channels);
        QFETCH(int, side);
        QFETCH(int, size);
        const cv::Mat input = noiseImage(side, side, channels);
        CropSpec whole;
        whole.scale = {1.0, 1.0};
        whole.ratio = {1.0, 1.0};
        Rng rng(3);
        QVERIFY(sameBytes(randomResizedCrop(input, whole, size, rng), resizeTo(input, size)));
        if (size == side)
            QVERIFY(sameBytes(resizeTo(input, size), input));
    }

    void cropIsAWindowOfTheInput() {
        // Area 1/4 and ratio 1 of a 40×40 image is a 20×20 window; at size 20 it is copied.
        const cv::Mat input = noiseImage(40, 40, 3);
        CropSpec quarter;
        quarter.scale = {0.25, 0.25};
        quarter.ratio = {1.0, 1.0};
        std::set<std::pair<int, int>> corners;
        for (std::uint64_t seed = 0; seed < 30; ++seed) {
            Rng rng(seed);
            const cv::Mat out = randomResizedCrop(input, quarter, 20, rng);
            int found = 0;
            for (int y = 0; y <= 20; ++y)
                for (int x = 0; x <= 20; ++x)
                    if (sameBytes(out, input(cv::Rect(x, y, 20, 20)))) {
                        corners.insert({x, y});
                        ++found;
                    }
            QCOMPARE(found, 1);
        }
        QVERIFY(corners.size() >= 20); // the corner is drawn, not fixed
    }

    void cropFallsBackToCentre() {
        // A 10×40 strip cannot hold a square of area 400: after 10 tries, the centred 10×10.
        const cv::Mat input = noiseImage(10, 40, 1);
        CropSpec square;
        square.scale = {1.0, 1.0};
        square.ratio = {1.0, 1.0};
        Rng rng(5);
        QVERIFY(
            sameBytes(randomResizedCrop(input, square, 10, rng), input(cv::Rect(15, 0, 10, 10))));
    }

    void shrinkAveragesWithWidenedTriangle() {
        // 4 → 2 columns: weights (3, 3, 1)/7 and (1, 3, 3)/7 (PIL's antialiased bilinear).
        const cv::Mat input =
            pixels(4, 4, 1, {0, 70, 140, 210, 0, 70, 140, 210, 0, 70, 140, 210, 0, 70, 140, 210});
        QVERIFY(sameBytes(resizeTo(input, 2), pixels(2, 2, 1, {50, 160, 50, 160})));
    }

    void resizeKeepsConstantImagesAndRange() {
        const cv::Mat flat(13, 17, CV_8UC3, cv::Scalar(9, 99, 199));
        QVERIFY(sameBytes(resizeTo(flat, 31), cv::Mat(31, 31, CV_8UC3, cv::Scalar(9, 99, 199))));
        QVERIFY(sameBytes(resizeTo(flat, 5), cv::Mat(5, 5, CV_8UC3, cv::Scalar(9, 99, 199))));
    }

    // --- flip ------------------------------------------------------------------------------

    void flipTwiceIsIdentity_data() {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("width");
        for (int channels : {1, 3})
            for (int width : {1, 6, 7})
                QTest::addRow("%dch/w%d", channels, width) << channels << width;
    }
    void flipTwiceIsIdentity() {
        QFETCH(int, channels);
        QFETCH(int, width);
        const cv::Mat input = noiseImage(5, width, channels);
        const cv::Mat once = horizontalFlip(input);
        QCOMPARE(width == 1, sameBytes(once, input));
        QVERIFY(sameBytes(horizontalFlip(once), input));
    }
    void flipMirrorsPixels() {
        const cv::Mat rgb = pixels(1, 2, 3, {1, 2, 3, 4, 5, 6});
        QVERIFY(sameBytes(horizontalFlip(rgb), pixels(1, 2, 3, {4, 5, 6, 1, 2, 3})));
    }

    // --- colour ----------------------------------------------------------------------------

    void grayscaleUsesLuma_data() {
        QTest::addColumn<int>("r");
        QTest::addColumn<int>("g");
        QTest::addColumn<int>("b");
        QTest::addColumn<int>("luma");
        QTest::newRow("mixed") << 200 << 100 << 50 << 124; // 124.2
        QTest::newRow("rounds up") << 0 << 1 << 0 << 1;    // 0.587
        QTest::newRow("red") << 255 << 0 << 0 << 76;       // 76.245
        QTest::newRow("green") << 0 << 255 << 0 << 150;    // 149.685
        QTest::newRow("blue") << 0 << 0 << 255 << 29;      // 29.07
        QTest::newRow("white") << 255 << 255 << 255 << 255;
    }
    void grayscaleUsesLuma() {
        QFETCH(int, r);
        QFETCH(int, g);
        QFETCH(int, b);
        QFETCH(int, luma);
        const cv::Mat out = grayscale(pixels(1, 1, 3, {r, g, b}));
        const auto px = out.at<cv::Vec3b>(0, 0);
        QCOMPARE(int(px[0]), luma);
        QCOMPARE(int(px[1]), luma);
        QCOMPARE(int(px[2]), luma);
    }
    void grayscaleOfGreyImageIsIdentity() {
        const cv::Mat grey = noiseImage(6, 6, 1);
        QVERIFY(sameBytes(grayscale(grey), grey));
    }

    void brightnessOnHandMadePixels_data() {
        QTest::addColumn<cv::Mat>("input");
        QTest::addColumn<double>("factor");
        QTest::addColumn<cv::Mat>("expected");
        QTest::newRow("x1.5") << pixels(1, 2, 1, {100, 200}) << 1.5 << pixels(1, 2, 1, {150, 255});
        QTest::newRow("x0.5 rgb") << pixels(1, 1, 3, {10, 21, 30}) << 0.5
                                  << pixels(1, 1, 3, {5, 11, 15}); // 10.5 rounds up
        QTest::newRow("x0") << pixels(1, 2, 1, {100, 200}) << 0.0 << pixels(1, 2, 1, {0, 0});
    }
    void brightnessOnHandMadePixels() {
        QFETCH(cv::Mat, input);
        QFETCH(double, factor);
        QFETCH(cv::Mat, expected);
        QVERIFY(sameBytes(adjustBrightness(input, factor), expected));
    }
    void brightnessJitterStaysInItsRange() {
        const cv::Mat flat(4, 4, CV_8UC1, cv::Scalar(100));
        std::set<int> values;
        for (std::uint64_t seed = 0; seed < 50; ++seed) {
            Rng rng(seed);
            const cv::Mat out = colorJitter(flat, JitterSpec{0.5, 0, 0, 0, 1.0}, rng);
            double lo, hi;
            cv::minMaxLoc(out, &lo, &hi);
            QCOMPARE(lo, hi);
            QVERIFY(lo >= 50 && hi <= 150);
            values.insert(int(lo));
        }
        QVERIFY(values.size() >= 20);
    }

    void contrastBlendsWithMeanLuma() {
        const cv::Mat grey = pixels(1, 2, 1, {50, 150}); // mean 100
        QVERIFY(sameBytes(adjustContrast(grey, 0.5), pixels(1, 2, 1, {75, 125})));
        QVERIFY(sameBytes(adjustContrast(grey, 0.0), pixels(1, 2, 1, {100, 100})));
        QVERIFY(sameBytes(adjustContrast(grey, 2.0), pixels(1, 2, 1, {0, 200})));
        // RGB: the mean is of the luma (here 124 and 76), shared by the three channels.
        const cv::Mat rgb = pixels(1, 2, 3, {200, 100, 50, 255, 0, 0});
        QVERIFY(
            sameBytes(adjustContrast(rgb, 0.0), pixels(1, 2, 3, {100, 100, 100, 100, 100, 100})));
    }

    void saturationAndHueLeaveGreyAlone_data() {
        QTest::addColumn<int>("channels");
        QTest::newRow("one channel") << 1;
        QTest::newRow("grey rgb") << 3;
    }
    void saturationAndHueLeaveGreyAlone() {
        QFETCH(int, channels);
        cv::Mat grey = noiseImage(8, 8, 1);
        if (channels == 3)
            cv::merge(std::vector<cv::Mat>{grey, grey, grey}, grey);
        QVERIFY(sameBytes(adjustSaturation(grey, 1.8), grey));
        QVERIFY(sameBytes(adjustHue(grey, 0.3), grey));
        for (std::uint64_t seed = 0; seed < 10; ++seed) {
            Rng rng(seed);
            QVERIFY(sameBytes(colorJitter(grey, JitterSpec{0, 0, 0.8, 0.5, 1.0}, rng), grey));
        }
    }
    void saturationZeroIsGrayscale() {
        const cv::Mat rgb = noiseImage(8, 8, 3);
        QVERIFY(sameBytes(adjustSaturation(rgb, 0.0), grayscale(rgb)));
        QVERIFY(!sameBytes(adjustSaturation(rgb, 1.5), rgb));
    }
    void hueRotatesPrimaries() {
        const cv::Mat red = pixels(1, 1, 3, {255, 0, 0});
        QVERIFY(sameBytes(adjustHue(red, 1.0 / 3.0), pixels(1, 1, 3, {0, 255, 0})));
        QVERIFY(sameBytes(adjustHue(red, -1.0 / 3.0), pixels(1, 1, 3, {0, 0, 255})));
        QVERIFY(sameBytes(adjustHue(red, 0.5), pixels(1, 1, 3, {0, 255, 255})));
    }

    void jitterThatCannotChangeIsIdentity_data() {
        QTest::addColumn<double>("strength");
        QTest::addColumn<double>("p");
        QTest::newRow("zero strengths") << 0.0 << 1.0;
        QTest::newRow("p zero") << 0.8 << 0.0;
    }
    void jitterThatCannotChangeIsIdentity() {
        QFETCH(double, strength);
        QFETCH(double, p);
        const cv::Mat rgb = noiseImage(8, 8, 3);
        Rng rng(4), untouched(4);
        const JitterSpec spec{strength, strength, strength, std::min(strength, 0.5), p};
        QVERIFY(sameBytes(colorJitter(rgb, spec, rng), rgb));
        QCOMPARE(rng.next(), untouched.next()); // drew nothing
    }

    // --- solarize --------------------------------------------------------------------------

    void solarizeExact_data() {
        QTest::addColumn<int>("threshold");
        QTest::addColumn<cv::Mat>("expected");
        // Input is always {0, 127, 128, 200, 255}.
        QTest::newRow("128") << 128 << pixels(1, 5, 1, {0, 127, 127, 55, 0});
        QTest::newRow("0 inverts all") << 0 << pixels(1, 5, 1, {255, 128, 127, 55, 0});
        QTest::newRow("256 inverts none") << 256 << pixels(1, 5, 1, {0, 127, 128, 200, 255});
    }
    void solarizeExact() {
        QFETCH(int, threshold);
        QFETCH(cv::Mat, expected);
        QVERIFY(sameBytes(solarize(pixels(1, 5, 1, {0, 127, 128, 200, 255}), threshold), expected));
    }

    // --- blur ------------------------------------------------------------------------------

    void blurSmoothsAndKeepsFlatImages_data() {
        QTest::addColumn<int>("channels");
        QTest::newRow("1ch") << 1;
        QTest::newRow("3ch") << 3;
    }
    void blurSmoothsAndKeepsFlatImages() {
        QFETCH(int, channels);
        const cv::Mat noise = noiseImage(20, 20, channels);
        const double before = variance(noise);
        QVERIFY(variance(gaussianBlurWithSigma(noise, 1.0)) < before / 4);
        QVERIFY(variance(gaussianBlurWithSigma(noise, 2.0)) <
                variance(gaussianBlurWithSigma(noise, 1.0)));
        const cv::Mat flat(9, 9, CV_8UC(channels), cv::Scalar::all(77));
        QVERIFY(sameBytes(gaussianBlurWithSigma(flat, 1.5), flat));
    }
    void blurKernelReachesThreeSigma() {
        // A vertical line blurred with σ = 1 spreads exactly ceil(3σ) = 3 columns each way.
        cv::Mat line(5, 21, CV_8UC1, cv::Scalar(0));
        line.col(10).setTo(255);
        const cv::Mat out = gaussianBlurWithSigma(line, 1.0);
        for (int row = 0; row < out.rows; ++row) {
            QCOMPARE(int(out.at<uchar>(row, 7)), 1); // 255 · e^−4.5 / Σ = 1.13
            QCOMPARE(int(out.at<uchar>(row, 13)), 1);
            QCOMPARE(int(out.at<uchar>(row, 6)), 0);
            QCOMPARE(int(out.at<uchar>(row, 14)), 0);
            QCOMPARE(int(out.at<uchar>(row, 10)), 102); // 255 / Σ, Σ = 2.5059 over ±3
        }
    }
    void blurSigmaStaysInItsRange() {
        const cv::Mat noise = noiseImage(24, 24, 3);
        const double sharpest = variance(gaussianBlurWithSigma(noise, 0.6));
        const double softest = variance(gaussianBlurWithSigma(noise, 1.2));
        std::set<double> seen;
        for (std::uint64_t seed = 0; seed < 30; ++seed) {
            Rng rng(seed);
            const double v = variance(gaussianBlur(noise, BlurSpec{1.0, {0.6, 1.2}}, rng));
            QVERIFY(v <= sharpest && v >= softest);
            seen.insert(v);
        }
        QVERIFY(seen.size() >= 10);
        Rng fixed(1);
        QVERIFY(sameBytes(gaussianBlur(noise, BlurSpec{1.0, {0.8, 0.8}}, fixed),
                          gaussianBlurWithSigma(noise, 0.8)));
    }
    void blurWiderThanImageStillWorks() {
        const cv::Mat tiny = noiseImage(2, 3, 3);
        const cv::Mat out = gaussianBlurWithSigma(tiny, 2.0);
        QCOMPARE(out.size(), tiny.size());
        QVERIFY(variance(out) < variance(tiny));
    }

    // --- normalise -------------------------------------------------------------------------

    void normalizeExactValues_data() {
        QTest::addColumn<int>("channels");
        QTest::addColumn<QList<float>>("mean");
        QTest::addColumn<QList<float>>("std");
        QTest::newRow("default 1ch") << 1 << QList<float>{} << QList<float>{};
        QTest::newRow("default 3ch") << 3 << QList<float>{} << QList<float>{};
        QTest::newRow("one value 3ch") << 3 << QList<float>{0.25f} << QList<float>{0.2f};
        QTest::newRow("imagenet") << 3 << QList<float>{0.485f, 0.456f, 0.406f}
                                  << QList<float>{0.229f, 0.224f, 0.225f};
        QTest::newRow("three values 1ch")
            << 1 << QList<float>{0.1f, 0.9f, 0.9f} << QList<float>{0.3f, 9.f, 9.f};
    }
    void normalizeExactValues() {
        QFETCH(int, channels);
        QFETCH(QList<float>, mean);
        QFETCH(QList<float>, std);
        const NormalizeSpec spec{{mean.begin(), mean.end()}, {std.begin(), std.end()}};
        const cv::Mat image = noiseImage(3, 4, channels);
        std::vector<float> out(image.total() * channels, -99.0f);
        normalizeToChw(image, spec, out.data());
        const auto value = [](const QList<float>& list, int c) {
            return list.isEmpty() ? 0.5 : double(list[std::min<int>(c, int(list.size()) - 1)]);
        };
        for (int c = 0; c < channels; ++c)
            for (int y = 0; y < 3; ++y)
                for (int x = 0; x < 4; ++x) {
                    const int v = image.ptr<uchar>(y)[x * channels + c];
                    const float expected =
                        static_cast<float>((v / 255.0 - value(mean, c)) / value(std, c));
                    const float got = out[(c * 3 + y) * 4 + x];
                    QVERIFY2(got == expected, qPrintable(QString::number(got, 'g', 9)));
                }
    }
    void normalizeDefaultMapsToPlusMinusOne() {
        std::vector<float> out(3);
        normalizeToChw(pixels(1, 3, 1, {0, 51, 255}), NormalizeSpec{}, out.data());
        QVERIFY(out[0] == -1.0f);
        QVERIFY(out[1] == -0.6f);
        QVERIFY(out[2] == 1.0f);
    }
};

QTEST_APPLESS_MAIN(TestAugmentOps)
#include "tst_augment_ops.moc"
