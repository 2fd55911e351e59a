#include "report/run_figure.h"

#include "report/curve_math.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace gps::report {

namespace {

// Tableau's ten qualitative colours: distinct on screen and in print.
constexpr std::array<Rgb, 10> kPalette = {{{31, 119, 180},
                                           {255, 127, 14},
                                           {44, 160, 44},
                                           {214, 39, 40},
                                           {148, 103, 189},
                                           {140, 86, 75},
                                           {227, 119, 194},
                                           {127, 127, 127},
                                           {188, 189, 34},
                                           {23, 190, 207}}};
constexpr double kFaint = 0.7; // how far towards white a raw curve under its smoothing goes
constexpr Rgb kSharedPriorColour{90, 90, 90};

/// The colours of one run's curves: the run's colour for all of them when runs are compared,
/// one colour per curve for a single run.
struct CurveColours {
    Rgb loss, lr, onlineProbe, linearProbe, knn;
};

CurveColours coloursFor(std::size_t run, std::size_t runCount) {
    if (runCount == 1)
        return {kPalette[0], kPalette[1], kPalette[2], kPalette[3], kPalette[4]};
    const Rgb c = paletteColour(run);
    return {c, c, c, c, c};
}

std::string percent(double accuracy) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f %%", accuracy * 100.0);
    return buffer;
}

Series curveSeries(const Curve& curve, const RunFigureOptions& options, double smoothing) {
    Curve drawable;
    drawable.reserve(curve.size());
    for (const CurvePoint& point : curve)
        if (std::isfinite(point.x(options.x)))
            drawable.push_back(point);
    if (smoothing > 0)
        drawable = smoothed(drawable, smoothing);
    drawable = decimated(drawable, options.maxPointsPerCurve);
    Series series;
    for (const CurvePoint& point : drawable) {
        series.x.push_back(point.x(options.x));
        series.y.push_back(point.value);
    }
    return series;
}

/// The curve smoothed as asked, with its raw points drawn faint underneath when smoothing.
void addSmoothable(Panel& panel, const Curve& curve, const RunFigureOptions& options,
                   std::string name, Rgb colour) {
    Series drawn = curveSeries(curve, options, options.smoothing);
    if (drawn.x.empty())
        return; // a curve the run did not log gets no legend entry
    if (options.smoothing > 0) {
        Series raw = curveSeries(curve, options, 0);
        raw.colour = lightened(colour, kFaint);
        raw.width = 1;
        panel.series.push_back(std::move(raw));
    }
    drawn.name = std::move(name);
    drawn.colour = colour;
    panel.series.push_back(std::move(drawn));
}

void addEvaluations(Panel& panel, const Curve& curve, const RunFigureOptions& options,
                    std::string name, Rgb colour, MarkerShape shape) {
    Series series = curveSeries(curve, options, 0);
    if (series.x.empty())
        return;
    series.name = std::move(name);
    series.colour = colour;
    series.line = series.x.size() > 1;
    series.width = 1.2;
    series.markers = true;
    series.marker = shape;
    series.lastPointLabel = percent(series.y.back());
    panel.series.push_back(std::move(series));
}

void addPrior(Panel& panel, std::optional<double> value, const std::string& what, Rgb colour,
              const std::string& runPrefix) {
    if (!value)
        return;
    // Runs that share a prior share its line: the same value is drawn once, in grey.
    for (ReferenceLine& line : panel.references)
        if (line.value == *value && line.label.find(what) != std::string::npos) {
            line.colour = kSharedPriorColour;
            line.label = what + " " + percent(*value);
            return;
        }
    panel.references.push_back({*value, colour, true, runPrefix + what + " " + percent(*value)});
}

} // namespace

std::string xAxisLabel(XAxis axis) {
    switch (axis) {
    case XAxis::Step:
        return "Step";
    case XAxis::Epoch:
        return "Epoch";
    case XAxis::Time:
        return "Time (s)";
    }
    return "";
}

Rgb paletteColour(std::size_t index) {
    return kPalette[index % kPalette.size()];
}

Figure runFigure(const std::vector<NamedRun>& runs, const RunFigureOptions& options) {
    Figure figure;
    figure.title = runs.size() == 1 ? runs.front().name : "";
    Panel training;
    training.title = "Loss and learning rate";
    training.xLabel = xAxisLabel(options.x);
    training.yLabel = options.logLoss ? "Loss (log scale)" : "Loss";
    training.rightLabel = "Learning rate";
    training.logY = options.logLoss;
    Panel accuracy;
    accuracy.title = "Accuracy";
    accuracy.xLabel = xAxisLabel(options.x);
    accuracy.yLabel = "Accuracy";
    accuracy.leftAtLeast = AxisRange{0, 1};

    for (std::size_t i = 0; i < runs.size(); ++i) {
        const RunCurves& curves = runs[i].curves;
        const CurveColours colours = coloursFor(i, runs.size());
        const std::string prefix = runs.size() == 1 ? "" : runs[i].name + ": ";
        addSmoothable(training, curves.loss, options, prefix + "loss", colours.loss);
        Series lr = curveSeries(curves.lr, options, 0);
        lr.name = prefix + "learning rate";
        lr.colour = colours.lr;
        lr.width = 1.5;
        lr.dashed = true;
        lr.axis = YAxisSide::Right;
        if (!lr.x.empty())
            training.series.push_back(std::move(lr));

        addSmoothable(accuracy, curves.onlineProbe, options, prefix + "online probe",
                      colours.onlineProbe);
        addEvaluations(accuracy, curves.linearProbe, options, prefix + "linear probe",
                       colours.linearProbe, MarkerShape::Circle);
        addEvaluations(accuracy, curves.knn, options, prefix + "kNN", colours.knn,
                       MarkerShape::Square);
        addPrior(accuracy, curves.priorLinearProbe, "prior linear probe", colours.linearProbe,
                 prefix);
        addPrior(accuracy, curves.priorKnn, "prior kNN", colours.knn, prefix);
    }
    figure.panels = {std::move(training), std::move(accuracy)};
    return figure;
}

} // namespace gps::report
