// CurvesPanel's toolbar (x axis, smoothing, log loss, reset view, settings that persist) and its
// exports (plots and CSV).

#include "panels/curves_panel.h"

#include "report/curves_csv.h"
#include "widgets/live_plot.h"
#include "widgets/plot_export.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSlider>

namespace gps::ui {

namespace {

const char* const kXAxisKey = "curves/xAxis";
const char* const kSmoothingKey = "curves/smoothing";
const char* const kLogLossKey = "curves/logLoss";
const char* const kExportFolderKey = "export/lastFolder";

} // namespace

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

QString CurvesPanel::writeCsv(const QString& file, const QString& liveName) const {
    std::vector<report::NamedRun> runs;
    if (!m_live.empty())
        runs.push_back({liveName.toStdString(), m_live});
    for (const auto& [run, overlay] : m_overlays)
        runs.push_back({overlay.label.toStdString(), overlay.curves});
    if (runs.empty())
        return tr("%1: no curves to write yet (train a run or check runs in the list)").arg(file);
    const Status written = report::writeCurvesCsv(file.toStdString(), runs);
    return written ? QString() : QString::fromStdString(written.error().message);
}

void CurvesPanel::exportCsv() {
    QSettings settings;
    const QString folder = settings.value(kExportFolderKey, QDir::homePath()).toString();
    QString file = QFileDialog::getSaveFileName(window(), tr("Export curves"),
                                                QDir(folder).filePath(QStringLiteral("curves.csv")),
                                                tr("CSV (*.csv)"));
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += QStringLiteral(".csv");
    settings.setValue(kExportFolderKey, QFileInfo(file).absolutePath());
    const QString error = writeCsv(file);
    Q_EMIT statusMessage(error.isEmpty() ? tr("Saved %1").arg(file) : error);
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
