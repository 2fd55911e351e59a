#include "panels/curves_panel.h"

#include "widgets/live_plot.h"

#include <QSplitter>
#include <QVBoxLayout>

namespace gps::ui {

namespace {
const QColor kLossColour(0x2e, 0x86, 0xde);
const QColor kLrColour(0xe6, 0x7e, 0x22);
const QColor kOnlineColour(0x8e, 0x44, 0xad);
const QColor kLinearColour(0x27, 0xae, 0x60);
const QColor kKnnColour(0xd6, 0x30, 0x31);
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
    m_loss->setAxisLabels(tr("step"), tr("loss"), tr("learning rate"));
    m_loss->addSeries(lossSeries(), kLossColour);
    m_loss->addSeries(lrSeries(), kLrColour, LivePlot::Axis::Right);

    m_accuracy->setAxisLabels(tr("step"), tr("accuracy (test split for probes)"));
    m_accuracy->setLeftRange(0.0, 1.0);
    m_accuracy->addSeries(onlineSeries(), kOnlineColour);
    m_accuracy->addSeries(linearSeries(), kLinearColour, LivePlot::Axis::Left, true);
    m_accuracy->addSeries(knnSeries(), kKnnColour, LivePlot::Axis::Left, true);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_loss);
    splitter->addWidget(m_accuracy);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
}

void CurvesPanel::clear() {
    m_loss->clearData();
    m_accuracy->clearData();
}

void CurvesPanel::addStep(const train::StepMetrics& metrics) {
    const double x = double(metrics.step);
    m_loss->append(lossSeries(), x, metrics.loss);
    m_loss->append(lrSeries(), x, metrics.lr);
    m_accuracy->append(onlineSeries(), x, metrics.onlineProbeAcc);
}

void CurvesPanel::addEval(const train::EvalMetrics& metrics) {
    const double x = double(metrics.step);
    if (metrics.linearProbeAcc)
        m_accuracy->append(linearSeries(), x, *metrics.linearProbeAcc);
    if (metrics.knnAcc)
        m_accuracy->append(knnSeries(), x, *metrics.knnAcc);
}

void CurvesPanel::setOverlay(const QString& run, const RunCurves& curves) {
    m_loss->setOverlay(run, lossSeries(), curves.loss);
    m_loss->setOverlay(run, lrSeries(), curves.lr);
    m_accuracy->setOverlay(run, onlineSeries(), curves.onlineProbe);
    m_accuracy->setOverlay(run, linearSeries(), curves.linearProbe);
    m_accuracy->setOverlay(run, knnSeries(), curves.knn);
}

void CurvesPanel::removeOverlay(const QString& run) {
    m_loss->removeOverlay(run);
    m_accuracy->removeOverlay(run);
}

void CurvesPanel::clearOverlays() {
    m_loss->clearOverlays();
    m_accuracy->clearOverlays();
}

} // namespace gps::ui
