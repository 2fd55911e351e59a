// cv::Mat -> QImage conversion and crisp scaling: exact pixels, any stride, square thumbnails.

#include "common/check.h"
#include "image_convert.h"

#include <QtTest>

#include <opencv2/core/mat.hpp>

using gps::ui::makeThumbnail;
using gps::ui::scaledCrisp;
using gps::ui::toQImage;

namespace {

// A pattern where every pixel and channel differs, so swapped channels or rows are caught.
cv::Mat patterned(int rows, int cols, int channels) {
    cv::Mat image(rows, cols, CV_8UC(channels));
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x)
            for (int c = 0; c < channels; ++c)
                image.ptr<std::uint8_t>(y)[x * channels + c] =
                    std::uint8_t((y * 37 + x * 11 + c * 101 + 5) % 256);
    return image;
}

} // namespace

class TestImageConvert : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void greyPixelsAreExact() {
        const cv::Mat image = patterned(5, 7, 1); // odd width: QImage pads rows, Mat does not
        const QImage converted = toQImage(image);
        QCOMPARE(converted.format(), QImage::Format_Grayscale8);
        QCOMPARE(converted.size(), QSize(7, 5));
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 7; ++x)
                QCOMPARE(converted.constScanLine(y)[x], image.at<std::uint8_t>(y, x));
    }

    void rgbPixelsAreExactInRgbOrder() {
        const cv::Mat image = patterned(4, 3, 3);
        const QImage converted = toQImage(image);
        QCOMPARE(converted.format(), QImage::Format_RGB888);
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 3; ++x) {
                const cv::Vec3b pixel = image.at<cv::Vec3b>(y, x);
                QCOMPARE(converted.pixel(x, y), qRgb(pixel[0], pixel[1], pixel[2]));
            }
    }

    void viewWithStrideIsCopiedRowByRow() {
        const cv::Mat whole = patterned(10, 10, 3);
        const cv::Mat roi = whole(cv::Rect(2, 3, 5, 4)); // a view: row stride is the parent's
        const QImage converted = toQImage(roi);
        QCOMPARE(converted.size(), QSize(5, 4));
        const cv::Vec3b corner = whole.at<cv::Vec3b>(6, 6);
        QCOMPARE(converted.pixel(4, 3), qRgb(corner[0], corner[1], corner[2]));
    }

    void conversionIsADeepCopy() {
        cv::Mat image = patterned(3, 3, 1);
        const QImage converted = toQImage(image);
        const std::uint8_t before = converted.constScanLine(1)[1];
        image.at<std::uint8_t>(1, 1) = std::uint8_t(before + 1);
        QCOMPARE(converted.constScanLine(1)[1], before);
    }

    void unsupportedChannelCountThrows() {
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, toQImage(cv::Mat(2, 2, CV_8UC4)));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, toQImage(cv::Mat(2, 2, CV_32FC1)));
        QVERIFY(toQImage(cv::Mat()).isNull());
    }

    void smallImagesScaleByWholeFactorsWithSharpPixels() {
        const QImage source = toQImage(patterned(28, 28, 1));
        const QImage scaled = scaledCrisp(source, 64);
        QCOMPARE(scaled.size(), QSize(56, 56)); // 2×, not a blurry 2.29×
        for (int y : {0, 1}) // each source pixel becomes a 2×2 block of the same value
            for (int x : {0, 1})
                QCOMPARE(scaled.pixel(10 * 2 + x, 7 * 2 + y), source.pixel(10, 7));
    }

    void largeImagesScaleDownToFit() {
        const QImage source = toQImage(patterned(96, 48, 3));
        QCOMPARE(scaledCrisp(source, 64).size(), QSize(32, 64));
    }

    void thumbnailIsASquareWithTheImageCentred() {
        const cv::Mat image = patterned(28, 28, 1);
        const QImage thumb = makeThumbnail(image, 64);
        QCOMPARE(thumb.size(), QSize(64, 64));
        QCOMPARE(qAlpha(thumb.pixel(0, 0)), 0); // margin is transparent
        const int grey = image.at<std::uint8_t>(0, 0);
        QCOMPARE(thumb.pixel(4, 4), qRgb(grey, grey, grey)); // (64 - 56) / 2 = 4
    }
};

QTEST_MAIN(TestImageConvert)
#include "tst_image_convert.moc"
