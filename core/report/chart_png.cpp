// The PNG writer: the scene drawn with OpenCV (antialiased lines, Hershey text) and encoded in
// memory, so the atomic file write stays in one place (writeFigure).
#include "report/chart_scene.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace gps::report {

namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
// Points are passed to OpenCV with 4 fractional bits, so thin lines keep sub-pixel positions.
constexpr int kShift = 4;
constexpr double kOne = 1 << kShift;
// A Hershey glyph of scale 1 is about 22 pixels tall; a font's capitals are about 0.72 em.
constexpr double kHersheyCapHeight = 22.0;

cv::Scalar bgr(Rgb c) {
    return {static_cast<double>(c.b), static_cast<double>(c.g), static_cast<double>(c.r)};
}

cv::Point fixedPoint(ScenePoint p) {
    return {static_cast<int>(std::lround(p.x * kOne)), static_cast<int>(std::lround(p.y * kOne))};
}

int thickness(double width) {
    return std::max(1, static_cast<int>(std::lround(width)));
}

// Splits a polyline into dashes of 4 widths with gaps of 3, measured along the line.
std::vector<std::vector<ScenePoint>> dashes(const ScenePolyline& line) {
    const double on = std::max(2.0, line.width * 4);
    const double off = std::max(2.0, line.width * 3);
    std::vector<std::vector<ScenePoint>> out;
    std::vector<ScenePoint> current{line.points.front()};
    bool drawing = true;
    double left = on; // length left in the current dash or gap
    for (std::size_t i = 1; i < line.points.size(); ++i) {
        ScenePoint from = line.points[i - 1];
        const ScenePoint to = line.points[i];
        double length = std::hypot(to.x - from.x, to.y - from.y);
        while (length > left) {
            const double t = left / length;
            from = {from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t};
            length -= left;
            if (drawing) {
                current.push_back(from);
                out.push_back(current);
                current.clear();
            } else {
                current = {from};
            }
            drawing = !drawing;
            left = drawing ? on : off;
        }
        left -= length;
        if (drawing)
            current.push_back(to);
    }
    if (drawing && current.size() > 1)
        out.push_back(current);
    return out;
}

struct PngItem {
    cv::Mat& image;

    void operator()(const SceneRect& r) const {
        const cv::Point a = fixedPoint({r.x, r.y});
        const cv::Point b = fixedPoint({r.x + r.width, r.y + r.height});
        if (r.fill)
            cv::rectangle(image, a, b, bgr(*r.fill), cv::FILLED, cv::LINE_8, kShift);
        if (r.stroke)
            cv::rectangle(image, a, b, bgr(*r.stroke), thickness(r.strokeWidth), cv::LINE_AA,
                          kShift);
    }
    void operator()(const ScenePolyline& line) const {
        if (line.points.size() < 2)
            return;
        const auto pieces =
            line.dashed ? dashes(line) : std::vector<std::vector<ScenePoint>>{line.points};
        std::vector<std::vector<cv::Point>> polylines;
        for (const auto& piece : pieces) {
            polylines.emplace_back();
            for (const ScenePoint& p : piece)
                polylines.back().push_back(fixedPoint(p));
        }
        cv::polylines(image, polylines, false, bgr(line.colour), thickness(line.width), cv::LINE_AA,
                      kShift);
    }
    void operator()(const SceneMarker& m) const {
        if (m.shape == MarkerShape::Circle)
            cv::circle(image, fixedPoint(m.at), static_cast<int>(std::lround(m.radius * kOne)),
                       bgr(m.colour), cv::FILLED, cv::LINE_AA, kShift);
        else
            cv::rectangle(image, fixedPoint({m.at.x - m.radius, m.at.y - m.radius}),
                          fixedPoint({m.at.x + m.radius, m.at.y + m.radius}), bgr(m.colour),
                          cv::FILLED, cv::LINE_AA, kShift);
    }
    void operator()(const SceneText& t) const {
        const std::string text = asciiOnly(t.text);
        if (text.empty())
            return;
        // Hershey letters are wider than Helvetica's: shrink a label to the width the layout
        // measured for it, so legends and tick labels keep their room.
        const int weight = std::max(1, static_cast<int>(std::lround(t.size / 16)));
        int baseline = 0;
        const double byHeight = 0.72 * t.size / kHersheyCapHeight;
        const double naturalWidth = cv::getTextSize(text, kFont, byHeight, weight, &baseline).width;
        const double measured = textWidth(text, t.size);
        const double scale = naturalWidth > measured && naturalWidth > 0
                                 ? byHeight * measured / naturalWidth
                                 : byHeight;
        const cv::Size size = cv::getTextSize(text, kFont, scale, weight, &baseline);
        const double shift = t.anchor == TextAnchor::Start    ? 0
                             : t.anchor == TextAnchor::Middle ? size.width / 2.0
                                                              : size.width;
        if (!t.vertical) {
            cv::putText(image, text,
                        {static_cast<int>(std::lround(t.at.x - shift)),
                         static_cast<int>(std::lround(t.at.y))},
                        kFont, scale, bgr(t.colour), weight, cv::LINE_AA);
            return;
        }
        // OpenCV draws only horizontal text: draw it on a white tile, turn the tile and copy
        // the pixels that are not white.
        const int pad = weight + 2;
        cv::Mat tile(size.height + baseline + 2 * pad, size.width + 2 * pad, image.type(),
                     cv::Scalar(255, 255, 255));
        cv::putText(tile, text, {pad, pad + size.height}, kFont, scale, bgr(t.colour), weight,
                    cv::LINE_AA);
        cv::rotate(tile, tile, cv::ROTATE_90_COUNTERCLOCKWISE);
        // After the turn the baseline runs upward at x = at.x; the glyphs stand to its left.
        const int left = static_cast<int>(std::lround(t.at.x)) - pad - size.height;
        const int top = static_cast<int>(std::lround(t.at.y + shift)) - pad - size.width;
        const cv::Rect wanted(left, top, tile.cols, tile.rows);
        const cv::Rect inside = wanted & cv::Rect(0, 0, image.cols, image.rows);
        if (inside.empty())
            return;
        const cv::Mat source = tile(inside - wanted.tl());
        cv::Mat mask;
        cv::inRange(source, cv::Scalar(255, 255, 255), cv::Scalar(255, 255, 255), mask);
        cv::bitwise_not(mask, mask);
        source.copyTo(image(inside), mask);
    }
};

} // namespace

Result<std::vector<std::uint8_t>> scenePng(const Scene& scene) {
    try {
        cv::Mat image(static_cast<int>(std::lround(scene.height)),
                      static_cast<int>(std::lround(scene.width)), CV_8UC3,
                      cv::Scalar(255, 255, 255));
        for (const SceneItem& item : scene.items)
            std::visit(PngItem{image}, item);
        std::vector<std::uint8_t> bytes;
        if (!cv::imencode(".png", image, bytes))
            return makeError(ErrorCode::Io, "OpenCV could not encode the PNG");
        return bytes;
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::Io,
                         std::string("OpenCV could not draw the figure: ") + e.what());
    }
}

} // namespace gps::report
