#include "panels/curves_panel.h"

#include "widgets/live_plot.h"
#include "widgets/plot_export.h"

#include <QMenu>
#include <QSplitter>
#include <QVBoxLayout>

namespace gps::ui {

namespace {

// One colour per run, as the runs table gives each overlaid run its own: the run in the window
// is the dark one. Within a run, the line, dash and marker say which curve it is.
const QColor kLiveColour(0x2d, 0x34, 0x36);
const QColor kPriorColour(0x63, 0x6e, 0x72);

report::CurvePoint pointOf(const train::StepMetrics& m, double value) {
    return {.step = double(m.step), .epochs = m.epochs, .seconds = m.seconds, .value = value};
}

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
    const auto add = [&](LivePlot* plot, const QString& series, report::Curve& curve,
                         double value) {
        const report::CurvePoint point = pointOf(metrics, value);
        if (plot->append(series, point))
            curve.push_back(point);
    };
    add(m_loss, lossSeries(), m_live.loss, metrics.loss);
    add(m_loss, lrSeries(), m_live.lr, metrics.lr);
    if (metrics.onlineProbeAcc > 0) // 0 until the probe has seen a labelled batch
        add(m_accuracy, onlineSeries(), m_live.onlineProbe, metrics.onlineProbeAcc);
    m_live.imagesPerSecond.push_back(pointOf(metrics, metrics.imagesPerSecond));
}

void CurvesPanel::addEval(const train::EvalMetrics& metrics) {
    if (metrics.ofPrior) {
        m_live.priorLinearProbe = metrics.linearProbeAcc;
        m_live.priorKnn = metrics.knnAcc;
        updatePriorLines();
        return;
    }
    // An evaluation follows the step it was made after: it takes that step's time.
    const double seconds = m_live.loss.empty() ? 0.0 : m_live.loss.back().seconds;
    const auto add = [&](const QString& series, report::Curve& curve,
                         const std::optional<double>& value) {
        const report::CurvePoint point{.step = double(metrics.step),
                                       .epochs = double(metrics.epoch),
                                       .seconds = seconds,
                                       .value = value.value_or(0)};
        if (value && m_accuracy->append(series, point))
            curve.push_back(point);
    };
    add(linearSeries(), m_live.linearProbe, metrics.linearProbeAcc);
    add(knnSeries(), m_live.knn, metrics.knnAcc);
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
