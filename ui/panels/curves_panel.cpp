#include "panels/curves_panel.h"

#include "project/metrics_log.h"
#include "widgets/live_plot.h"
#include "widgets/plot_export.h"

#include <QMenu>
#include <QSplitter>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <array>

namespace gps::ui {

namespace {

// One colour per run, as the runs table gives each overlaid run its own: the run in the window
// is the dark one. Within a run, the line, dash and marker say which curve it is.
const QColor kLiveColour(0x2d, 0x34, 0x36);
const QColor kPriorColour(0x63, 0x6e, 0x72);

} // namespace

QString CurvesPanel::lossSeries() {
    return tr("loss");
}
QString CurvesPanel::lrSeries() {
    return tr("learning rate");
}
QString CurvesPanel::onlineSeries() {
    return tr("online probe");
}
QString CurvesPanel::linearSeries() {
    return tr("linear probe");
}
QString CurvesPanel::knnSeries() {
    return tr("kNN");
}

CurvesPanel::CurvesPanel(QWidget* parent)
    : QWidget(parent), m_loss(new LivePlot(this)), m_accuracy(new LivePlot(this)) {
    using Style = LivePlot::SeriesStyle;
    m_loss->setAxisLabels(tr("loss"), tr("learning rate"));
    m_loss->addSeries(lossSeries(), Style{.colour = kLiveColour});
    m_loss->addSeries(
        lrSeries(),
        Style{.colour = kLiveColour, .axis = LivePlot::Axis::Right, .pen = Qt::DashLine});

    m_accuracy->setAxisLabels(tr("accuracy (probes on the test split)"));
    m_accuracy->setLeftRange(0.0, 1.0);
    m_accuracy->addSeries(onlineSeries(), Style{.colour = kLiveColour, .pen = Qt::DotLine});
    m_accuracy->addSeries(
        linearSeries(),
        Style{.colour = kLiveColour, .marker = LivePlot::Marker::Disc, .labelValues = true});
    m_accuracy->addSeries(knnSeries(), Style{.colour = kLiveColour,
                                             .marker = LivePlot::Marker::Square,
                                             .labelValues = true,
                                             .labelBelow = true});
    const auto report = [this](const QString& message) { Q_EMIT statusMessage(message); };
    addPlotExportMenu(
        m_loss->plot(), QStringLiteral("loss"), [this] { m_loss->resetView(); }, {}, report);
    addPlotExportMenu(
        m_accuracy->plot(), QStringLiteral("accuracy"), [this] { m_accuracy->resetView(); }, {},
        report);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("curvesLossAndAccuracy")); // the window restores it
    splitter->addWidget(m_loss);
    splitter->addWidget(m_accuracy);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(makeToolbar());
    layout->addWidget(splitter, 1);
}

void CurvesPanel::clear() {
    m_live = {};
    m_loss->clearData();
    m_accuracy->clearData();
    updatePriorLines();
}

void CurvesPanel::addStep(const train::StepMetrics& metrics) {
    addLine(project::stepMetricsLine(metrics));
}

void CurvesPanel::addEval(const train::EvalMetrics& metrics) {
    addLine(project::evalMetricsLine(metrics));
}

void CurvesPanel::addLine(const nlohmann::json& line) {
    // The live curves are read from the very line the run writes to its metrics.jsonl, so the
    // window and the file (and a figure made from it) cannot disagree; the plots take what the
    // line added.
    struct Drawn {
        LivePlot* plot;
        QString series;
        const report::Curve* curve;
        std::size_t before;
    };
    const std::array<Drawn, 5> drawn{
        {{m_loss, lossSeries(), &m_live.loss, m_live.loss.size()},
         {m_loss, lrSeries(), &m_live.lr, m_live.lr.size()},
         {m_accuracy, onlineSeries(), &m_live.onlineProbe, m_live.onlineProbe.size()},
         {m_accuracy, linearSeries(), &m_live.linearProbe, m_live.linearProbe.size()},
         {m_accuracy, knnSeries(), &m_live.knn, m_live.knn.size()}}};
    const auto priorBefore = std::make_pair(m_live.priorLinearProbe, m_live.priorKnn);
    m_live.add(line);
    for (const Drawn& d : drawn)
        for (std::size_t i = d.before; i < d.curve->size(); ++i)
            d.plot->append(d.series, (*d.curve)[i]);
    if (std::make_pair(m_live.priorLinearProbe, m_live.priorKnn) != priorBefore)
        updatePriorLines();
}

void CurvesPanel::updatePriorLines() {
    // The live run's prior; without one, the first overlaid run's that has one (named).
    const report::RunCurves* source = &m_live;
    QString whose;
    if (!m_live.priorLinearProbe && !m_live.priorKnn)
        for (const auto& [run, overlay] : m_overlays)
            if (overlay.curves.priorLinearProbe || overlay.curves.priorKnn) {
                source = &overlay.curves;
                whose = QStringLiteral(" (%1)").arg(overlay.label);
                break;
            }
    const auto line = [&](const QString& name, const std::optional<double>& value,
                          Qt::PenStyle pen) {
        const QString label =
            value ? tr("%1 %2 %%3").arg(name).arg(100.0 * *value, 0, 'f', 1).arg(whose) : QString();
        m_accuracy->setReference(name, value, kPriorColour, label, pen);
    };
    line(tr("prior linear probe"), source->priorLinearProbe, Qt::DashLine);
    line(tr("prior kNN"), source->priorKnn, Qt::DotLine);
}

void CurvesPanel::setOverlay(const QString& run, const QString& label, const QColor& colour,
                             const report::RunCurves& curves) {
    m_overlays[run] = Overlay{label, curves};
    updatePriorLines();
    m_loss->setOverlay(run, label, colour, lossSeries(), curves.loss);
    m_loss->setOverlay(run, label, colour, lrSeries(), curves.lr);
    m_accuracy->setOverlay(run, label, colour, onlineSeries(), curves.onlineProbe);
    m_accuracy->setOverlay(run, label, colour, linearSeries(), curves.linearProbe);
    m_accuracy->setOverlay(run, label, colour, knnSeries(), curves.knn);
}

void CurvesPanel::removeOverlay(const QString& run) {
    m_overlays.erase(run);
    updatePriorLines();
    m_loss->removeOverlay(run);
    m_accuracy->removeOverlay(run);
}

void CurvesPanel::clearOverlays() {
    m_overlays.clear();
    updatePriorLines();
    m_loss->clearOverlays();
    m_accuracy->clearOverlays();
}

} // namespace gps::ui
