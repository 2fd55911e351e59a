#include "panels/curves_panel.h"

#include "widgets/live_plot.h"
#include "widgets/plot_export.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>

namespace gps::ui {

namespace {

const QColor kLossColour(0x2e, 0x86, 0xde);
const QColor kLrColour(0xe6, 0x7e, 0x22);
const QColor kOnlineColour(0x8e, 0x44, 0xad);
const QColor kLinearColour(0x27, 0xae, 0x60);
const QColor kKnnColour(0xd6, 0x30, 0x31);

const char* const kXAxisKey = "curves/xAxis";
const char* const kSmoothingKey = "curves/smoothing";
const char* const kLogLossKey = "curves/logLoss";

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
    m_loss->addSeries(lossSeries(), Style{.colour = kLossColour});
    m_loss->addSeries(
        lrSeries(), Style{.colour = kLrColour, .axis = LivePlot::Axis::Right, .pen = Qt::DashLine});

    m_accuracy->setAxisLabels(tr("accuracy (probes on the test split)"));
    m_accuracy->setLeftRange(0.0, 1.0);
    m_accuracy->addSeries(onlineSeries(), Style{.colour = kOnlineColour});
    m_accuracy->addSeries(
        linearSeries(),
        Style{.colour = kLinearColour, .marker = LivePlot::Marker::Disc, .labelValues = true});
    m_accuracy->addSeries(
        knnSeries(),
        Style{.colour = kKnnColour, .marker = LivePlot::Marker::Square, .labelValues = true});
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

QWidget* CurvesPanel::makeToolbar() {
    auto* bar = new QWidget(this);
    m_xAxis = new QComboBox(bar);
    m_xAxis->addItem(tr("Steps"), int(report::XAxis::Step));
    m_xAxis->addItem(tr("Epochs"), int(report::XAxis::Epoch));
    m_xAxis->addItem(tr("Training time"), int(report::XAxis::Time));
    m_xAxis->setToolTip(tr("What the x axis of both plots counts"));
    m_smoothing = new QSlider(Qt::Horizontal, bar);
    m_smoothing->setRange(0, kSmoothingSteps - 1);
    m_smoothing->setToolTip(tr("Exponential smoothing of the curves, as TensorBoard's: 0 draws "
                               "the raw values; the raw curve stays faint underneath"));
    m_smoothingValue = new QLabel(bar);
    m_smoothingValue->setMinimumWidth(
        m_smoothingValue->fontMetrics().horizontalAdvance(QStringLiteral("0.00")));
    m_logLoss = new QCheckBox(tr("Log loss"), bar);
    m_logLoss->setToolTip(tr("A logarithmic axis for the loss"));
    auto* reset = new QPushButton(tr("Reset view"), bar);
    reset->setToolTip(tr("Ranges that hold every point again (also: double-click a plot). "
                         "Drag pans, the wheel zooms."));

    connect(m_xAxis, &QComboBox::currentIndexChanged, this,
            [this] { setXAxis(report::XAxis(m_xAxis->currentData().toInt())); });
    connect(m_smoothing, &QSlider::valueChanged, this,
            [this](int value) { setSmoothing(double(value) / kSmoothingSteps); });
    connect(m_logLoss, &QCheckBox::toggled, this, &CurvesPanel::setLogLoss);
    connect(reset, &QPushButton::clicked, this, &CurvesPanel::resetView);

    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("x axis"), bar));
    layout->addWidget(m_xAxis);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("Smoothing"), bar));
    layout->addWidget(m_smoothing, 1);
    layout->addWidget(m_smoothingValue);
    layout->addSpacing(12);
    layout->addWidget(m_logLoss);
    layout->addWidget(reset);

    // Read every setting before applying any: applying one saves them all.
    const QSettings settings;
    const int xAxis = std::clamp(settings.value(kXAxisKey, 0).toInt(), 0, 2);
    const int smoothing = settings.value(kSmoothingKey, 0).toInt();
    const bool logLoss = settings.value(kLogLossKey, false).toBool();
    m_xAxis->setCurrentIndex(xAxis);
    m_smoothing->setValue(smoothing);
    m_logLoss->setChecked(logLoss);
    setSmoothing(double(m_smoothing->value()) / kSmoothingSteps);
    return bar;
}

void CurvesPanel::saveSettings() const {
    QSettings settings;
    settings.setValue(kXAxisKey, m_xAxis->currentIndex());
    settings.setValue(kSmoothingKey, m_smoothing->value());
    settings.setValue(kLogLossKey, m_logLoss->isChecked());
}

void CurvesPanel::clear() {
    m_live = {};
    m_loss->clearData();
    m_accuracy->clearData();
    m_accuracy->setReference(tr("prior linear probe"), std::nullopt, {}, {});
    m_accuracy->setReference(tr("prior kNN"), std::nullopt, {}, {});
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
        const auto line = [&](const QString& name, const std::optional<double>& value,
                              const QColor& colour) {
            const QString label =
                value ? tr("%1 %2 %").arg(name).arg(100.0 * *value, 0, 'f', 1) : QString();
            m_accuracy->setReference(name, value, colour.lighter(115), label);
        };
        line(tr("prior linear probe"), metrics.linearProbeAcc, kLinearColour);
        line(tr("prior kNN"), metrics.knnAcc, kKnnColour);
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

void CurvesPanel::setOverlay(const QString& run, const QString& label, const QColor& colour,
                             const report::RunCurves& curves) {
    m_overlays[run] = Overlay{label, curves};
    m_loss->setOverlay(run, label, colour, lossSeries(), curves.loss);
    m_loss->setOverlay(run, label, colour, lrSeries(), curves.lr);
    m_accuracy->setOverlay(run, label, colour, onlineSeries(), curves.onlineProbe);
    m_accuracy->setOverlay(run, label, colour, linearSeries(), curves.linearProbe);
    m_accuracy->setOverlay(run, label, colour, knnSeries(), curves.knn);
}

void CurvesPanel::removeOverlay(const QString& run) {
    m_overlays.erase(run);
    m_loss->removeOverlay(run);
    m_accuracy->removeOverlay(run);
}

void CurvesPanel::clearOverlays() {
    m_overlays.clear();
    m_loss->clearOverlays();
    m_accuracy->clearOverlays();
}

void CurvesPanel::setXAxis(report::XAxis axis) {
    const int index = m_xAxis->findData(int(axis));
    if (index != m_xAxis->currentIndex()) {
        m_xAxis->setCurrentIndex(index); // comes back here through the signal
        return;
    }
    m_loss->setXAxis(axis);
    m_accuracy->setXAxis(axis);
    saveSettings();
}

report::XAxis CurvesPanel::xAxis() const {
    return m_loss->xAxis();
}

void CurvesPanel::setSmoothing(double weight) {
    const int value =
        std::clamp(int(std::lround(weight * kSmoothingSteps)), 0, kSmoothingSteps - 1);
    if (value != m_smoothing->value()) {
        m_smoothing->setValue(value);
        return;
    }
    m_smoothingValue->setText(QString::number(double(value) / kSmoothingSteps, 'f', 2));
    m_loss->setSmoothing(double(value) / kSmoothingSteps);
    m_accuracy->setSmoothing(double(value) / kSmoothingSteps);
    saveSettings();
}

double CurvesPanel::smoothing() const {
    return m_loss->smoothing();
}

void CurvesPanel::setLogLoss(bool on) {
    if (on != m_logLoss->isChecked()) {
        m_logLoss->setChecked(on);
        return;
    }
    m_loss->setLeftLog(on);
    saveSettings();
}

void CurvesPanel::setPresentation(bool on) {
    m_loss->setPresentation(on);
    m_accuracy->setPresentation(on);
}

void CurvesPanel::resetView() {
    m_loss->resetView();
    m_accuracy->resetView();
}

void CurvesPanel::exportLossPlot() {
    const QString message = savePlotWithDialog(m_loss->plot(), window(), QStringLiteral("loss"));
    if (!message.isEmpty())
        Q_EMIT statusMessage(message);
}

void CurvesPanel::exportAccuracyPlot() {
    const QString message =
        savePlotWithDialog(m_accuracy->plot(), window(), QStringLiteral("accuracy"));
    if (!message.isEmpty())
        Q_EMIT statusMessage(message);
}

} // namespace gps::ui
