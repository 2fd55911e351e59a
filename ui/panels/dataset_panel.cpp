#include "panels/dataset_panel.h"

#include "bridge/job_runner.h"
#include "data/dataset_open.h"
#include "dataset_text.h"
#include "models/thumbnail_model.h"
#include "widgets/thumbnail_view.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace gps::ui {

namespace {

QString count(std::size_t n) {
    return QLocale().toString(qulonglong(n));
}

// Non-modal so that a failure never blocks the event loop (or a test driving the window).
void showError(QWidget* parent, const QString& title, const QString& message) {
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace

DatasetPanel::DatasetPanel(QWidget* parent)
    : QWidget(parent), m_jobs(new JobRunner(this, 1)), m_model(new ThumbnailModel(this)) {
    m_summary = new QLabel(tr("No dataset open"), this);
    m_summary->setObjectName(QStringLiteral("datasetSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings = new QToolButton(this);
    m_warnings->setObjectName(QStringLiteral("datasetWarnings"));
    m_warnings->setAutoRaise(true);
    m_warnings->hide();
    auto* summaryRow = new QHBoxLayout;
    summaryRow->addWidget(m_summary, 1);
    summaryRow->addWidget(m_warnings);

    m_classes = new QComboBox(this);
    m_classes->setObjectName(QStringLiteral("classFilter"));
    m_classes->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_classes->setEnabled(false);
    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(new QLabel(tr("Show:"), this));
    filterRow->addWidget(m_classes);
    filterRow->addStretch(1);

    m_view = new ThumbnailView(this);
    m_view->setObjectName(QStringLiteral("thumbnailGrid"));
    m_view->setThumbnailModel(m_model);

    m_details = new QLabel(tr("Select an image to see its details."), this);
    m_details->setObjectName(QStringLiteral("imageDetails"));
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildOpenBar());
    layout->addLayout(summaryRow);
    layout->addLayout(filterRow);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_details);

    connect(m_jobs, &JobRunner::succeeded, this, &DatasetPanel::onOpenSucceeded);
    connect(m_jobs, &JobRunner::failed, this, &DatasetPanel::onOpenFailed);
    connect(m_jobs, &JobRunner::cancelled, this, [this](quint64 job) {
        if (job == m_openJob)
            setBusy({});
    });
    connect(m_splits, &QComboBox::activated, this, &DatasetPanel::onSplitChosen);
    connect(m_classes, &QComboBox::activated, this, &DatasetPanel::onClassChosen);
    connect(m_warnings, &QToolButton::clicked, this, &DatasetPanel::showWarningsDialog);
    connect(m_view, &ThumbnailView::currentImageChanged, this, [this](qint64 index) {
        updateDetails(index);
        Q_EMIT currentImageChanged(index);
    });
    // Lazy readers find bad files while thumbnails are decoded.
    connect(m_model, &ThumbnailModel::dataChanged, this, &DatasetPanel::updateWarnings);
    connect(m_model, &ThumbnailModel::thumbnailFailed, this, &DatasetPanel::statusMessage);
}

DatasetPanel::~DatasetPanel() = default;

QWidget* DatasetPanel::buildOpenBar() {
    auto* bar = new QWidget(this);
    m_openFolder = new QPushButton(tr("Open folder…"), bar);
    m_openFolder->setToolTip(tr("A folder of IDX, CIFAR or STL-10 files, or of images in "
                                "one sub-folder per class"));
    m_openFile = new QPushButton(tr("Open file…"), bar);
    m_openFile->setToolTip(tr("A MedMNIST .npz file"));
    m_openFashion = new QPushButton(tr("Open Fashion-MNIST"), bar);
    m_openFashion->setToolTip(tr("The embedded default dataset, installed in %1")
                                  .arg(QString::fromStdString(data::fashionMnistDir().string())));
    m_splits = new QComboBox(bar);
    m_splits->setObjectName(QStringLiteral("splitSelector"));
    m_splits->setToolTip(tr("Which split of the dataset to browse"));
    m_splits->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_splits->setEnabled(false);
    m_busy = new QProgressBar(bar);
    m_busy->setRange(0, 0); // the readers report no fraction: a busy indicator
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_busyText = new QLabel(bar);
    m_cancel = new QToolButton(bar);
    m_cancel->setText(tr("Cancel"));

    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_openFolder);
    row->addWidget(m_openFile);
    row->addWidget(m_openFashion);
    row->addSpacing(12);
    row->addWidget(new QLabel(tr("Split:"), bar));
    row->addWidget(m_splits);
    row->addStretch(1);
    row->addWidget(m_busyText);
    row->addWidget(m_busy);
    row->addWidget(m_cancel);
    setBusy({});

    connect(m_openFolder, &QPushButton::clicked, this, &DatasetPanel::chooseFolder);
    connect(m_openFile, &QPushButton::clicked, this, &DatasetPanel::chooseFile);
    connect(m_openFashion, &QPushButton::clicked, this, &DatasetPanel::openFashionMnist);
    connect(m_cancel, &QToolButton::clicked, this, [this] { m_jobs->cancel(m_openJob); });
    return bar;
}

void DatasetPanel::chooseFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open dataset folder"));
    if (!folder.isEmpty())
        openDataset(folder);
}

void DatasetPanel::chooseFile() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Open dataset file"), {},
                                                      tr("NumPy archives (*.npz);;All files (*)"));
    if (!file.isEmpty())
        openDataset(file);
}

void DatasetPanel::openFashionMnist() {
    openDataset(QString::fromUtf8(data::kDefaultDatasetName));
}

void DatasetPanel::openDataset(const QString& source, const QString& split) {
    if (m_openJob != 0)
        m_jobs->cancel(m_openJob); // its late result is ignored: only m_openJob is shown
    setBusy(tr("Opening %1…").arg(source));
    m_openJob = m_jobs->start([source, split](const JobContext&) -> Result<QVariant> {
        auto opened = openForBrowsing(source, split);
        if (!opened)
            return opened.error();
        return QVariant::fromValue(std::move(opened).value());
    });
}

void DatasetPanel::setDataset(data::DatasetPtr dataset, const QString& source) {
    if (m_openJob != 0) {
        // An open that already finished has its result queued; forgetting its id drops it, so
        // it cannot replace the dataset given here when it arrives.
        m_jobs->cancel(m_openJob);
        m_openJob = 0;
        setBusy({});
    }
    showOpened(describeInMemory(std::move(dataset), source));
}

void DatasetPanel::onOpenSucceeded(quint64 job, const QVariant& value) {
    if (job != m_openJob)
        return;
    setBusy({});
    showOpened(value.value<OpenedDataset>());
}

void DatasetPanel::onOpenFailed(quint64 job, const QString& message) {
    if (job != m_openJob)
        return;
    setBusy({});
    updateSplits(); // a failed split change leaves the combo on the split still shown
    showError(this, tr("Could not open dataset"), message);
    Q_EMIT statusMessage(tr("Could not open dataset: %1").arg(message));
    Q_EMIT datasetFailed(message);
}

void DatasetPanel::showOpened(OpenedDataset opened) {
    m_opened = std::move(opened);
    m_model->setDataset(m_opened.dataset);
    m_summary->setText(summaryText(m_opened));
    updateSplits();
    updateClassFilter();
    updateWarnings();
    Q_EMIT datasetChanged(m_opened.dataset);
    // Start on the first image (after datasetChanged, so the preview follows the new dataset).
    if (m_opened.dataset && m_opened.dataset->size() > 0)
        m_view->selectImage(0);
    const QString name = m_opened.source.isEmpty() ? tr("dataset") : m_opened.source;
    Q_EMIT statusMessage(tr("Opened %1: %2").arg(name, summaryText(m_opened)));
    Q_EMIT datasetOpened();
}

void DatasetPanel::setBusy(const QString& what) {
    if (what.isEmpty())
        m_openJob = 0;
    m_busy->setVisible(!what.isEmpty());
    m_cancel->setVisible(!what.isEmpty());
    m_busyText->setText(what);
}

void DatasetPanel::updateSplits() {
    m_splits->clear();
    const auto& dataset = m_opened.dataset;
    for (const data::SplitInfo& split : m_opened.info.splits)
        m_splits->addItem(
            QStringLiteral("%1 (%2)").arg(QString::fromStdString(split.name), count(split.size)),
            QString::fromStdString(split.name));
    if (dataset)
        m_splits->setCurrentIndex(m_splits->findData(QString::fromStdString(dataset->split())));
    // Re-opening needs a source on disk; a dataset built in memory has only its own split.
    m_splits->setEnabled(m_splits->count() > 1 && !m_opened.source.isEmpty());
}

void DatasetPanel::onSplitChosen(int comboIndex) {
    const QString split = m_splits->itemData(comboIndex).toString();
    if (m_opened.dataset && split != QString::fromStdString(m_opened.dataset->split()))
        openDataset(m_opened.source, split);
}

void DatasetPanel::updateClassFilter() {
    m_classes->clear();
    const auto& dataset = m_opened.dataset;
    if (!dataset)
        return;
    if (!dataset->labelled()) {
        m_classes->addItem(tr("All images (%1)").arg(count(dataset->size())),
                           ThumbnailModel::kAllClasses);
    } else {
        m_classes->addItem(tr("All classes (%1)").arg(count(dataset->size())),
                           ThumbnailModel::kAllClasses);
        const auto& counts = m_model->classCounts();
        const auto& names = dataset->classNames();
        for (std::size_t c = 0; c < names.size(); ++c)
            m_classes->addItem(
                QStringLiteral("%1 (%2)").arg(QString::fromStdString(names[c]), count(counts[c])),
                int(c));
    }
    m_classes->setEnabled(m_classes->count() > 1);
}

void DatasetPanel::onClassChosen(int comboIndex) {
    setClassFilter(m_classes->itemData(comboIndex).toInt());
}

void DatasetPanel::setClassFilter(int classIndex) {
    const qint64 selected = m_view->currentImage();
    m_model->setClassFilter(classIndex);
    m_classes->setCurrentIndex(std::max(0, m_classes->findData(classIndex)));
    m_view->selectImage(selected); // keeps the selection when the image is still shown
}

void DatasetPanel::selectImage(qint64 index) {
    m_view->selectImage(index);
}

qint64 DatasetPanel::currentImage() const {
    return m_view->currentImage();
}

QStringList DatasetPanel::warnings() const {
    return collectWarnings(m_opened);
}

QString DatasetPanel::summary() const {
    return m_summary->text();
}

QString DatasetPanel::details() const {
    return m_details->text();
}

void DatasetPanel::updateWarnings() {
    const QStringList all = warnings();
    m_warnings->setVisible(!all.isEmpty());
    m_warnings->setText(all.size() == 1 ? tr("⚠ 1 warning") : tr("⚠ %1 warnings").arg(all.size()));
    m_warnings->setToolTip(all.mid(0, 20).join(QLatin1Char('\n')) +
                           (all.size() > 20 ? tr("\n… (click for all)") : QString()));
}

void DatasetPanel::showWarningsDialog() {
    const QStringList all = warnings();
    auto* box = new QMessageBox(QMessageBox::Information, tr("Dataset warnings"),
                                tr("%1 problem(s) were found in this dataset.").arg(all.size()),
                                QMessageBox::Close, this);
    box->setDetailedText(all.join(QLatin1Char('\n')));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void DatasetPanel::updateDetails(qint64 index) {
    const auto& dataset = m_opened.dataset;
    if (!dataset || index < 0 || std::size_t(index) >= dataset->size()) {
        m_details->setText(tr("Select an image to see its details."));
        return;
    }
    m_details->setText(imageDetailsText(*dataset, std::size_t(index)));
}

QString DatasetPanel::split() const {
    return m_opened.dataset ? QString::fromStdString(m_opened.dataset->split()) : QString();
}

} // namespace gps::ui
