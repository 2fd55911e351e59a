#pragma once
/// A QCustomPlot for curves that grow while training runs: named series on a left or a right
/// axis (loss on the left, learning rate on the right), plus dimmer dashed overlays of earlier
/// runs' curves for comparison.
///
/// Coalesced at the sink (docs/design.md §4): append() only adds the point and starts one 40 ms
/// single-shot timer if it is not running; the timer rescales the axes and asks for a queued
/// replot (QCustomPlot::rpQueuedReplot). A stream of points therefore replots at most about 25
/// times a second, never once per point. GUI thread only: points arrive by queued signals.

#include <QColor>
#include <QHash>
#include <QVector>
#include <QWidget>

#include <optional>
#include <utility>
#include <vector>

class QCPGraph;
class QCustomPlot;
class QTimer;

namespace gps::ui {

class LivePlot : public QWidget {
    Q_OBJECT

public:
    enum class Axis { Left, Right };
    static constexpr int kCoalesceMs = 40;

    explicit LivePlot(QWidget* parent = nullptr);

    void setAxisLabels(const QString& x, const QString& left, const QString& right = {});
    /// A fixed left range (accuracies: 0..1); without it the left axis follows the data.
    void setLeftRange(double lower, double upper);

    /// Adds a live series (legend entry `name`); `markers` draws a dot at each point (sparse
    /// series such as evaluations). A second series with the same name is ignored.
    void addSeries(const QString& name, const QColor& colour, Axis axis = Axis::Left,
                   bool markers = false);
    bool hasSeries(const QString& name) const { return m_series.contains(name); }

    /// Appends (x, y) to `series`; false for an unknown series or a non-finite value.
    bool append(const QString& series, double x, double y);
    /// Drops the points of every live series (a new run starts); overlays stay.
    void clearData();
    int pointCount(const QString& series) const;

    /// Draws `points` as a dimmer, dashed copy of `series`' style, labelled by `run`. Replaces
    /// an earlier overlay of the same run and series. False when the series is unknown.
    bool setOverlay(const QString& run, const QString& series,
                    const std::vector<std::pair<double, double>>& points);
    void removeOverlay(const QString& run);
    void clearOverlays();
    /// Overlay curves drawn now (one per run and series).
    int overlayCount() const;
    QStringList overlayRuns() const;

    /// Replots actually performed since construction (tests: appends are coalesced).
    int replotCount() const { return m_replots; }
    /// True while a coalesced update is waiting for its timer.
    bool updatePending() const;
    QCustomPlot* plot() const { return m_plot; }

Q_SIGNALS:
    /// One replot was performed.
    void replotted();

private:
    struct Overlay {
        QString run;
        QString series;
        QCPGraph* graph = nullptr;
    };
    void scheduleUpdate();
    void refresh();

    QCustomPlot* m_plot = nullptr;
    QTimer* m_timer = nullptr;
    QHash<QString, QCPGraph*> m_series;
    std::vector<Overlay> m_overlays;
    QStringList m_runOrder; // dash style follows the order runs were first overlaid
    std::optional<std::pair<double, double>> m_leftRange;
    int m_replots = 0;
};

} // namespace gps::ui
