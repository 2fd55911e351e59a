#pragma once
/// The curves of one run as plain values, read from its metrics.jsonl (project/metrics_log.h):
/// what the studio's plots draw, what `gps-studio-cli export` writes as CSV or draws as a figure,
/// and what a watched run folder grows. Every point keeps the three x values a plot may use
/// (global step, fractional epochs, training seconds), so switching the x axis reads no file.

#include "common/result.h"

#include <nlohmann/json_fwd.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace gps::report {

/// The x axis a curve is drawn over.
enum class XAxis { Step, Epoch, Time };

struct CurvePoint {
    double step = 0;   ///< global optimiser step (0 before the first step)
    double epochs = 0; ///< epochs done, fractional
    /// Training seconds since the run started; NaN in files written before the runs kept it.
    double seconds = std::numeric_limits<double>::quiet_NaN();
    double value = 0;

    /// The x value on `axis` (NaN when the file did not record it).
    double x(XAxis axis) const {
        return axis == XAxis::Step ? step : axis == XAxis::Epoch ? epochs : seconds;
    }
};

using Curve = std::vector<CurvePoint>;

struct RunCurves {
    Curve loss;            ///< every step's loss
    Curve lr;              ///< every step's learning rate
    Curve onlineProbe;     ///< online classifier's accuracy in [0, 1] over the epoch so far
    Curve imagesPerSecond; ///< anchors per second over about a second
    Curve linearProbe;     ///< offline linear probe on the test split, at evaluation points
    Curve knn;             ///< weighted kNN on the test split, at evaluation points
    std::optional<double> priorLinearProbe; ///< the prior embedding's own linear probe
    std::optional<double> priorKnn;         ///< and its kNN accuracy

    /// Takes what one metrics line holds. Lines without a numeric `step` are ignored; so are
    /// values that are not finite numbers. An evaluation line (which records no time) takes the
    /// time of the last step before it.
    void add(const nlohmann::json& line);
    bool empty() const;
    /// The highest step seen (0 when none).
    double lastStep() const { return m_lastStep; }

private:
    double m_lastStep = 0;
    double m_lastSeconds = std::numeric_limits<double>::quiet_NaN();
};

/// Reads a run's metrics.jsonl: NotFound or InvalidInput ("FILE: line N: …") as
/// project::readMetrics; a last line cut short by a killed run is skipped.
Result<RunCurves> readRunCurves(const std::filesystem::path& metricsFile);

/// The short names of the curves, as CSV columns and plot legends use them: "loss", "lr",
/// "online_probe_acc", "images_per_second", "linear_probe_acc", "knn_acc" (the metrics keys).
struct NamedCurve {
    std::string key;   ///< metrics.jsonl key
    std::string label; ///< "Loss", "Learning rate", "Online probe", …
    const Curve* curve = nullptr;
};
std::vector<NamedCurve> namedCurves(const RunCurves& curves);

} // namespace gps::report
