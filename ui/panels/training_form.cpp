#include "panels/training_form.h"

#include "models/backbone.h"
#include "models/hparam_form.h"
#include "panels/training_advanced_form.h"
#include "project/project.h"
#include "ssl/registry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace gps::ui {

namespace {

constexpr int kMaxImages = 100'000'000;

struct SourceEntry {
    const char* name;
    train::PositiveSource source;
    const char* title;
    const char* help;
};

const SourceEntry kSources[] = {
    {"augment", train::PositiveSource::Augment, QT_TR_NOOP("augment: two augmented views"),
     QT_TR_NOOP("(DA(x), DA(x)): standard SSL")},
    {"gps", train::PositiveSource::Gps, QT_TR_NOOP("gps: a neighbour in the prior"),
     QT_TR_NOOP("(DA(x), DA(x')) with x' drawn from x's neighbours within τ")},
    {"semantic", train::PositiveSource::Semantic, QT_TR_NOOP("semantic: neighbour as extra pair"),
     QT_TR_NOOP("(DA(x), DA(x)) plus (DA(x), DA(x')) as an extra positive pair")},
    {"synthetic", train::PositiveSource::Synthetic, QT_TR_NOOP("synthetic: VAE-decoded third view"),
     QT_TR_NOOP("adds λ·(2 − 2cos) to a view decoded between x's and a neighbour's latent")},
};

struct OptimizerEntry {
    const char* name;
    train::OptimizerKind kind;
};
const OptimizerEntry kOptimizers[] = {{"lars", train::OptimizerKind::Lars},
                                      {"sgd", train::OptimizerKind::Sgd},
                                      {"adamw", train::OptimizerKind::AdamW}};

QSpinBox* spin(QWidget* parent, int lo, int hi, const QString& special = {}) {
    auto* box = new QSpinBox(parent);
    box->setRange(lo, hi);
    box->setSpecialValueText(special);
    box->setAccelerated(true);
    return box;
}

QDoubleSpinBox* doubleSpin(QWidget* parent, double lo, double hi, int decimals) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(lo, hi);
    box->setDecimals(decimals);
    box->setSingleStep(std::pow(10.0, 2 - decimals));
    return box;
}

int clampToInt(std::size_t value) {
    return int(std::min<std::size_t>(value, std::size_t(kMaxImages)));
}

} // namespace

TrainingForm::TrainingForm(QWidget* parent) : QWidget(parent) {
    auto* methodBox = new QGroupBox(tr("Method"), this);
    auto* methodLayout = new QFormLayout(methodBox);
    m_method = new QComboBox(methodBox);
    for (const ssl::MethodInfo& info : ssl::methodRegistry())
        m_method->addItem(QString::fromStdString(info.title), QString::fromStdString(info.name));
    m_description = new QLabel(methodBox);
    m_description->setWordWrap(true);
    m_description->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_hparams = new HParamForm(methodBox);
    methodLayout->addRow(tr("Method"), m_method);
    methodLayout->addRow(m_description);
    methodLayout->addRow(m_hparams);

    auto* modelBox = new QGroupBox(tr("Model and positives"), this);
    auto* modelLayout = new QFormLayout(modelBox);
    m_backbone = new QComboBox(modelBox);
    for (const std::string& name : models::backboneNames())
        m_backbone->addItem(QString::fromStdString(name), QString::fromStdString(name));
    m_width = spin(modelBox, 0, 1024, tr("default"));
    m_width->setToolTip(tr("small_cnn: channels of the first block; resnets: stem width"));
    auto* backboneRow = new QHBoxLayout;
    backboneRow->addWidget(m_backbone, 1);
    backboneRow->addWidget(new QLabel(tr("width"), modelBox));
    backboneRow->addWidget(m_width);
    modelLayout->addRow(tr("Backbone"), backboneRow);
    m_positives = new QComboBox(modelBox);
    for (const SourceEntry& entry : kSources) {
        m_positives->addItem(tr(entry.title), QString::fromLatin1(entry.name));
        m_positives->setItemData(m_positives->count() - 1, tr(entry.help), Qt::ToolTipRole);
    }
    modelLayout->addRow(tr("Positives"), m_positives);

    auto* trainBox = new QGroupBox(tr("Training"), this);
    auto* trainLayout = new QFormLayout(trainBox);
    m_epochs = spin(trainBox, 1, 100000);
    m_batch = spin(trainBox, 2, 65536);
    m_optimizer = new QComboBox(trainBox);
    for (const OptimizerEntry& entry : kOptimizers)
        m_optimizer->addItem(QString::fromLatin1(entry.name), int(entry.kind));
    // 0 is allowed here so that validation, not the spin box, explains what is wrong.
    m_lr = doubleSpin(trainBox, 0.0, 100.0, 5);
    m_lr->setToolTip(tr("Base learning rate for batch 256 (scaled by batch / 256)"));
    m_weightDecay = doubleSpin(trainBox, 0.0, 1.0, 6);
    m_seed = spin(trainBox, 0, std::numeric_limits<int>::max());
    m_device = new QComboBox(trainBox);
    m_device->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
    m_device->setToolTip(tr("auto uses CUDA when a GPU is present, else the CPU"));
    m_limit = spin(trainBox, 0, kMaxImages, tr("all"));
    m_limit->setToolTip(tr("Train on the first N training images (0 = all)"));
    m_testLimit = spin(trainBox, 0, kMaxImages, tr("all"));
    m_testLimit->setToolTip(tr("Evaluate on the first N test images (0 = all)"));
    trainLayout->addRow(tr("Epochs"), m_epochs);
    trainLayout->addRow(tr("Batch size"), m_batch);
    trainLayout->addRow(tr("Optimiser"), m_optimizer);
    trainLayout->addRow(tr("Learning rate"), m_lr);
    trainLayout->addRow(tr("Weight decay"), m_weightDecay);
    trainLayout->addRow(tr("Seed"), m_seed);
    trainLayout->addRow(tr("Device"), m_device);
    trainLayout->addRow(tr("Train images"), m_limit);
    trainLayout->addRow(tr("Test images"), m_testLimit);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(methodBox);
    layout->addWidget(modelBox);
    layout->addWidget(trainBox);
    m_advanced = new TrainingAdvancedForm(this);
    layout->addWidget(m_advanced);
    layout->addStretch(1);

    connect(m_method, &QComboBox::currentIndexChanged, this, &TrainingForm::onMethodChosen);
    connect(m_positives, &QComboBox::activated, this, [this] { m_positivesChosen = true; });
    for (auto* box : findChildren<QSpinBox*>())
        connect(box, &QSpinBox::valueChanged, this, &TrainingForm::edited);
    for (auto* box : findChildren<QDoubleSpinBox*>())
        connect(box, &QDoubleSpinBox::valueChanged, this, &TrainingForm::edited);
    for (auto* box : findChildren<QComboBox*>())
        connect(box, &QComboBox::currentIndexChanged, this, &TrainingForm::edited);
    for (auto* box : findChildren<QCheckBox*>())
        connect(box, &QCheckBox::toggled, this, &TrainingForm::edited);
    connect(m_hparams, &HParamForm::valuesChanged, this, &TrainingForm::edited);
    setProject(project::Project{});
}

void TrainingForm::setProject(const project::Project& project) {
    m_settingProject = true;
    setMethod(QString::fromStdString(project.method.name));
    m_hparams->setValues(project.method.hparams);
    setBackbone(QString::fromStdString(project.backbone.name), project.backbone.width);
    for (const SourceEntry& entry : kSources)
        if (entry.source == project.positives.source)
            setPositiveSource(QString::fromLatin1(entry.name));
    m_epochs->setValue(project.train.epochs);
    m_batch->setValue(project.train.batchSize);
    m_optimizer->setCurrentIndex(m_optimizer->findData(int(project.train.optimizer.kind)));
    m_lr->setValue(project.train.optimizer.lr);
    m_weightDecay->setValue(project.train.optimizer.weightDecay);
    m_seed->setValue(
        int(std::min<std::uint64_t>(project.train.seed, std::numeric_limits<int>::max())));
    const int device = m_device->findText(QString::fromStdString(project.train.device));
    m_device->setCurrentIndex(device >= 0 ? device : 0);
    m_limit->setValue(clampToInt(project.dataset.limit));
    m_testLimit->setValue(clampToInt(project.dataset.testLimit));
    m_advanced->setProject(project);
    m_positivesChosen = false;
    m_settingProject = false;
}

void TrainingForm::applyTo(project::Project& project) const {
    project.method.name = method().toStdString();
    project.method.hparams = m_hparams->values();
    project.backbone.name = m_backbone->currentData().toString().toStdString();
    project.backbone.width = m_width->value();
    for (const SourceEntry& entry : kSources)
        if (positiveSource() == QLatin1String(entry.name))
            project.positives.source = entry.source;
    project.train.epochs = m_epochs->value();
    project.train.batchSize = m_batch->value();
    project.train.optimizer.kind = train::OptimizerKind(m_optimizer->currentData().toInt());
    project.train.optimizer.lr = m_lr->value();
    project.train.optimizer.weightDecay = m_weightDecay->value();
    project.train.seed = std::uint64_t(m_seed->value());
    project.train.device = m_device->currentText().toStdString();
    project.dataset.limit = std::size_t(m_limit->value());
    project.dataset.testLimit = std::size_t(m_testLimit->value());
    m_advanced->applyTo(project);
}

bool TrainingForm::setMethod(const QString& name) {
    const int index = m_method->findData(name);
    if (index < 0)
        return false;
    if (index == m_method->currentIndex())
        showMethod(name, !m_settingProject); // the same method again still resets its form
    else
        m_method->setCurrentIndex(index); // through onMethodChosen
    return true;
}

QString TrainingForm::method() const {
    return m_method->currentData().toString();
}

bool TrainingForm::setPositiveSource(const QString& name) {
    const int index = m_positives->findData(name);
    if (index >= 0)
        m_positives->setCurrentIndex(index);
    return index >= 0;
}

QString TrainingForm::positiveSource() const {
    return m_positives->currentData().toString();
}

bool TrainingForm::setBackbone(const QString& name, int width) {
    const int index = m_backbone->findData(name);
    if (index >= 0)
        m_backbone->setCurrentIndex(index);
    m_width->setValue(width);
    return index >= 0;
}

QString TrainingForm::methodDescription() const {
    return m_description->text();
}

void TrainingForm::onMethodChosen(int index) {
    showMethod(m_method->itemData(index).toString(), !m_settingProject);
}

void TrainingForm::showMethod(const QString& name, bool applyRecipe) {
    const ssl::MethodInfo* info = ssl::findMethod(name.toStdString());
    if (!info)
        return;
    m_description->setText(QString::fromStdString(info->description));
    m_hparams->setSchema(info->hparams);
    if (applyRecipe) {
        const int optimizer = m_optimizer->findText(QString::fromStdString(info->defaultOptimizer));
        if (optimizer >= 0)
            m_optimizer->setCurrentIndex(optimizer);
        m_lr->setValue(info->defaultLr);
        m_weightDecay->setValue(info->defaultWeightDecay);
    }
    Q_EMIT methodChanged(name);
}

} // namespace gps::ui
