#pragma once
/// A labelled grid of images written as PNG: the CLI's way to show augmented views (and, later,
/// an anchor with its positives). Deterministic: the same cells give the same bytes.

#include "common/result.h"
#include "data/dataset.h"

#include <opencv2/core/mat.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace gps::cli {

struct SheetCell {
    cv::Mat image;       ///< uint8, 1 channel or 3 channels RGB
    std::string caption; ///< drawn above the image, cut to fit
    bool marked = false; ///< drawn with a red frame (e.g. a positive of another class)
};

struct SheetLayout {
    int cellSize = 112; ///< side of each image in px; small images are scaled up crisply
    int columns = 8;
};

/// "#12 Ankle boot": the caption of image `index` (without a class for unlabelled data).
std::string imageCaption(const data::Dataset& dataset, std::size_t index);

/// The grid as a BGR image (OpenCV order, ready for imencode).
cv::Mat renderContactSheet(const std::vector<SheetCell>& cells, const SheetLayout& layout);

/// Encodes `bgr` as PNG and writes it atomically.
Status writePng(const std::filesystem::path& path, const cv::Mat& bgr);

} // namespace gps::cli
