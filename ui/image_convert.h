#pragma once
/// Turning dataset images (cv::Mat, uint8, grey or RGB) into QImages for display, and scaling
/// them so that tiny images stay crisp. Pure functions: safe on any thread.

#include <QImage>

namespace cv {
class Mat;
}

namespace gps::ui {

/// Deep copy of a uint8 image with 1 channel (Format_Grayscale8) or 3 channels in RGB order
/// (Format_RGB888). Anything else throws gps::CheckFailure. A null image for an empty Mat.
QImage toQImage(const cv::Mat& image);

/// `image` scaled to fit a `side` × `side` square: upscaled by the largest whole factor with
/// nearest-neighbour sampling (pixels stay square and sharp) or downscaled smoothly when it is
/// larger than the square.
QImage scaledCrisp(const QImage& image, int side);

/// A `side` × `side` thumbnail: scaledCrisp() centred on a transparent square, so every
/// thumbnail has the same size whatever the image's shape.
QImage makeThumbnail(const cv::Mat& image, int side);

/// The neutral square shown while a thumbnail is being made.
QImage placeholderThumbnail(int side);

} // namespace gps::ui
