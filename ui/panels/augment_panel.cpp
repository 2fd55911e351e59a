#include "panels/augment_panel.h"

#include "augment/presets.h"
#include "bridge/augment_preview.h"
#include "bridge/job_runner.h"
#include "dataset_text.h"
#include "widgets/image_grid.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

#include <exception>
#include <limits>

namespace gps::ui {

namespace {

// The combo item that holds the loaded JSON spec rather than a preset.
const QString kCustomKey = QStringLiteral("\x01custom");
constexpr int kPreviewSide = 112; // px, about the size each preview image is shown at

// A whole multiple of the image's side near kPreviewSide, so scaled pixels stay square and the
// image fills its tile (28 px -> 112, 48 px -> 96, 16 px -> 112); large images fit kPreviewSide.
int tileSideFor(const QImage& image) {
    const int side = std::max(image.width(), image.height());
    if (side <= 0 || side >= kPreviewSide)
        return kPreviewSide;
    return side * std::max(1, qRound(double(kPreviewSide) / side));
}

} // namespace

AugmentPanel::AugmentPanel(QWidget* parent) : QWidget(parent), m_jobs(new JobRunner(this, 1)) {
    m_specs = new QComboBox(this);
    m_specs->setObjectName(QStringLiteral("augmentPreset"));
    for (const std::string& name : augment::presetNames())
        m_specs->addItem(QString::fromStdString(name), QString::fromStdString(name));
    m_loadSpec = new QPushButton(tr("Load spec…"), this);
    m_loadSpec->setToolTip(tr("An augmentation spec as JSON (see the presets for the keys)"));
    m_views = new QSpinBox(this);
    m_views->setObjectName(QStringLiteral("augmentViews"));
    m_views->setRange(1, kMaxViews);
    m_views->setValue(8);
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("augmentSeed"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);
    m_reroll = new QPushButton(tr("Re-roll"), this);
    m_reroll->setObjectName(QStringLiteral("augmentReroll"));
    m_reroll->setToolTip(tr("Draw new views with a new seed"));

    auto* specRow = new QHBoxLayout;
    specRow->addWidget(m_specs, 1);
    specRow->addWidget(m_loadSpec);
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(m_reroll);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->addRow(tr("Augmentation:"), specRow);
    form->addRow(tr("Views:"), m_views);
    form->addRow(tr("Seed:"), seedRow);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("augmentStatus"));
    m_status->setWordWrap(true);
    m_status->hide();

    m_grid = new ImageGrid(this);
    m_grid->setObjectName(QStringLiteral("augmentPreview"));
    m_grid->setPlaceholderText(tr("Select an image to see its augmented views."));
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_grid);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(scroll, 1);

    connect(m_specs, &QComboBox::currentIndexChanged, this, &AugmentPanel::refresh);
    connect(m_specs, &QComboBox::currentIndexChanged, this, &AugmentPanel::publishSpec);
    connect(m_views, &QSpinBox::valueChanged, this, &AugmentPanel::refresh);
    connect(m_seed, &QSpinBox::valueChanged, this, &AugmentPanel::refresh);
    connect(m_reroll, &QPushButton::clicked, this, &AugmentPanel::reroll);
    connect(m_loadSpec, &QPushButton::clicked, this, &AugmentPanel::chooseSpecFile);
    connect(m_jobs, &JobRunner::succeeded, this, [this](quint64 job, const QVariant& value) {
        if (job != m_job)
            return;
        m_job = 0;
        showPreview(value.value<AugmentPreview>());
    });
    connect(m_jobs, &JobRunner::failed, this, [this](quint64 job, const QString& message) {
        if (job != m_job)
            return;
        m_job = 0;
        m_grid->clear();
        showError(message);
        Q_EMIT previewUpdated();
    });
}

AugmentPanel::~AugmentPanel() = default;

void AugmentPanel::setDataset(const data::DatasetPtr& dataset) {
    m_dataset = dataset;
    m_index = -1;
    refresh();
    publishSpec();
}

void AugmentPanel::showImage(qint64 index) {
    m_index = index;
    refresh();
}

bool AugmentPanel::setPreset(const QString& name) {
    const int item = m_specs->findData(name);
    if (item < 0)
        return false;
    m_specs->setCurrentIndex(item);
    return true;
}

void AugmentPanel::setViewCount(int views) {
    m_views->setValue(views);
}

void AugmentPanel::setSeed(int seed) {
    m_seed->setValue(seed);
}

int AugmentPanel::seed() const {
    return m_seed->value();
}

int AugmentPanel::shownImageCount() const {
    return m_grid->count();
}

QString AugmentPanel::errorText() const {
    return m_error;
}

void AugmentPanel::reroll() {
    // bounded() excludes the bound; the spin box maximum is INT_MAX, so all seeds are reachable.
    m_seed->setValue(int(QRandomGenerator::global()->bounded(std::numeric_limits<int>::max())));
}

void AugmentPanel::chooseSpecFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load augmentation spec"), {},
                                                      tr("JSON files (*.json);;All files (*)"));
    if (!path.isEmpty())
        loadSpecFile(path);
}

bool AugmentPanel::loadSpecFile(const QString& path) {
    auto spec = augment::loadAugmentSpec(path.toStdString());
    if (!spec) {
        // The preview of the spec in use stays: only the new file is rejected.
        const QString message = QString::fromStdString(spec.error().message);
        showError(tr("Spec %1 is not valid: %2").arg(QFileInfo(path).fileName(), message));
        return false;
    }
    setCustomSpec(std::move(spec).value(), tr("Custom: %1").arg(QFileInfo(path).fileName()), path);
    return true;
}

void AugmentPanel::setCustomSpec(augment::AugmentSpec spec, const QString& label,
                                 const QString& tooltip) {
    m_customSpec = std::move(spec);
    int item = m_specs->findData(kCustomKey);
    if (item < 0) {
        m_specs->addItem(label, kCustomKey);
        item = m_specs->count() - 1;
    }
    m_specs->setItemText(item, label);
    m_specs->setItemData(item, tooltip, Qt::ToolTipRole);
    if (m_specs->currentIndex() == item)
        refresh(); // the same item with a new spec: currentIndexChanged would not fire
    else
        m_specs->setCurrentIndex(item);
    publishSpec();
}

QString AugmentPanel::presetName() const {
    const QString key = m_specs->currentData().toString();
    return key == kCustomKey ? QString() : key;
}

std::optional<augment::AugmentSpec> AugmentPanel::spec() const {
    const QString key = m_specs->currentData().toString();
    if (key == kCustomKey)
        return m_customSpec;
    if (!m_dataset)
        return std::nullopt;
    auto spec = augment::presetSpec(key.toStdString(), m_dataset->shape());
    return spec ? std::optional(std::move(spec).value()) : std::nullopt;
}

void AugmentPanel::publishSpec() {
    auto current = spec();
    if (!current || current == m_publishedSpec)
        return;
    m_publishedSpec = std::move(current);
    Q_EMIT specChanged(*m_publishedSpec);
}

std::optional<augment::AugmentSpec> AugmentPanel::currentSpec() {
    const QString key = m_specs->currentData().toString();
    if (key == kCustomKey)
        return m_customSpec;
    auto spec = augment::presetSpec(key.toStdString(), m_dataset->shape());
    if (!spec) {
        showError(QString::fromStdString(spec.error().message));
        return std::nullopt;
    }
    return std::move(spec).value();
}

void AugmentPanel::refresh() {
    if (m_job != 0) {
        m_jobs->cancel(m_job);
        m_job = 0;
    }
    setStatus({}, false);
    if (!m_dataset || m_index < 0 || std::size_t(m_index) >= m_dataset->size()) {
        m_grid->clear();
        Q_EMIT previewUpdated();
        return;
    }
    const auto spec = currentSpec();
    if (!spec) {
        m_grid->clear();
        Q_EMIT previewUpdated();
        return;
    }
    AugmentPreviewRequest request{m_dataset, std::size_t(m_index), *spec,
                                  std::uint64_t(m_seed->value()), m_views->value()};
    if (!previewIsCheap(*m_dataset)) {
        setStatus(tr("Augmenting…"), false);
        m_job = m_jobs->start([request](const JobContext& context) -> Result<QVariant> {
            return QVariant::fromValue(makeAugmentPreview(request, context.cancel));
        });
        return;
    }
    try {
        showPreview(makeAugmentPreview(request));
    } catch (const std::exception& error) {
        m_grid->clear();
        showError(tr("Cannot apply this augmentation: %1").arg(QString::fromUtf8(error.what())));
        Q_EMIT previewUpdated();
    }
}

void AugmentPanel::showPreview(const AugmentPreview& preview) {
    setStatus({}, false);
    QList<ImageGrid::Tile> tiles;
    tiles.push_back({preview.original,
                     tr("#%1 %2").arg(preview.index).arg(classNameOf(*m_dataset, preview.index)),
                     true});
    for (qsizetype v = 0; v < preview.views.size(); ++v)
        tiles.push_back({preview.views[v], tr("view %1").arg(v + 1), false});
    m_grid->setTileSide(tileSideFor(preview.original));
    m_grid->setTiles(tiles);
    Q_EMIT previewUpdated();
}

void AugmentPanel::showError(const QString& message) {
    setStatus(message, true);
    Q_EMIT statusMessage(message);
}

void AugmentPanel::setStatus(const QString& text, bool isError) {
    m_error = isError ? text : QString();
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    if (m_status->property("error").toBool() != isError) {
        m_status->setProperty("error", isError); // style.qss colours errors
        m_status->style()->unpolish(m_status);
        m_status->style()->polish(m_status);
    }
}

} // namespace gps::ui
