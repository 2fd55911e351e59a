#include "widgets/live_plot.h"

#include "report/curve_math.h"

#include <QTimer>
#include <QVBoxLayout>

#include "widgets/qcustomplot_include.h"

#include <algorithm>
#include <cmath>

namespace gps::ui {

namespace {

/// Raw curves under smoothed ones, as TensorBoard draws them: present, not competing.
constexpr int kRawAlpha = 55;
/// A curve with this few points also gets markers, so a run's first point is visible at once.
constexpr int kFewPoints = 2;
constexpr int kLegendColumns = 6;

QCPScatterStyle::ScatterShape shapeOf(LivePlot::Marker marker) {
    switch (marker) {
    case LivePlot::Marker::Disc:
        return QCPScatterStyle::ssDisc;
    case LivePlot::Marker::Square:
        return QCPScatterStyle::ssSquare;
    case LivePlot::Marker::None:
        break;
    }
    return QCPScatterStyle::ssNone;
}

} // namespace

LivePlot::LivePlot(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_timer(new QTimer(this)) {
    m_timer->setSingleShot(true);
    m_timer->setInterval(kCoalesceMs);
    connect(m_timer, &QTimer::timeout, this, &LivePlot::refresh);
    connect(m_plot, &QCustomPlot::afterReplot, this, [this] {
        ++m_replots;
        Q_EMIT replotted();
    });

    m_plot->setMinimumSize(260, 160);
    m_plot->setNoAntialiasingOnDrag(true);
    // The legend in a row of its own above the plot: inside, it would cover the newest points.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(font());
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(kLegendColumns);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->legend->setMargins(QMargins(6, 2, 6, 0));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setTickLabels(false);
    m_plot->xAxis2->setVisible(true);
    m_plot->xAxis2->setTicks(false);
    m_plot->xAxis2->setTickLabels(false);
    setXAxis(report::XAxis::Step);
    setupInteraction();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

void LivePlot::setAxisLabels(const QString& left, const QString& right) {
    m_plot->yAxis->setLabel(left);
    m_plot->yAxis2->setLabel(right);
    m_plot->yAxis2->setTickLabels(!right.isEmpty());
    scheduleUpdate();
}

void LivePlot::setLeftRange(double lower, double upper) {
    m_leftRange = std::make_pair(lower, upper);
    m_plot->yAxis->setRange(lower, upper);
    scheduleUpdate();
}

void LivePlot::setSmoothing(double weight) {
    m_smoothing = std::clamp(weight, 0.0, 0.999);
    redrawAll();
}

void LivePlot::addSeries(const QString& name, const SeriesStyle& style) {
    if (hasSeries(name))
        return;
    Line line;
    line.series = name;
    line.style = style;
    // Live series before overlays, so that they are drawn (and listed) first.
    const auto firstOverlay = std::find_if(m_lines.begin(), m_lines.end(),
                                           [](const Line& l) { return !l.run.isEmpty(); });
    auto it = m_lines.insert(firstOverlay, std::move(line));
    if (style.axis == Axis::Right)
        m_plot->yAxis2->setTickLabels(true);
    it->graph =
        m_plot->addGraph(m_plot->xAxis, style.axis == Axis::Right ? m_plot->yAxis2 : m_plot->yAxis);
    it->graph->setName(name);
    applyPens(*it);
    scheduleUpdate();
}

bool LivePlot::append(const QString& series, const report::CurvePoint& point) {
    Line* line = findLine(series, {});
    if (!line || !std::isfinite(point.value) || !std::isfinite(point.step))
        return false;
    line->points.push_back(point);
    line->dirty = true;
    scheduleUpdate();
    return true;
}

void LivePlot::clearData() {
    for (Line& line : m_lines)
        if (line.run.isEmpty()) {
            line.points.clear();
            line.dirty = true;
        }
    scheduleUpdate();
}

int LivePlot::pointCount(const QString& series) const {
    const Line* line = findLine(series, {});
    return line ? int(line->points.size()) : 0;
}

int LivePlot::drawnPointCount(const QString& series) const {
    const Line* line = findLine(series, {});
    return line ? line->graph->dataCount() : 0;
}

bool LivePlot::setOverlay(const QString& run, const QString& label, const QColor& colour,
                          const QString& series, const report::Curve& points) {
    const Line* live = findLine(series, {});
    if (!live || run.isEmpty())
        return false;
    Line* line = findLine(series, run);
    if (!line) {
        Line added;
        added.series = series;
        added.run = run;
        added.graph = m_plot->addGraph(m_plot->xAxis, live->graph->valueAxis());
        m_lines.push_back(std::move(added));
        line = &m_lines.back();
    }
    line->runLabel = label;
    line->style = live->style;
    line->style.colour = colour;
    line->style.labelValues = false; // the run's table has its numbers; labels would pile up
    line->points = points;
    line->dirty = true;
    applyPens(*line);
    scheduleUpdate();
    return true;
}

void LivePlot::removeOverlay(const QString& run) {
    for (Line& line : m_lines)
        if (line.run == run)
            removeLine(line);
    m_lines.erase(std::remove_if(m_lines.begin(), m_lines.end(),
                                 [&](const Line& line) { return line.run == run; }),
                  m_lines.end());
    scheduleUpdate();
}

void LivePlot::clearOverlays() {
    for (const QString& run : overlayRuns())
        removeOverlay(run);
}

int LivePlot::overlayCount() const {
    return int(std::count_if(m_lines.begin(), m_lines.end(),
                             [](const Line& line) { return !line.run.isEmpty(); }));
}

QStringList LivePlot::overlayRuns() const {
    QStringList runs;
    for (const Line& line : m_lines)
        if (!line.run.isEmpty() && !runs.contains(line.run))
            runs << line.run;
    return runs;
}

QStringList LivePlot::legendNames() const {
    QStringList names;
    for (int i = 0; i < m_plot->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(m_plot->legend->item(i)))
            names << item->plottable()->name();
    return names;
}

bool LivePlot::updatePending() const {
    return m_timer->isActive();
}

LivePlot::Line* LivePlot::findLine(const QString& series, const QString& run) {
    for (Line& line : m_lines)
        if (line.series == series && line.run == run)
            return &line;
    return nullptr;
}

const LivePlot::Line* LivePlot::findLine(const QString& series, const QString& run) const {
    return const_cast<LivePlot*>(this)->findLine(series, run);
}

void LivePlot::removeLine(Line& line) {
    for (QCPItemText* label : line.labels)
        m_plot->removeItem(label);
    line.labels.clear();
    if (line.raw)
        m_plot->removeGraph(line.raw);
    m_plot->removeGraph(line.graph);
    line.raw = line.graph = nullptr;
}

void LivePlot::redrawAll() {
    for (Line& line : m_lines)
        line.dirty = true;
    scheduleUpdate();
}

void LivePlot::scheduleUpdate() {
    // Not restarted by later points: a steady stream still redraws every 40 ms.
    if (!m_timer->isActive())
        m_timer->start();
}

void LivePlot::applyPens(Line& line) {
    const bool overlay = !line.run.isEmpty();
    const double width = (m_presentation ? 2.0 : 1.0) * (overlay ? 1.6 : 2.0);
    line.graph->setPen(QPen(line.style.colour, width, line.style.pen));
    const double size = m_presentation ? 10 : 7;
    if (line.style.marker != Marker::None)
        line.graph->setScatterStyle(QCPScatterStyle(shapeOf(line.style.marker), line.style.colour,
                                                    line.style.colour, size));
    // Markers only: evaluation points are not a continuous curve.
    line.graph->setLineStyle(line.style.marker != Marker::None ? QCPGraph::lsNone
                                                               : QCPGraph::lsLine);
    if (line.raw) {
        QColor faint = line.style.colour;
        faint.setAlpha(kRawAlpha);
        line.raw->setPen(QPen(faint, width / 2));
    }
}

void LivePlot::refresh() {
    QStringList namedRuns;
    for (Line& line : m_lines) {
        if (line.dirty)
            redraw(line); // only what changed: a run's stream must not redraw every overlay
        line.dirty = false;
        // The legend: each live series that has points, then each overlaid run once (its
        // first curve).
        const bool named =
            line.run.isEmpty() ? !line.points.empty() : !namedRuns.contains(line.run);
        if (!line.run.isEmpty() && named)
            namedRuns << line.run;
        const QString name = line.run.isEmpty() ? line.series : line.runLabel;
        if (line.graph->name() != name ||
            m_plot->legend->hasItemWithPlottable(line.graph) != named) {
            line.graph->setName(name);
            if (named)
                line.graph->addToLegend();
            else
                line.graph->removeFromLegend();
        }
    }
    if (!m_userView)
        rescale();
    updateReferences();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LivePlot::redraw(Line& line) {
    const bool smooth = m_smoothing > 0 && line.style.marker == Marker::None;
    const auto drawable = [&](const report::Curve& curve) {
        QVector<double> xs, ys;
        for (const report::CurvePoint& point : report::decimated(curve, kMaxDrawnPoints)) {
            const double x = point.x(m_xAxis);
            if (!std::isfinite(x) || !std::isfinite(point.value))
                continue;
            if (m_leftLog && line.style.axis == Axis::Left && point.value <= 0)
                continue;
            xs << x;
            ys << point.value;
        }
        return std::make_pair(xs, ys);
    };
    if (smooth && !line.raw) {
        line.raw = m_plot->addGraph(m_plot->xAxis, line.graph->valueAxis());
        line.raw->removeFromLegend();
        line.raw->setLayer(m_plot->layer(QStringLiteral("grid"))); // under every curve
        applyPens(line);
    } else if (!smooth && line.raw) {
        m_plot->removeGraph(line.raw);
        line.raw = nullptr;
    }
    if (line.raw) {
        auto [xs, ys] = drawable(line.points);
        line.raw->setData(xs, ys, true);
    }
    auto [xs, ys] = drawable(smooth ? report::smoothed(line.points, m_smoothing) : line.points);
    line.graph->setData(xs, ys, true);
    if (line.style.marker == Marker::None)
        line.graph->setScatterStyle(xs.size() <= kFewPoints
                                        ? QCPScatterStyle(QCPScatterStyle::ssDisc, 6)
                                        : QCPScatterStyle(QCPScatterStyle::ssNone));
    updateValueLabels(line, xs, ys);
}

} // namespace gps::ui
