#pragma once
/// The training curves: loss with the learning rate on a second axis, and the accuracies
/// (online probe every step; linear probe and kNN at evaluation points, labelled with their
/// values; the prior's own linear-probe and kNN accuracy as dashed lines to pass). Above them,
/// what a researcher changes while reading: the x axis (steps, epochs, training time), the
/// smoothing weight, a log scale for the loss, reset view, and export (each plot as PNG, SVG or
/// PDF, or copied; the curves as CSV). Other runs are overlaid in their own colours (RunsPanel
/// chooses which and follows the ones still running). The view settings persist in QSettings.
/// GUI thread only; each LivePlot coalesces its replots.

#include "report/run_curves.h"
#include "train/observer.h"

#include <QColor>
#include <QWidget>

#include <nlohmann/json_fwd.hpp>

#include <map>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;

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
    /// The smoothing slider's steps (weight = value / kSmoothingSteps).
    static constexpr int kSmoothingSteps = 100;

    explicit CurvesPanel(QWidget* parent = nullptr);

    /// Drops the live curves and their prior's lines (a new run starts); overlays stay.
    void clear();
    void addStep(const train::StepMetrics& metrics);
    /// An evaluation point, or with `ofPrior` the prior's accuracies as reference lines.
    void addEval(const train::EvalMetrics& metrics);
    /// What the live run has drawn so far, as the run's metrics.jsonl holds it.
    const report::RunCurves& liveCurves() const { return m_live; }

    /// Overlays (or replaces) the curves of run `run`, named `label` in the legend.
    void setOverlay(const QString& run, const QString& label, const QColor& colour,
                    const report::RunCurves& curves);
    void removeOverlay(const QString& run);
    void clearOverlays();

    void setXAxis(report::XAxis axis);
    report::XAxis xAxis() const;
    /// Smoothing weight in [0, 1).
    void setSmoothing(double weight);
    double smoothing() const;
    void setLogLoss(bool on);
    void setPresentation(bool on);
    void resetView();

    /// Writes the live run's curves (as `liveName`) and every overlaid run's as CSV
    /// (report/curves_csv.h); empty on success, else the reason naming the file.
    QString writeCsv(const QString& file, const QString& liveName = tr("this run")) const;

    /// Ask for a file and save the loss plot, the accuracy plot or the curves as CSV (the File
    /// menu's Export entries and the plots' right-click menus); messages go to statusMessage.
    void exportLossPlot();
    void exportAccuracyPlot();
    void exportCsv();

    LivePlot* lossPlot() const { return m_loss; }
    LivePlot* accuracyPlot() const { return m_accuracy; }

Q_SIGNALS:
    void statusMessage(const QString& message);

private:
    QWidget* makeToolbar();
    void saveSettings() const;
    /// Adds a metrics line (as the run writes it) to the live curves and their plots.
    void addLine(const nlohmann::json& line);
    /// The prior's accuracies as dashed lines: the live run's, else an overlaid run's.
    void updatePriorLines();

    struct Overlay {
        QString label;
        report::RunCurves curves;
    };

    LivePlot* m_loss = nullptr;
    LivePlot* m_accuracy = nullptr;
    QComboBox* m_xAxis = nullptr;
    QSlider* m_smoothing = nullptr;
    QLabel* m_smoothingValue = nullptr;
    QCheckBox* m_logLoss = nullptr;
    report::RunCurves m_live;
    std::map<QString, Overlay> m_overlays;
};

} // namespace gps::ui
