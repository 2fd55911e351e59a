#pragma once
/// What a plot does to a curve before drawing it, as pure functions the studio and the CLI's
/// figures share: exponential smoothing as TensorBoard's slider does it, and decimation that
/// keeps every peak (the data keep every point; only the drawing is thinned).

#include "report/run_curves.h"

#include <cstddef>
#include <vector>

namespace gps::report {

/// Exponential moving average with TensorBoard's debiasing: s_0 = 0, s_i = w·s_{i−1} + (1−w)·y_i,
/// reported as s_i / (1 − w^n) after n finite values, so the first point is the first value and
/// the curve does not start near zero. `weight` in [0, 1) (0 = the values themselves; values
/// outside are clamped to [0, 0.999]). Non-finite values pass through and do not enter the mean.
std::vector<double> smoothEma(const std::vector<double>& values, double weight);

/// `curve` with its values smoothed by smoothEma; x values unchanged.
Curve smoothed(const Curve& curve, double weight);

/// At most about `maxPoints` points of `curve` for drawing: the points are cut into equal runs
/// and each run keeps its lowest and its highest value (in their order), plus the first and the
/// last point, so no spike disappears. A curve with no more than `maxPoints` points is returned
/// as it is. `maxPoints` below 4 counts as 4.
Curve decimated(const Curve& curve, std::size_t maxPoints);

} // namespace gps::report
