#pragma once
/// A laid-out figure as an ordered list of drawing primitives in pixel coordinates (origin top
/// left, y down): what the SVG, PDF and PNG writers turn into bytes. Everything a writer needs
/// is decided here, so the three files look alike.

#include "report/chart.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace gps::report {

struct ScenePoint {
    double x = 0, y = 0;
};

struct ScenePolyline {
    std::vector<ScenePoint> points;
    Rgb colour;
    double width = 1;
    bool dashed = false;
};

struct SceneMarker {
    ScenePoint at;
    double radius = 3;
    Rgb colour;
    MarkerShape shape = MarkerShape::Circle;
};

enum class TextAnchor { Start, Middle, End };

/// Text whose baseline starts, centres or ends at `at`; `vertical` turns it 90° counter-clockwise
/// about `at` (a y-axis label reads bottom to top).
struct SceneText {
    ScenePoint at;
    std::string text; ///< UTF-8; the PDF and PNG writers show non-ASCII characters as '?'
    double size = 12; ///< font size in pixels
    Rgb colour;
    TextAnchor anchor = TextAnchor::Start;
    bool vertical = false;
};

struct SceneRect {
    double x = 0, y = 0, width = 0, height = 0;
    std::optional<Rgb> fill;
    std::optional<Rgb> stroke;
    double strokeWidth = 1;
};

using SceneItem = std::variant<SceneRect, ScenePolyline, SceneMarker, SceneText>;

struct Scene {
    double width = 0, height = 0;
    std::vector<SceneItem> items; ///< drawn in order, later ones on top
};

/// Lays out `figure` on a canvas of `size`: panels stacked with equal heights, a legend column
/// on the right, ranges from axisRange and ticks from niceTicks/logTicks.
Scene layoutScene(const Figure& figure, FigureSize size);

/// Width of `text` in Helvetica at `size` pixels (its AFM widths; other characters count as
/// an average letter): the layout's and the PDF's measure of text.
double textWidth(const std::string& text, double size);

/// `text` with every non-ASCII or control character replaced by '?' (one per UTF-8 sequence),
/// for writers whose fonts hold ASCII only.
std::string asciiOnly(const std::string& text);
/// A coordinate or colour component as the SVG and PDF writers print it: at most two decimals,
/// trailing zeros dropped, never "-0".
std::string drawingNumber(double value);

/// The writers. PNG encoding can fail (OpenCV); the others cannot.
std::string sceneSvg(const Scene& scene);
std::string scenePdf(const Scene& scene);
Result<std::vector<std::uint8_t>> scenePng(const Scene& scene);

} // namespace gps::report
