#include "report/chart_scene.h"

#include <algorithm>
#include <cmath>

namespace gps::report {

namespace {

constexpr Rgb kInk{30, 30, 30};
constexpr Rgb kGrid{228, 228, 228};
constexpr Rgb kFrame{150, 150, 150};
constexpr Rgb kWhite{255, 255, 255};

/// Maps data values to pixels along one axis (linear or log10).
struct Scale {
    AxisRange range;
    bool log = false;
    double from = 0, to = 1; ///< pixel positions of range.lo and range.hi

    bool drawable(double v) const { return std::isfinite(v) && (!log || v > 0); }
    double operator()(double v) const {
        const double t = log ? (std::log10(v) - std::log10(range.lo)) /
                                   (std::log10(range.hi) - std::log10(range.lo))
                             : (v - range.lo) / (range.hi - range.lo);
        return from + t * (to - from);
    }
};

struct Ticks {
    std::vector<double> values;
    std::vector<std::string> labels;
    double widest = 0; ///< pixels of the widest label
};

Ticks makeTicks(AxisRange range, bool log, double fontSize) {
    Ticks ticks;
    ticks.values = log ? logTicks(range.lo, range.hi) : niceTicks(range.lo, range.hi, 6);
    const double step =
        ticks.values.size() > 1 ? ticks.values[1] - ticks.values[0] : range.hi - range.lo;
    for (const double v : ticks.values) {
        ticks.labels.push_back(tickLabel(v, log ? v : step));
        ticks.widest = std::max(ticks.widest, textWidth(ticks.labels.back(), fontSize));
    }
    return ticks;
}

std::vector<double> seriesValues(const Panel& panel, YAxisSide side, bool wantX) {
    std::vector<double> values;
    for (const Series& s : panel.series)
        if (s.axis == side || wantX)
            for (std::size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i)
                if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
                    values.push_back(wantX ? s.x[i] : s.y[i]);
    return values;
}

bool usesRightAxis(const Panel& panel) {
    return std::any_of(panel.series.begin(), panel.series.end(),
                       [](const Series& s) { return s.axis == YAxisSide::Right; });
}

std::string fitted(const std::string& text, double size, double width) {
    if (textWidth(text, size) <= width)
        return text;
    std::string cut = text;
    while (!cut.empty() && textWidth(cut + "...", size) > width)
        cut.pop_back();
    return cut + "...";
}

/// What every panel shares, so their plot areas line up.
struct Frame {
    double font = 12;    ///< tick and legend text
    double bigFont = 14; ///< axis labels and titles
    double plotLeft = 0, plotRight = 0, legendLeft = 0, legendWidth = 0;
    AxisRange x;
};

void layoutPanel(const Panel& panel, const Frame& f, double top, double bottom, Scene& scene) {
    auto& items = scene.items;
    const double titleHeight = panel.title.empty() ? f.font * 0.6 : f.bigFont * 1.8;
    const double plotTop = top + titleHeight;
    const double plotBottom =
        bottom - f.font * 1.8 - (panel.xLabel.empty() ? 0 : f.bigFont * 1.6) - f.font * 0.6;
    const double plotWidth = f.plotRight - f.plotLeft;
    if (plotBottom - plotTop < 10 || plotWidth < 10)
        return; // a canvas too small for this panel: leave it blank rather than draw inverted

    std::vector<double> leftValues = seriesValues(panel, YAxisSide::Left, false);
    for (const ReferenceLine& ref : panel.references)
        leftValues.push_back(ref.value);
    const Scale xs{f.x, false, f.plotLeft, f.plotRight};
    const Scale left{axisRange(leftValues, panel.logY, panel.leftAtLeast), panel.logY, plotBottom,
                     plotTop};
    const Scale right{axisRange(seriesValues(panel, YAxisSide::Right, false)), false, plotBottom,
                      plotTop};
    const Ticks xTicks = makeTicks(f.x, false, f.font);
    const Ticks leftTicks = makeTicks(left.range, left.log, f.font);

    items.push_back(
        SceneRect{f.plotLeft, plotTop, plotWidth, plotBottom - plotTop, kWhite, std::nullopt, 1});
    for (const double v : xTicks.values)
        items.push_back(ScenePolyline{{{xs(v), plotTop}, {xs(v), plotBottom}}, kGrid, 1, false});
    for (const double v : leftTicks.values)
        items.push_back(
            ScenePolyline{{{f.plotLeft, left(v)}, {f.plotRight, left(v)}}, kGrid, 1, false});
    const double tickBaseline = plotBottom + f.font * 1.3;
    for (std::size_t i = 0; i < xTicks.values.size(); ++i)
        items.push_back(SceneText{{xs(xTicks.values[i]), tickBaseline},
                                  xTicks.labels[i],
                                  f.font,
                                  kInk,
                                  TextAnchor::Middle,
                                  false});
    for (std::size_t i = 0; i < leftTicks.values.size(); ++i)
        items.push_back(
            SceneText{{f.plotLeft - f.font * 0.4, left(leftTicks.values[i]) + f.font * 0.35},
                      leftTicks.labels[i],
                      f.font,
                      kInk,
                      TextAnchor::End,
                      false});
    if (!panel.xLabel.empty())
        items.push_back(SceneText{{(f.plotLeft + f.plotRight) / 2, tickBaseline + f.bigFont * 1.5},
                                  panel.xLabel,
                                  f.bigFont,
                                  kInk,
                                  TextAnchor::Middle,
                                  false});
    const double middleY = (plotTop + plotBottom) / 2;
    if (!panel.yLabel.empty())
        items.push_back(SceneText{{f.plotLeft - f.font * 0.8 - leftTicks.widest, middleY},
                                  panel.yLabel,
                                  f.bigFont,
                                  kInk,
                                  TextAnchor::Middle,
                                  true});
    if (usesRightAxis(panel)) {
        const Ticks rightTicks = makeTicks(right.range, false, f.font);
        for (std::size_t i = 0; i < rightTicks.values.size(); ++i)
            items.push_back(
                SceneText{{f.plotRight + f.font * 0.4, right(rightTicks.values[i]) + f.font * 0.35},
                          rightTicks.labels[i],
                          f.font,
                          kInk,
                          TextAnchor::Start,
                          false});
        if (!panel.rightLabel.empty())
            items.push_back(
                SceneText{{f.plotRight + f.font * 0.8 + rightTicks.widest + f.bigFont, middleY},
                          panel.rightLabel,
                          f.bigFont,
                          kInk,
                          TextAnchor::Middle,
                          true});
    }
    if (!panel.title.empty())
        items.push_back(SceneText{{(f.plotLeft + f.plotRight) / 2, top + f.bigFont * 1.2},
                                  panel.title,
                                  f.bigFont,
                                  kInk,
                                  TextAnchor::Middle,
                                  false});

    // Reference labels sit at the left end, where curves rarely end and the last-point labels
    // of evaluation markers never are; a label that would overlap another goes below its line.
    std::vector<double> labelBaselines;
    const auto collides = [&](double baseline) {
        return std::any_of(labelBaselines.begin(), labelBaselines.end(),
                           [&](double other) { return std::abs(other - baseline) < f.font * 1.1; });
    };
    for (const ReferenceLine& ref : panel.references) {
        if (!left.drawable(ref.value))
            continue;
        const double y = left(ref.value);
        items.push_back(
            ScenePolyline{{{f.plotLeft, y}, {f.plotRight, y}}, ref.colour, 1.5, ref.dashed});
        if (ref.label.empty())
            continue;
        double baseline = y - f.font * 0.4;
        if (collides(baseline) || baseline - f.font < plotTop)
            baseline = y + f.font * 1.2;
        labelBaselines.push_back(baseline);
        items.push_back(SceneText{{f.plotLeft + f.font * 0.4, baseline},
                                  ref.label,
                                  f.font,
                                  ref.colour,
                                  TextAnchor::Start,
                                  false});
    }
    for (const Series& s : panel.series) {
        const Scale& ys = s.axis == YAxisSide::Left ? left : right;
        std::vector<ScenePoint> points;
        const auto flush = [&] {
            if (s.line && points.size() > 1)
                items.push_back(ScenePolyline{points, s.colour, s.width, s.dashed});
            points.clear();
        };
        std::optional<ScenePoint> lastPoint;
        for (std::size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
            if (!xs.drawable(s.x[i]) || !ys.drawable(s.y[i])) {
                flush(); // a gap in the data is a gap in the line
                continue;
            }
            points.push_back({xs(s.x[i]), ys(s.y[i])});
            lastPoint = points.back();
            if (s.markers)
                items.push_back(
                    SceneMarker{points.back(), std::max(3.0, s.width * 1.8), s.colour, s.marker});
        }
        flush();
        if (!lastPoint || s.lastPointLabel.empty())
            continue;
        // Runs that end close together would print their values on top of each other: the
        // first free place above or below the point wins.
        double baseline = lastPoint->y - f.font * 0.6;
        for (const double offset : {-0.6, 1.5, -1.8, 2.7})
            if (!collides(lastPoint->y + f.font * offset)) {
                baseline = lastPoint->y + f.font * offset;
                break;
            }
        labelBaselines.push_back(baseline);
        items.push_back(SceneText{{lastPoint->x - f.font * 0.6, baseline},
                                  s.lastPointLabel,
                                  f.font,
                                  s.colour,
                                  TextAnchor::End,
                                  false});
    }
    items.push_back(
        SceneRect{f.plotLeft, plotTop, plotWidth, plotBottom - plotTop, std::nullopt, kFrame, 1});

    if (!panel.legend)
        return;
    double y = plotTop + f.font;
    const double sample = f.font * 2;
    for (const Series& s : panel.series) {
        if (s.name.empty())
            continue;
        const double x0 = f.legendLeft;
        if (s.line)
            items.push_back(
                ScenePolyline{{{x0, y - f.font * 0.35}, {x0 + sample, y - f.font * 0.35}},
                              s.colour,
                              s.width,
                              s.dashed});
        if (s.markers)
            items.push_back(SceneMarker{{x0 + sample / 2, y - f.font * 0.35},
                                        std::max(3.0, s.width * 1.8),
                                        s.colour,
                                        s.marker});
        items.push_back(SceneText{{x0 + sample + f.font * 0.5, y},
                                  fitted(s.name, f.font, f.legendWidth - sample - f.font * 0.5),
                                  f.font,
                                  kInk,
                                  TextAnchor::Start,
                                  false});
        y += f.font * 1.5;
    }
}

} // namespace

Scene layoutScene(const Figure& figure, FigureSize size) {
    Scene scene;
    scene.width = size.width;
    scene.height = size.height;
    scene.items.push_back(SceneRect{0, 0, scene.width, scene.height, kWhite, std::nullopt, 0});

    Frame f;
    const double scale = std::clamp(std::min(scene.width, scene.height * 1.3) / 1000.0, 0.6, 4.0);
    f.font = 13 * scale;
    f.bigFont = 15 * scale;
    const double outer = f.font;

    std::vector<double> xValues;
    double leftWidest = 0, rightWidest = 0, legendWidest = 0;
    bool anyYLabel = false, anyRight = false, anyRightLabel = false;
    for (const Panel& panel : figure.panels) {
        const auto xs = seriesValues(panel, YAxisSide::Left, true);
        xValues.insert(xValues.end(), xs.begin(), xs.end());
        std::vector<double> left = seriesValues(panel, YAxisSide::Left, false);
        for (const ReferenceLine& ref : panel.references)
            left.push_back(ref.value);
        leftWidest = std::max(
            leftWidest,
            makeTicks(axisRange(left, panel.logY, panel.leftAtLeast), panel.logY, f.font).widest);
        anyYLabel = anyYLabel || !panel.yLabel.empty();
        if (usesRightAxis(panel)) {
            anyRight = true;
            anyRightLabel = anyRightLabel || !panel.rightLabel.empty();
            const auto right = seriesValues(panel, YAxisSide::Right, false);
            rightWidest = std::max(rightWidest, makeTicks(axisRange(right), false, f.font).widest);
        }
        if (panel.legend)
            for (const Series& s : panel.series)
                if (!s.name.empty())
                    legendWidest = std::max(legendWidest, textWidth(s.name, f.font));
    }
    f.x = axisRange(xValues);
    f.plotLeft = outer + (anyYLabel ? f.bigFont * 1.6 : 0) + leftWidest + f.font * 0.8;
    f.legendWidth = legendWidest > 0 ? std::min(legendWidest + f.font * 3, scene.width * 0.3) : 0;
    f.legendLeft = scene.width - outer - f.legendWidth;
    f.plotRight =
        f.legendLeft - (f.legendWidth > 0 ? f.font : 0) -
        (anyRight ? rightWidest + f.font * 0.8 + (anyRightLabel ? f.bigFont * 1.6 : 0) : outer);

    double top = outer * 0.5;
    if (!figure.title.empty()) {
        scene.items.push_back(SceneText{{scene.width / 2, top + f.bigFont * 1.3},
                                        figure.title,
                                        f.bigFont * 1.15,
                                        kInk,
                                        TextAnchor::Middle,
                                        false});
        top += f.bigFont * 2;
    }
    if (figure.panels.empty())
        return scene;
    const double panelHeight =
        (scene.height - top - outer * 0.5) / static_cast<double>(figure.panels.size());
    for (std::size_t i = 0; i < figure.panels.size(); ++i)
        layoutPanel(figure.panels[i], f, top + panelHeight * static_cast<double>(i),
                    top + panelHeight * static_cast<double>(i + 1), scene);
    return scene;
}

} // namespace gps::report
