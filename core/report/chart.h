#pragma once
/// A small, device-independent figure: stacked panels of line and marker series over a shared
/// kind of x axis, an optional right y axis, horizontal reference lines and a legend. The
/// layout (ranges, ticks, positions) is computed once (chart_scene.h) and drawn by three
/// writers: SVG, vector PDF and PNG (OpenCV), so the CLI exports figures without Qt.
///
/// Units: a figure is laid out in pixels of a FigureSize; the PDF uses one point per pixel.
/// All functions are pure and thread-safe.

#include "common/result.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gps::report {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
};

/// `colour` moved towards white by `amount` in [0, 1]: how a raw curve is drawn faint under
/// its smoothed version (every writer draws opaque colours).
Rgb lightened(Rgb colour, double amount);

enum class YAxisSide { Left, Right };
enum class MarkerShape { Circle, Square };

struct Series {
    std::string name;         ///< legend entry; empty = not in the legend
    std::vector<double> x, y; ///< same length; non-finite pairs are skipped
    Rgb colour;
    double width = 2.0; ///< line width in pixels
    bool dashed = false;
    bool line = true;     ///< join the points
    bool markers = false; ///< draw a marker at each point
    MarkerShape marker = MarkerShape::Circle;
    YAxisSide axis = YAxisSide::Left;
    std::string lastPointLabel; ///< text printed beside the last point ("81.3 %"), or empty
};

/// A horizontal line across the plot at `value` of the left axis, labelled at its right end.
struct ReferenceLine {
    double value = 0;
    Rgb colour{120, 120, 120};
    bool dashed = true;
    std::string label; ///< "prior linear probe 80.2 %"
};

struct AxisRange {
    double lo = 0, hi = 1;
};

struct Panel {
    std::string title;
    std::string xLabel;
    std::string yLabel;     ///< left axis
    std::string rightLabel; ///< right axis; it is drawn when a series uses it
    bool logY = false;      ///< left axis in log scale (values ≤ 0 are then not drawn)
    /// The left axis spans at least this (accuracies: 0–1); points outside still widen it.
    std::optional<AxisRange> leftAtLeast;
    std::vector<Series> series;
    std::vector<ReferenceLine> references;
    bool legend = true;
};

struct Figure {
    std::string title; ///< above the first panel, or empty
    std::vector<Panel> panels;
};

struct FigureSize {
    int width = 1200; ///< pixels (PNG, SVG) or points (PDF)
    int height = 900;
};

/// Writes `figure` to `file` as PNG, SVG or PDF by its extension (case-insensitive).
/// InvalidInput naming the file and the allowed extensions for any other extension, or for a
/// size outside 200–10000 pixels a side; Io naming the file when writing fails. The file is
/// written atomically (common/file_io.h): a failed export leaves no partial file.
Status writeFigure(const Figure& figure, const std::filesystem::path& file, FigureSize size = {});

/// "png", "svg" or "pdf" for a file name those writers take; nullopt otherwise.
std::optional<std::string> figureFormat(const std::filesystem::path& file);

// --- axis arithmetic, public for tests and for the studio's own plots ---

/// The range drawn for `values` (non-finite ones ignored; on a log axis, also those ≤ 0):
/// every value inside with 5 % padding each side; a padded bound never crosses 0 when every
/// value is on one side of it; one distinct value gets a range around it; no values give 0–1
/// (1–10 on a log axis). `atLeast`, when given, is included.
AxisRange axisRange(const std::vector<double>& values, bool log = false,
                    std::optional<AxisRange> atLeast = std::nullopt);

/// About `target` "nice" tick values (1, 2 or 5 × 10^k apart) inside [lo, hi], ascending.
std::vector<double> niceTicks(double lo, double hi, int target = 6);
/// Ticks of a log axis: the powers of ten inside [lo, hi] (lo > 0), with 2 and 5 × 10^k added
/// when there are fewer than three, and linear ticks when the range spans no power at all.
std::vector<double> logTicks(double lo, double hi);
/// A tick's text: as few digits as the spacing `step` needs ("0.25", "2000", "1e-4").
std::string tickLabel(double value, double step);

} // namespace gps::report
