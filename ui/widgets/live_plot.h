#pragma once
/// A QCustomPlot for curves that grow while training runs, as a researcher reads them: named
/// series on a left or a right axis, every point kept (report::Curve) and only the drawing
/// thinned (report::decimated), an EMA smoothing weight with the raw curve faint underneath, the
/// x axis in steps, epochs or training time, a log scale for the left axis, evaluation points
/// labelled with their values, dashed reference lines (the prior's own accuracy), and overlays of
/// other runs, one colour per run, named in the legend. The mouse shows a crosshair with the
/// values under it; drag pans, the wheel zooms, a double click (or resetView) goes back to ranges
/// that hold every point. PlotExportMenu adds saving and copying on right-click.
///
/// Coalesced at the sink (docs/design.md §4): data changes only store the points and start one
/// 40 ms single-shot timer if it is not running; the timer redraws the graphs from the stored
/// points and asks for a queued replot. A stream of points therefore replots at most about 25
/// times a second, never once per point. GUI thread only: points arrive by queued signals.

#include "report/run_curves.h"

#include <QColor>
#include <QVector>
#include <QWidget>

#include <optional>
#include <vector>

class QCPAbstractItem;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCustomPlot;
class QMouseEvent;
class QTimer;

namespace gps::ui {

class LivePlot : public QWidget {
    Q_OBJECT

public:
    enum class Axis { Left, Right };
    static constexpr int kCoalesceMs = 40;
    /// Points drawn per curve at most; the curve keeps all of them.
    static constexpr std::size_t kMaxDrawnPoints = 2000;

    /// A marker at each point, for sparse series (evaluations); overlays keep the shape.
    enum class Marker { None, Disc, Square };

    struct SeriesStyle {
        QColor colour;
        Axis axis = Axis::Left;
        Qt::PenStyle pen = Qt::SolidLine;
        Marker marker = Marker::None;
        bool labelValues = false; ///< each point's value written beside it, as a percentage
        bool labelBelow = false;  ///< below the point rather than above (two labelled series)
    };

    explicit LivePlot(QWidget* parent = nullptr);

    void setAxisLabels(const QString& left, const QString& right = {});
    /// A fixed left range (accuracies: 0..1); without it the left axis follows the data.
    void setLeftRange(double lower, double upper);
    /// Logarithmic left axis (the loss); points ≤ 0 are not drawn on it.
    void setLeftLog(bool on);
    bool leftLog() const { return m_leftLog; }
    void setXAxis(report::XAxis axis);
    report::XAxis xAxis() const { return m_xAxis; }
    /// TensorBoard's smoothing weight in [0, 1); 0 draws the raw curves only.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    /// Thicker lines and larger text (presentation mode).
    void setPresentation(bool on);

    /// Adds a live series (legend entry `name`). A second series with the same name is ignored.
    void addSeries(const QString& name, const SeriesStyle& style);
    bool hasSeries(const QString& name) const { return findLine(name, {}) != nullptr; }
    /// Appends a point to `series`; false for an unknown series or a non-finite value.
    bool append(const QString& series, const report::CurvePoint& point);
    /// Drops the points of every live series (a new run starts); overlays and references stay.
    void clearData();
    /// Points stored (not drawn) in `series`.
    int pointCount(const QString& series) const;
    /// Points drawn for `series` now (after smoothing, decimation and the x axis's NaN filter).
    int drawnPointCount(const QString& series) const;

    /// A dashed (or `pen`) horizontal line at `value` on the left axis, labelled; replaces the
    /// line of the same name; nullopt removes it. Labels of several lines are spread along x.
    void setReference(const QString& name, std::optional<double> value, const QColor& colour,
                      const QString& label, Qt::PenStyle pen = Qt::DashLine);
    int referenceCount() const { return int(m_references.size()); }

    /// Draws `points` of run `run` in `colour` with the pen and markers of live series `series`;
    /// the run's first overlaid series carries `label` in the legend. Replaces the earlier
    /// overlay of the same run and series. False when the series is unknown.
    bool setOverlay(const QString& run, const QString& label, const QColor& colour,
                    const QString& series, const report::Curve& points);
    void removeOverlay(const QString& run);
    void clearOverlays();
    /// Overlay curves drawn now (one per run and series).
    int overlayCount() const;
    QStringList overlayRuns() const;
    /// Legend entries shown now, in order (tests: a run is named in the legend).
    QStringList legendNames() const;

    /// Back to ranges that hold every point, following the data again.
    void resetView();
    /// True after the user dragged or zoomed: the ranges stay where the user put them.
    bool userView() const { return m_userView; }
    /// What the crosshair says at x (in the current x axis's units): each drawn curve's value at
    /// its nearest point. Empty when nothing is drawn.
    QString valuesAt(double x) const;

    /// Replots actually performed since construction (tests: appends are coalesced).
    int replotCount() const { return m_replots; }
    /// True while a coalesced update is waiting for its timer.
    bool updatePending() const;
    QCustomPlot* plot() const { return m_plot; }

Q_SIGNALS:
    /// One replot was performed.
    void replotted();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Line {
        QString series;    ///< the live series' name (style and legend)
        QString run;       ///< empty for the live series
        QString runLabel;  ///< legend name of an overlaid run
        SeriesStyle style; ///< for overlays: the series' style in the run's colour
        report::Curve points;
        QCPGraph* graph = nullptr;
        QCPGraph* raw = nullptr; ///< the unsmoothed curve, faint, while smoothing is on
        std::vector<QCPItemText*> labels;
        bool dirty = true; ///< its points or the view changed since it was last drawn
    };
    struct Reference {
        QString name;
        QCPItemStraightLine* line = nullptr;
        QCPItemText* label = nullptr;
        double value = 0;
    };

    Line* findLine(const QString& series, const QString& run);
    const Line* findLine(const QString& series, const QString& run) const;
    void scheduleUpdate();
    /// Every curve is to be drawn again (the x axis, smoothing, scale or fonts changed).
    void redrawAll();
    void refresh();
    void redraw(Line& line);
    void applyPens(Line& line);
    void removeLine(Line& line);
    // live_plot_view.cpp: ranges, labels, references and the mouse.
    void setupInteraction();
    void rescale();
    void updateValueLabels(Line& line, const QVector<double>& xs, const QVector<double>& ys);
    void updateReferences();
    void showCrosshair(QMouseEvent* event);
    void hideCrosshair();

    QCustomPlot* m_plot = nullptr;
    QTimer* m_timer = nullptr;
    std::vector<Line> m_lines; // live series first, in the order added, then overlays
    std::vector<Reference> m_references;
    std::optional<std::pair<double, double>> m_leftRange;
    report::XAxis m_xAxis = report::XAxis::Step;
    double m_smoothing = 0;
    bool m_leftLog = false;
    bool m_presentation = false;
    bool m_userView = false;
    QCPItemStraightLine* m_crosshair = nullptr;
    QCPItemText* m_crosshairText = nullptr;
    int m_replots = 0;
};

} // namespace gps::ui
