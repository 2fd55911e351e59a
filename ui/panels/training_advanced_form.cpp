#include "panels/training_advanced_form.h"

#include "project/project.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <climits>
#include <cmath>

namespace gps::ui {

namespace {

using project::Project;

// One row per field: the project file's key, the label, what it does, the editor's range
// (the project file's), and the field itself.
struct NumberField {
    const char* key;
    const char* label;
    const char* help;
    double lo, hi;
    int decimals;
    double& (*field)(Project&);
};

struct IntegerField {
    const char* key;
    const char* label;
    const char* help;
    int lo, hi;
    const char* special; ///< shown for `lo`; null = the number
    int& (*field)(Project&);
};

struct SwitchField {
    const char* key;
    const char* label;
    const char* help;
    bool& (*field)(Project&);
};

const NumberField kNumbers[] = {
    {"train.warmup_epochs", QT_TR_NOOP("Warm-up epochs"),
     QT_TR_NOOP("Linear warm-up from 0; clamped to the run's length"), 0, 10000, 2,
     [](Project& p) -> double& { return p.train.schedule.warmupEpochs; }},
    {"train.min_lr_factor", QT_TR_NOOP("Final lr factor"),
     QT_TR_NOOP("The cosine schedule ends at lr × this factor"), 0, 1, 3,
     [](Project& p) -> double& { return p.train.schedule.minLrFactor; }},
    {"train.momentum", QT_TR_NOOP("Momentum"), QT_TR_NOOP("SGD and LARS"), 0, 0.999, 3,
     [](Project& p) -> double& { return p.train.optimizer.momentum; }},
    {"train.lars_eta", QT_TR_NOOP("LARS trust η"), QT_TR_NOOP("LARS trust coefficient"), 1e-5, 1, 5,
     [](Project& p) -> double& { return p.train.optimizer.larsEta; }},
    {"train.betas[0]", QT_TR_NOOP("AdamW β₁"), QT_TR_NOOP("AdamW's first moment decay"), 0, 0.9999,
     4, [](Project& p) -> double& { return p.train.optimizer.betas[0]; }},
    {"train.betas[1]", QT_TR_NOOP("AdamW β₂"), QT_TR_NOOP("AdamW's second moment decay"), 0, 0.9999,
     4, [](Project& p) -> double& { return p.train.optimizer.betas[1]; }},
    {"train.online_probe_lr", QT_TR_NOOP("Online probe lr"),
     QT_TR_NOOP("The online linear classifier's own learning rate (SGD)"), 1e-6, 100, 4,
     [](Project& p) -> double& { return p.train.onlineProbeLr; }},
    {"eval.knn_temperature", QT_TR_NOOP("kNN temperature"),
     QT_TR_NOOP("Weighted kNN evaluation: exp(similarity / T)"), 1e-4, 100, 4,
     [](Project& p) -> double& { return p.eval.knnTemperature; }},
    {"positives.semantic_weight", QT_TR_NOOP("Semantic pair weight"),
     QT_TR_NOOP("semantic positives: weight of the extra pair's loss"), 0, 100, 3,
     [](Project& p) -> double& { return p.positives.semanticWeight; }},
    {"positives.synthetic_lambda", QT_TR_NOOP("Synthetic λ"),
     QT_TR_NOOP("synthetic positives: weight of the decoded view's term"), 0, 100, 3,
     [](Project& p) -> double& { return p.positives.syntheticLambda; }},
    {"positives.synthetic_mix", QT_TR_NOOP("Synthetic mix t"),
     QT_TR_NOOP("synthetic positives: decode((1 − t)·z(x) + t·z(x'))"), 0, 1, 3,
     [](Project& p) -> double& { return p.positives.syntheticMix; }},
};

const IntegerField kIntegers[] = {
    {"train.log_every", QT_TR_NOOP("Print every"),
     QT_TR_NOOP("Steps between the progress lines `gps-studio-cli train` prints; 'epoch' = once "
                "per epoch. metrics.jsonl and the curves keep every step."),
     0, INT_MAX, QT_TR_NOOP("epoch"), [](Project& p) -> int& { return p.train.logEvery; }},
    {"train.checkpoint_every", QT_TR_NOOP("Checkpoint every"),
     QT_TR_NOOP("Epochs between checkpoints (a stop and the end always save one)"), 0, INT_MAX,
     QT_TR_NOOP("end only"), [](Project& p) -> int& { return p.train.checkpointEvery; }},
    {"train.prefetch_batches", QT_TR_NOOP("Prefetched batches"),
     QT_TR_NOOP("Batches prepared ahead of the training step"), 1, 64, nullptr,
     [](Project& p) -> int& { return p.train.prefetchBatches; }},
    {"train.data_threads", QT_TR_NOOP("Data threads"),
     QT_TR_NOOP("Threads that augment the batches"), 0, 1024, QT_TR_NOOP("all cores"),
     [](Project& p) -> int& { return p.train.dataThreads; }},
    {"positives.refresh_every", QT_TR_NOOP("Refresh neighbours every"),
     QT_TR_NOOP("Epochs between rebuilding the neighbours from the model's own features"), 0,
     INT_MAX, QT_TR_NOOP("never"), [](Project& p) -> int& { return p.positives.refreshEvery; }},
    {"eval.every", QT_TR_NOOP("Evaluate every"),
     QT_TR_NOOP("Epochs between linear-probe and kNN evaluations"), 0, INT_MAX,
     QT_TR_NOOP("at the end"), [](Project& p) -> int& { return p.eval.every; }},
    {"eval.knn_k", QT_TR_NOOP("kNN k"), QT_TR_NOOP("Neighbours of the kNN evaluation"), 1, 10000,
     nullptr, [](Project& p) -> int& { return p.eval.knnK; }},
    {"eval.probe_epochs", QT_TR_NOOP("Probe epochs"),
     QT_TR_NOOP("Epochs of the offline linear probe on frozen features"), 1, 100000, nullptr,
     [](Project& p) -> int& { return p.eval.probeEpochs; }},
};

const SwitchField kSwitches[] = {
    {"train.lars_clip_lr", QT_TR_NOOP("LARS clips the step at lr"),
     QT_TR_NOOP("Each layer's step is min(trust, lr), as the reference recipes"),
     [](Project& p) -> bool& { return p.train.optimizer.larsClipLr; }},
    {"train.exclude_bias_and_norm", QT_TR_NOOP("No decay on biases and norms"),
     QT_TR_NOOP("One-dimensional parameters get no weight decay and no LARS adaptation"),
     [](Project& p) -> bool& { return p.train.optimizer.excludeBiasAndNorm; }},
    {"train.mixed_precision", QT_TR_NOOP("Mixed precision on CUDA"),
     QT_TR_NOOP("bf16 autocast when training on a GPU"),
     [](Project& p) -> bool& { return p.train.mixedPrecision; }},
    {"eval.prior_baseline", QT_TR_NOOP("Probe the prior once"),
     QT_TR_NOOP("Linear probe and kNN on the prior's own embedding, for comparison"),
     [](Project& p) -> bool& { return p.eval.priorBaseline; }},
};

QString tooltip(const char* help, const char* key) {
    return TrainingAdvancedForm::tr(help) + QStringLiteral("\n(%1)").arg(QLatin1String(key));
}

} // namespace

TrainingAdvancedForm::TrainingAdvancedForm(QWidget* parent) : QWidget(parent) {
    m_toggle = new QToolButton(this);
    m_toggle->setText(tr("Advanced"));
    m_toggle->setCheckable(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setAutoRaise(true);
    m_body = new QWidget(this);
    auto* form = new QFormLayout(m_body);
    m_graph = new QLabel(m_body);
    m_graph->setWordWrap(true);
    m_graph->setToolTip(tr("Set where the graph is built, in the Neighbours tab (neighbors.k_max, "
                           "neighbors.metric)"));
    form->addRow(tr("Neighbour graph"), m_graph);
    for (const NumberField& f : kNumbers) {
        auto* box = new QDoubleSpinBox(m_body);
        box->setRange(f.lo, f.hi);
        box->setDecimals(f.decimals);
        box->setSingleStep(std::pow(10.0, 1 - f.decimals));
        box->setToolTip(tooltip(f.help, f.key));
        box->setObjectName(QLatin1String(f.key));
        form->addRow(tr(f.label), box);
        m_numbers.push_back(box);
    }
    for (const IntegerField& f : kIntegers) {
        auto* box = new QSpinBox(m_body);
        box->setRange(f.lo, f.hi);
        if (f.special)
            box->setSpecialValueText(tr(f.special));
        box->setToolTip(tooltip(f.help, f.key));
        box->setObjectName(QLatin1String(f.key));
        form->addRow(tr(f.label), box);
        m_integers.push_back(box);
    }
    for (const SwitchField& f : kSwitches) {
        auto* box = new QCheckBox(tr(f.label), m_body);
        box->setToolTip(tooltip(f.help, f.key));
        box->setObjectName(QLatin1String(f.key));
        form->addRow(box);
        m_switches.push_back(box);
    }
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_toggle);
    layout->addWidget(m_body);
    connect(m_toggle, &QToolButton::toggled, this, &TrainingAdvancedForm::setExpanded);
    setExpanded(false);
    setProject(Project{});
}

void TrainingAdvancedForm::setProject(const Project& project) {
    Project copy = project; // the tables' accessors take a mutable project
    for (std::size_t i = 0; i < m_numbers.size(); ++i)
        m_numbers[i]->setValue(kNumbers[i].field(copy));
    for (std::size_t i = 0; i < m_integers.size(); ++i)
        m_integers[i]->setValue(kIntegers[i].field(copy));
    for (std::size_t i = 0; i < m_switches.size(); ++i)
        m_switches[i]->setChecked(kSwitches[i].field(copy));
    showGraphSettings(project.neighbors.kMax,
                      project.neighbors.metric == neighbors::Metric::Cosine);
}

void TrainingAdvancedForm::showGraphSettings(int kMax, bool cosine) {
    m_graph->setText(tr("k_max %1, %2")
                         .arg(kMax)
                         .arg(cosine ? tr("cosine distance") : tr("squared L2 distance")));
}

void TrainingAdvancedForm::applyTo(Project& project) const {
    for (std::size_t i = 0; i < m_numbers.size(); ++i)
        kNumbers[i].field(project) = m_numbers[i]->value();
    for (std::size_t i = 0; i < m_integers.size(); ++i)
        kIntegers[i].field(project) = m_integers[i]->value();
    for (std::size_t i = 0; i < m_switches.size(); ++i)
        kSwitches[i].field(project) = m_switches[i]->isChecked();
}

bool TrainingAdvancedForm::isExpanded() const {
    return m_body->isVisibleTo(this);
}

void TrainingAdvancedForm::setExpanded(bool expanded) {
    m_body->setVisible(expanded);
    m_toggle->setChecked(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
}

QWidget* TrainingAdvancedForm::editor(const QString& key) const {
    return m_body->findChild<QWidget*>(key);
}

QString TrainingAdvancedForm::graphText() const {
    return m_graph->text();
}

} // namespace gps::ui
