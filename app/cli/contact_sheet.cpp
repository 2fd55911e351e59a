#include "cli/contact_sheet.h"

#include "common/check.h"
#include "common/file_io.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace gps::cli {

namespace {

constexpr int kCaptionHeight = 18;
constexpr int kGap = 6;
const cv::Scalar kBackground(255, 255, 255);
const cv::Scalar kText(30, 30, 30);
const cv::Scalar kMark(0, 0, 220); // red in BGR

cv::Mat toBgrCell(const cv::Mat& image, int side) {
    cv::Mat bgr;
    if (image.channels() == 1)
        cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
    else
        cv::cvtColor(image, bgr, cv::COLOR_RGB2BGR);
    // Nearest keeps a 28 px digit's pixels visible as blocks instead of a blur.
    const bool upscale = side >= 2 * std::max(image.rows, image.cols);
    cv::Mat scaled;
    cv::resize(bgr, scaled, cv::Size(side, side), 0, 0,
               upscale ? cv::INTER_NEAREST : cv::INTER_AREA);
    return scaled;
}

std::string fitCaption(const std::string& caption, int width, double scale) {
    std::string text = caption;
    int baseline = 0;
    while (!text.empty() &&
           cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline).width > width)
        text.pop_back();
    return text;
}

} // namespace

std::string imageCaption(const data::Dataset& dataset, std::size_t index) {
    // Appending piecewise: GCC 12 warns (-Wrestrict, a false positive) on "#" + to_string().
    std::string caption = "#";
    caption += std::to_string(index);
    if (dataset.labelled()) {
        caption += ' ';
        caption += dataset.classNames()[static_cast<std::size_t>(dataset.label(index))];
    }
    return caption;
}

cv::Mat renderContactSheet(const std::vector<SheetCell>& cells, const SheetLayout& layout) {
    GPS_CHECK(!cells.empty(), "a contact sheet needs at least one cell");
    GPS_CHECK(layout.cellSize >= 16 && layout.columns >= 1, "bad layout");
    const int columns = std::min<int>(layout.columns, static_cast<int>(cells.size()));
    const int rows = (static_cast<int>(cells.size()) + columns - 1) / columns;
    const int pitchX = layout.cellSize + kGap;
    const int pitchY = layout.cellSize + kCaptionHeight + kGap;
    cv::Mat sheet(rows * pitchY + kGap, columns * pitchX + kGap, CV_8UC3, kBackground);
    const double textScale = 0.4;
    for (std::size_t k = 0; k < cells.size(); ++k) {
        const int x = kGap + static_cast<int>(k % columns) * pitchX;
        const int y = kGap + static_cast<int>(k / columns) * pitchY;
        const SheetCell& cell = cells[k];
        cv::putText(sheet, fitCaption(cell.caption, layout.cellSize, textScale),
                    cv::Point(x, y + kCaptionHeight - 5), cv::FONT_HERSHEY_SIMPLEX, textScale,
                    cell.marked ? kMark : kText, 1, cv::LINE_AA);
        const cv::Rect target(x, y + kCaptionHeight, layout.cellSize, layout.cellSize);
        toBgrCell(cell.image, layout.cellSize).copyTo(sheet(target));
        if (cell.marked)
            cv::rectangle(sheet, target, kMark, 3);
    }
    return sheet;
}

Status writePng(const std::filesystem::path& path, const cv::Mat& bgr) {
    std::vector<std::uint8_t> bytes;
    if (!cv::imencode(".png", bgr, bytes))
        return makeError(ErrorCode::Internal, "PNG encoding failed for " + path.string());
    return writeFileAtomic(path, bytes.data(), bytes.size());
}

} // namespace gps::cli
