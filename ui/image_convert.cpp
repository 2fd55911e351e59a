#include "image_convert.h"

#include "common/check.h"

#include <QPainter>

#include <opencv2/core/mat.hpp>

#include <algorithm>
#include <cstring>

namespace gps::ui {

QImage toQImage(const cv::Mat& image) {
    if (image.empty())
        return {};
    GPS_CHECK(image.depth() == CV_8U,
              "toQImage: expected uint8 pixels, got depth " << image.depth());
    const int channels = image.channels();
    GPS_CHECK(channels == 1 || channels == 3,
              "toQImage: expected 1 or 3 channels, got " << channels);

    const QImage::Format format = channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888;
    QImage result(image.cols, image.rows, format);
    const std::size_t rowBytes = std::size_t(image.cols) * channels;
    // Row by row: QImage rows are 4-byte aligned, Mat rows may be views with any stride.
    for (int y = 0; y < image.rows; ++y)
        std::memcpy(result.scanLine(y), image.ptr(y), rowBytes);
    return result;
}

QImage scaledCrisp(const QImage& image, int side) {
    if (image.isNull() || side <= 0)
        return image;
    const int longest = std::max(image.width(), image.height());
    if (longest <= side) {
        const int factor = side / longest;
        if (factor == 1)
            return image;
        return image.scaled(image.width() * factor, image.height() * factor, Qt::IgnoreAspectRatio,
                            Qt::FastTransformation);
    }
    return image.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

QImage makeThumbnail(const cv::Mat& image, int side) {
    const QImage scaled = scaledCrisp(toQImage(image), side);
    QImage square(side, side, QImage::Format_ARGB32_Premultiplied);
    square.fill(Qt::transparent);
    if (scaled.isNull())
        return square;
    QPainter painter(&square);
    painter.drawImage((side - scaled.width()) / 2, (side - scaled.height()) / 2, scaled);
    return square;
}

QImage placeholderThumbnail(int side) {
    QImage square(side, side, QImage::Format_ARGB32_Premultiplied);
    square.fill(Qt::transparent);
    QPainter painter(&square);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(128, 128, 128, 60));
    const int margin = side / 8;
    painter.drawRoundedRect(QRectF(margin, margin, side - 2 * margin, side - 2 * margin), 4, 4);
    return square;
}

} // namespace gps::ui
