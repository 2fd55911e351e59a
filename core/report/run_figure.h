#pragma once
/// The standard figure of one or more runs, as `gps-studio-cli export --plot` draws it: a top
/// panel with the loss (left axis, optionally log) and the learning rate (right axis), and a
/// bottom panel with the accuracies — the online probe as a line, the linear probe and kNN at
/// evaluation points as markers with the last value printed, and the prior's own linear probe
/// and kNN accuracies as dashed horizontal lines.

#include "report/chart.h"
#include "report/named_run.h"

#include <cstddef>
#include <string>
#include <vector>

namespace gps::report {

struct RunFigureOptions {
    XAxis x = XAxis::Step; ///< points without a value on this axis are left out
    /// EMA weight in [0, 1) for the loss and the online probe (curve_math.h); above 0 the raw
    /// curve is drawn faint underneath.
    double smoothing = 0;
    bool logLoss = false;
    std::size_t maxPointsPerCurve = 2000; ///< decimation for drawing only (curve_math.h)
};

/// The x axis's label: "Step", "Epoch", "Time (s)".
std::string xAxisLabel(XAxis axis);

/// One colour per run from a fixed qualitative palette (repeats after ten runs); a single run
/// uses the palette for its curves instead.
Rgb paletteColour(std::size_t index);

/// The figure of `runs`; the legend names each run when there are several.
Figure runFigure(const std::vector<NamedRun>& runs, const RunFigureOptions& options = {});

} // namespace gps::report
