#include "widgets/live_plot.h"

#include <QTimer>
#include <QVBoxLayout>

#include "widgets/qcustomplot_include.h"

#include <algorithm>
#include <cmath>

namespace gps::ui {

namespace {

constexpr int kOverlayAlpha = 110;
const Qt::PenStyle kOverlayStyles[] = {Qt::DashLine, Qt::DotLine, Qt::DashDotLine,
                                       Qt::DashDotDotLine};

QCPAxis* valueAxis(QCustomPlot* plot, LivePlot::Axis axis) {
    return axis == LivePlot::Axis::Right ? plot->yAxis2 : plot->yAxis;
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
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(font());
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

void LivePlot::setAxisLabels(const QString& x, const QString& left, const QString& right) {
    m_plot->xAxis->setLabel(x);
    m_plot->yAxis->setLabel(left);
    m_plot->yAxis2->setLabel(right);
    scheduleUpdate();
}

void LivePlot::setLeftRange(double lower, double upper) {
    m_leftRange = std::make_pair(lower, upper);
    m_plot->yAxis->setRange(lower, upper);
    scheduleUpdate();
}

void LivePlot::addSeries(const QString& name, const QColor& colour, Axis axis, bool markers) {
    if (m_series.contains(name))
        return;
    QCPGraph* graph = m_plot->addGraph(m_plot->xAxis, valueAxis(m_plot, axis));
    graph->setName(name);
    graph->setPen(QPen(colour, 2));
    if (markers)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    if (axis == Axis::Right) {
        m_plot->yAxis2->setVisible(true);
        m_plot->yAxis2->setTickLabels(true);
    }
    m_series.insert(name, graph);
    scheduleUpdate();
}

bool LivePlot::append(const QString& series, double x, double y) {
    QCPGraph* graph = m_series.value(series);
    if (!graph || !std::isfinite(x) || !std::isfinite(y))
        return false;
    graph->addData(x, y);
    scheduleUpdate();
    return true;
}

void LivePlot::clearData() {
    for (QCPGraph* graph : std::as_const(m_series))
        graph->data()->clear();
    scheduleUpdate();
}

int LivePlot::pointCount(const QString& series) const {
    const QCPGraph* graph = m_series.value(series);
    return graph ? graph->dataCount() : 0;
}

bool LivePlot::setOverlay(const QString& run, const QString& series,
                          const std::vector<std::pair<double, double>>& points) {
    const QCPGraph* live = m_series.value(series);
    if (!live)
        return false;
    if (!m_runOrder.contains(run))
        m_runOrder << run;
    const auto style = kOverlayStyles[m_runOrder.indexOf(run) % std::size(kOverlayStyles)];

    auto it = std::find_if(m_overlays.begin(), m_overlays.end(), [&](const Overlay& overlay) {
        return overlay.run == run && overlay.series == series;
    });
    if (it == m_overlays.end()) {
        Overlay overlay{run, series, m_plot->addGraph(m_plot->xAxis, live->valueAxis())};
        overlay.graph->setName(run + QStringLiteral(": ") + series);
        overlay.graph->removeFromLegend(); // the runs list says which run is which
        // Earlier runs sit behind the live curves.
        overlay.graph->setLayer(m_plot->layer(QStringLiteral("grid")));
        it = m_overlays.insert(m_overlays.end(), overlay);
    }
    QColor colour = live->pen().color();
    colour.setAlpha(kOverlayAlpha);
    it->graph->setPen(QPen(colour, 1.5, style));
    if (live->scatterStyle().shape() != QCPScatterStyle::ssNone)
        it->graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, colour, 5));

    QVector<double> xs, ys;
    for (const auto& [x, y] : points) {
        if (std::isfinite(x) && std::isfinite(y)) {
            xs << x;
            ys << y;
        }
    }
    it->graph->setData(xs, ys);
    scheduleUpdate();
    return true;
}

void LivePlot::removeOverlay(const QString& run) {
    const auto end = std::remove_if(m_overlays.begin(), m_overlays.end(), [&](const Overlay& o) {
        if (o.run != run)
            return false;
        m_plot->removeGraph(o.graph);
        return true;
    });
    m_overlays.erase(end, m_overlays.end());
    scheduleUpdate();
}

void LivePlot::clearOverlays() {
    for (const Overlay& overlay : m_overlays)
        m_plot->removeGraph(overlay.graph);
    m_overlays.clear();
    scheduleUpdate();
}

int LivePlot::overlayCount() const {
    return int(m_overlays.size());
}

QStringList LivePlot::overlayRuns() const {
    QStringList runs;
    for (const Overlay& overlay : m_overlays)
        if (!runs.contains(overlay.run))
            runs << overlay.run;
    return runs;
}

bool LivePlot::updatePending() const {
    return m_timer->isActive();
}

void LivePlot::scheduleUpdate() {
    // Not restarted by later points: a steady stream still redraws every 40 ms.
    if (!m_timer->isActive())
        m_timer->start();
}

void LivePlot::refresh() {
    bool anyData = false;
    for (int i = 0; i < m_plot->graphCount(); ++i)
        anyData = anyData || m_plot->graph(i)->dataCount() > 0;
    if (anyData) {
        m_plot->rescaleAxes(true);
        if (m_leftRange)
            m_plot->yAxis->setRange(m_leftRange->first, m_leftRange->second);
        else
            m_plot->yAxis->scaleRange(1.08, m_plot->yAxis->range().center());
        m_plot->yAxis2->scaleRange(1.08, m_plot->yAxis2->range().center());
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace gps::ui
