#pragma once
/// The training curves: loss with the learning rate on a second axis, and the accuracies
/// (online probe every logged step, linear probe and kNN at evaluation points), both over the
/// global step. Earlier runs are overlaid dimmer and dashed (RunsPanel chooses which).
/// GUI thread only; each LivePlot coalesces its replots.

#include "models/run_curves.h"
#include "train/observer.h"

#include <QWidget>

namespace gps::ui {

class LivePlot;

class CurvesPanel : public QWidget {
    Q_OBJECT

public:
    // Series names (legend entries and LivePlot keys).
    static QString lossSeries();
    static QString lrSeries();
    static QString onlineSeries();
    static QString linearSeries();
    static QString knnSeries();

    explicit CurvesPanel(QWidget* parent = nullptr);

    /// Drops the live curves (a new run starts); overlays stay.
    void clear();
    void addStep(const train::StepMetrics& metrics);
    void addEval(const train::EvalMetrics& metrics);

    /// Overlays (or replaces) the curves of run `run`.
    void setOverlay(const QString& run, const RunCurves& curves);
    void removeOverlay(const QString& run);
    void clearOverlays();

    LivePlot* lossPlot() const { return m_loss; }
    LivePlot* accuracyPlot() const { return m_accuracy; }

private:
    LivePlot* m_loss = nullptr;
    LivePlot* m_accuracy = nullptr;
};

} // namespace gps::ui
