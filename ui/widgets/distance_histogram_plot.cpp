#include "widgets/distance_histogram_plot.h"

#include <QHBoxLayout>
#include <QTimer>

#include "widgets/qcustomplot_include.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace gps::ui {

namespace {

constexpr int kCoalesceMs = 40;
const QColor kCandidateColour(0x2e, 0x86, 0xde);
const QColor kOtherColour(0x9a, 0xa0, 0xa6);
const QColor kTauColour(0xd6, 0x30, 0x31);

QCustomPlot* makePlot(QWidget* parent, const QString& xLabel, const QString& yLabel) {
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(220, 150);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->legend->setVisible(true);
    plot->legend->setFont(plot->font());
    plot->legend->setBrush(QColor(255, 255, 255, 200));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot->setNoAntialiasingOnDrag(true);
    return plot;
}

QCPItemStraightLine* makeTauLine(QCustomPlot* plot) {
    auto* line = new QCPItemStraightLine(plot);
    line->setPen(QPen(kTauColour, 2, Qt::DashLine));
    line->setVisible(false);
    return line;
}

void placeTauLine(QCPItemStraightLine* line, std::optional<double> tau) {
    line->setVisible(tau.has_value());
    if (tau) {
        line->point1->setCoords(*tau, 0.0);
        line->point2->setCoords(*tau, 1.0);
    }
}

} // namespace

DistanceHistogramPlot::DistanceHistogramPlot(QWidget* parent)
    : QWidget(parent), m_timer(new QTimer(this)) {
    m_timer->setSingleShot(true);
    m_timer->setInterval(kCoalesceMs);
    connect(m_timer, &QTimer::timeout, this, &DistanceHistogramPlot::rebuild);

    m_histPlot = makePlot(this, tr("distance to a listed neighbour"), tr("neighbours"));
    m_others = new QCPBars(m_histPlot->xAxis, m_histPlot->yAxis);
    m_others->setName(tr("others"));
    m_others->setPen(Qt::NoPen);
    m_others->setBrush(kOtherColour);
    m_candidates = new QCPBars(m_histPlot->xAxis, m_histPlot->yAxis);
    m_candidates->setName(tr("candidates (d ≤ τ)"));
    m_candidates->setPen(Qt::NoPen);
    m_candidates->setBrush(kCandidateColour);
    // Stacked: the bars' total is the histogram of all listed distances, split by τ.
    m_others->moveAbove(m_candidates);
    m_histTau = makeTauLine(m_histPlot);

    m_curvePlot = makePlot(this, tr("τ"), tr("share"));
    m_curvePlot->yAxis->setRange(0.0, 1.02);
    m_purity = m_curvePlot->addGraph();
    m_purity->setName(tr("purity"));
    m_purity->setPen(QPen(QColor(0x27, 0xae, 0x60), 2));
    m_coverage = m_curvePlot->addGraph();
    m_coverage->setName(tr("coverage"));
    m_coverage->setPen(QPen(kCandidateColour, 2));
    m_curveTau = makeTauLine(m_curvePlot);
    // Both curves end high on the right; the bottom-right corner is where they never go.
    m_curvePlot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_histPlot, 3);
    layout->addWidget(m_curvePlot, 2);
}

void DistanceHistogramPlot::setHistogram(const neighbors::DistanceHistogram& histogram) {
    m_histogram = histogram;
    scheduleReplot();
}

void DistanceHistogramPlot::setCurves(const neighbors::TauCurves& curves) {
    m_curves = curves;
    scheduleReplot();
}

void DistanceHistogramPlot::setTau(std::optional<double> tau) {
    m_tau = tau;
    scheduleReplot();
}

void DistanceHistogramPlot::setKCurves(const neighbors::KCurves& curves) {
    m_kCurves = curves;
    scheduleReplot();
}

void DistanceHistogramPlot::setK(std::optional<int> k) {
    m_k = k;
    scheduleReplot();
}

QString DistanceHistogramPlot::candidateLegend() const {
    return m_candidates->name();
}

QString DistanceHistogramPlot::curveAxisLabel() const {
    return m_curvePlot->xAxis->label();
}

void DistanceHistogramPlot::setRange(double tauMax) {
    m_range = tauMax > 0.0 ? tauMax : 1.0;
    scheduleReplot();
}

void DistanceHistogramPlot::clear() {
    m_histogram = {};
    m_curves = {};
    m_kCurves = {};
    m_tau.reset();
    m_k.reset();
    scheduleReplot();
}

double DistanceHistogramPlot::candidateTotal() const {
    double total = 0.0;
    for (auto it = m_candidates->data()->constBegin(); it != m_candidates->data()->constEnd(); ++it)
        total += it->value;
    return total;
}

double DistanceHistogramPlot::otherTotal() const {
    double total = 0.0;
    for (auto it = m_others->data()->constBegin(); it != m_others->data()->constEnd(); ++it)
        total += it->value;
    return total;
}

std::optional<double> DistanceHistogramPlot::shownTau() const {
    if (!m_histTau->visible())
        return std::nullopt;
    return m_histTau->point1->coords().x();
}

void DistanceHistogramPlot::scheduleReplot() {
    if (!m_timer->isActive())
        m_timer->start();
}

void DistanceHistogramPlot::rebuild() {
    QVector<double> centres, candidates, others;
    double peak = 1.0;
    const auto& h = m_histogram;
    for (std::size_t b = 0; b + 1 < h.edges.size() && b < h.candidates.size(); ++b) {
        centres.push_back(0.5 * (h.edges[b] + h.edges[b + 1]));
        candidates.push_back(double(h.candidates[b]));
        others.push_back(double(h.others[b]));
        peak = std::max(peak, candidates.back() + others.back());
    }
    const double width = h.edges.size() > 1 ? h.edges[1] - h.edges[0] : 1.0;
    m_candidates->setWidth(width);
    m_others->setWidth(width);
    m_candidates->setData(centres, candidates, true);
    m_others->setData(centres, others, true);
    // The histogram spans every listed distance; show the slider's range, plus the tail's start.
    const double xMax = std::max(m_range, m_tau.value_or(0.0)) * 1.05;
    m_histPlot->xAxis->setRange(0.0, xMax);
    m_histPlot->yAxis->setRange(0.0, peak * 1.08);
    placeTauLine(m_histTau, m_k ? std::nullopt : m_tau);
    m_candidates->setName(m_k ? tr("candidates (the first k = %1)").arg(*m_k)
                              : tr("candidates (d ≤ τ)"));
    m_histPlot->replot(QCustomPlot::rpQueuedReplot);

    // The curves follow the mode: over τ with a line at τ, or over k with a line at k.
    QVector<double> xs, purity, coverage;
    if (m_k) {
        for (std::size_t i = 0; i < m_kCurves.ks.size(); ++i) {
            xs.push_back(m_kCurves.ks[i]);
            purity.push_back(m_kCurves.purity[i]);
            coverage.push_back(m_kCurves.coverage[i]);
        }
        m_curvePlot->xAxis->setLabel(tr("k"));
        m_curvePlot->xAxis->setRange(0.5, std::max(1.0, double(m_kCurves.ks.size())) + 0.5);
        placeTauLine(m_curveTau, double(*m_k));
    } else {
        for (std::size_t i = 0; i < m_curves.taus.size(); ++i) {
            xs.push_back(m_curves.taus[i]);
            purity.push_back(m_curves.purity[i]); // NaN (no candidates) leaves a gap
            coverage.push_back(m_curves.coverage[i]);
        }
        m_curvePlot->xAxis->setLabel(tr("τ"));
        m_curvePlot->xAxis->setRange(0.0, xMax);
        placeTauLine(m_curveTau, m_tau);
    }
    m_purity->setData(xs, purity, true);
    m_coverage->setData(xs, coverage, true);
    m_curvePlot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace gps::ui
