#include "panels/prior_panel.h"

#include "bridge/job_runner.h"
#include "priors/registry.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace gps::ui {

namespace {

enum class Argument { None, Dim, Path };

struct PriorForm {
    QString key; // the spec's name, before the colon
    Argument argument;
};

// The forms a user picks from, in the grammar's order (run:DIR belongs to the runs panel).
const PriorForm kForms[] = {
    {u"pixels"_s, Argument::None},      {u"pca"_s, Argument::Dim},  {u"hog"_s, Argument::None},
    {u"random-cnn"_s, Argument::None},  {u"ae"_s, Argument::Dim},   {u"vae"_s, Argument::Dim},
    {u"torchscript"_s, Argument::Path}, {u"npy"_s, Argument::Path},
};
constexpr int kDefaultDim = 64;
constexpr int kDefaultKMax = 64;

// The registry's one-line help for a form: "pca:D — the first D principal components …".
QString helpFor(const QString& key) {
    for (const std::string& line : priors::priorSpecHelp()) {
        QString text = QString::fromStdString(line);
        const QString head = text.section(u' ', 0, 0);
        if (head == key || head.startsWith(key + u':'))
            return text;
    }
    return {};
}

int formIndex(priors::PriorKind kind) {
    using K = priors::PriorKind;
    switch (kind) {
    case K::Pixels:
        return 0;
    case K::Pca:
        return 1;
    case K::Hog:
        return 2;
    case K::RandomCnn:
        return 3;
    case K::Autoencoder:
        return 4;
    case K::Vae:
        return 5;
    case K::TorchScript:
        return 6;
    case K::Npy:
        return 7;
    case K::Run:
        return -1;
    }
    return -1;
}

} // namespace

PriorPanel::PriorPanel(QWidget* parent) : QWidget(parent), m_jobs(new JobRunner(this, 1)) {
    m_kind = new QComboBox(this);
    m_kind->setObjectName(u"priorKind"_s);
    for (int i = 0; i < int(std::size(kForms)); ++i) {
        m_kind->addItem(kForms[i].key);
        m_kind->setItemData(i, helpFor(kForms[i].key), Qt::ToolTipRole);
    }
    m_dim = new QSpinBox(this);
    m_dim->setObjectName(u"priorDim"_s);
    m_dim->setRange(1, 4096);
    m_dim->setValue(kDefaultDim);
    m_dim->setPrefix(u"D = "_s);
    m_path = new QLineEdit(this);
    m_path->setObjectName(u"priorPath"_s);
    m_path->setPlaceholderText(tr("file…"));
    m_browse = new QToolButton(this);
    m_browse->setText(tr("…"));
    m_browse->setToolTip(tr("Choose the file"));
    m_metric = new QComboBox(this);
    m_metric->setObjectName(u"priorMetric"_s);
    m_metric->addItem(tr("L2"), u"l2"_s);
    m_metric->addItem(tr("cosine"), u"cosine"_s);
    m_metric->setToolTip(tr("L2: squared Euclidean distance. Cosine: rows L2-normalised first "
                            "(d = 2 − 2cos, in [0, 4])."));
    m_kMax = new QSpinBox(this);
    m_kMax->setObjectName(u"priorKMax"_s);
    m_kMax->setRange(1, kLargestKMax);
    m_kMax->setValue(kDefaultKMax);
    m_kMax->setPrefix(u"k_max "_s);
    m_kMax->setToolTip(tr("Neighbours listed per image; a τ ball holding more is truncated."));
    m_compute = new QPushButton(tr("Compute"), this);
    m_compute->setObjectName(u"priorCompute"_s);
    m_compute->setToolTip(tr("Embed the open split with this prior (cached) and find every "
                             "image's nearest neighbours"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(u"priorCancel"_s);
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    m_progress->hide();
    m_status = new QLabel(tr("Pick a prior and press Compute to build the neighbour graph."), this);
    m_status->setObjectName(u"priorStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Prior:"), this));
    row->addWidget(m_kind);
    row->addWidget(m_dim);
    row->addWidget(m_path, 1);
    row->addWidget(m_browse);
    row->addWidget(m_metric);
    row->addWidget(m_kMax);
    row->addWidget(m_compute);
    row->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &PriorPanel::onFormChanged);
    connect(m_dim, &QSpinBox::valueChanged, this, &PriorPanel::recipeChanged);
    connect(m_path, &QLineEdit::textChanged, this, &PriorPanel::recipeChanged);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &PriorPanel::recipeChanged);
    connect(m_kMax, &QSpinBox::valueChanged, this, &PriorPanel::recipeChanged);
    connect(m_browse, &QToolButton::clicked, this, &PriorPanel::choosePath);
    connect(m_compute, &QPushButton::clicked, this, &PriorPanel::compute);
    connect(m_cancel, &QPushButton::clicked, this, &PriorPanel::cancel);
    connect(m_jobs, &JobRunner::progressed, this,
            [this](quint64 job, double fraction, const QString& message) {
                if (job != m_job)
                    return;
                m_progress->setValue(int(fraction * 1000));
                if (!message.isEmpty())
                    m_status->setText(message);
            });
    connect(m_jobs, &JobRunner::succeeded, this, &PriorPanel::onSucceeded);
    connect(m_jobs, &JobRunner::failed, this, [this](quint64 job, const QString& message) {
        if (job == m_job)
            onEnded(State::Failed, tr("Could not compute the prior: %1").arg(message));
    });
    connect(m_jobs, &JobRunner::cancelled, this, [this](quint64 job) {
        if (job == m_job)
            onEnded(State::Cancelled, tr("Cancelled. The previous neighbour graph is kept."));
    });
    onFormChanged();
}

PriorPanel::~PriorPanel() = default;

void PriorPanel::setDataset(const data::DatasetPtr& dataset) {
    cancel();
    m_job = 0; // its outcome, if any, belongs to the old dataset and is dropped
    m_compute->setEnabled(true);
    m_cancel->setEnabled(false);
    m_progress->hide();
    m_dataset = dataset;
    m_graph.reset(); // its rows were the old dataset's images
    m_state = State::Idle;
    setStatus(dataset ? tr("Pick a prior and press Compute to build the neighbour graph.")
                      : tr("Open a dataset first."),
              false);
    Q_EMIT recipeChanged();
}

QString PriorPanel::spec() const {
    const PriorForm& form = kForms[std::max(0, m_kind->currentIndex())];
    switch (form.argument) {
    case Argument::None:
        return form.key;
    case Argument::Dim:
        return form.key + u':' + QString::number(m_dim->value());
    case Argument::Path:
        return form.key + u':' + m_path->text().trimmed();
    }
    return form.key;
}

bool PriorPanel::setSpec(const QString& spec) {
    const auto parsed = priors::parsePriorSpec(spec.toStdString());
    if (!parsed || formIndex(parsed->kind) < 0)
        return false;
    m_kind->setCurrentIndex(formIndex(parsed->kind));
    if (parsed->dim > 0)
        m_dim->setValue(parsed->dim);
    if (!parsed->path.empty())
        m_path->setText(QString::fromStdString(parsed->path.string()));
    return true;
}

session::GraphRecipe PriorPanel::recipe() const {
    session::GraphRecipe recipe;
    recipe.priorSpec = spec().toStdString();
    recipe.priorOptions = m_priorOptions;
    recipe.knn.kMax = m_kMax->value();
    recipe.knn.metric =
        m_metric->currentIndex() == 1 ? neighbors::Metric::Cosine : neighbors::Metric::L2;
    return recipe;
}

void PriorPanel::setPriorOptions(const priors::PriorOptions& options) {
    m_priorOptions = options;
    Q_EMIT recipeChanged();
}

void PriorPanel::showGraph(const NeighborGraphPtr& graph, const QString& origin) {
    cancel();
    m_job = 0;
    m_graph = graph;
    setSpec(graph->spec);
    setKMax(graph->knn.kMax);
    setCosine(graph->knn.metric == neighbors::Metric::Cosine);
    onEnded(State::Done, tr("%1: %2 rows, k_max %3 · %4")
                             .arg(graph->spec)
                             .arg(graph->graph->rows)
                             .arg(graph->graph->k)
                             .arg(origin));
    Q_EMIT graphReady(m_graph);
}

void PriorPanel::setKMax(int kMax) {
    m_kMax->setValue(kMax);
}

void PriorPanel::setCosine(bool cosine) {
    m_metric->setCurrentIndex(cosine ? 1 : 0);
}

QString PriorPanel::statusText() const {
    return m_status->text();
}

void PriorPanel::onFormChanged() {
    const Argument argument = kForms[std::max(0, m_kind->currentIndex())].argument;
    m_dim->setVisible(argument == Argument::Dim);
    m_path->setVisible(argument == Argument::Path);
    m_browse->setVisible(argument == Argument::Path);
    m_kind->setToolTip(m_kind->currentData(Qt::ToolTipRole).toString());
    Q_EMIT recipeChanged();
}

void PriorPanel::choosePath() {
    const bool npy = m_kind->currentText() == u"npy"_s;
    const QString path = QFileDialog::getOpenFileName(
        this, npy ? tr("Precomputed embeddings") : tr("TorchScript encoder"), m_path->text(),
        npy ? tr("NumPy arrays (*.npy);;All files (*)")
            : tr("TorchScript modules (*.pt *.pth *.ts);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void PriorPanel::compute() {
    cancel();
    if (!m_dataset) {
        onEnded(State::Failed, tr("Open a dataset first."));
        return;
    }
    // Parse here so a typo is reported at once, without a trip through the worker.
    const QString text = spec();
    if (const auto parsed = priors::parsePriorSpec(text.toStdString()); !parsed) {
        onEnded(State::Failed, QString::fromStdString(parsed.error().message));
        return;
    }
    PriorRequest request;
    request.dataset = m_dataset;
    request.recipe = recipe();
    m_state = State::Running;
    m_compute->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setValue(0);
    m_progress->show();
    setStatus(tr("Computing %1…").arg(text), false);
    Q_EMIT recipeChanged();
    m_job = m_jobs->start([request](const JobContext& context) -> Result<QVariant> {
        auto outcome = computeNeighborGraph(request, context.progress);
        if (!outcome)
            return outcome.error();
        return QVariant::fromValue(std::move(outcome).value());
    });
}

void PriorPanel::cancel() {
    if (m_job != 0)
        m_jobs->cancel(m_job);
}

void PriorPanel::onSucceeded(quint64 job, const QVariant& value) {
    if (job != m_job)
        return;
    const auto outcome = value.value<PriorOutcome>();
    m_graph = outcome.graph;
    const QString how = outcome.cacheHit
                            ? tr("cache hit, loaded in %1 s").arg(outcome.embedSeconds, 0, 'f', 2)
                            : tr("embedded in %1 s").arg(outcome.embedSeconds, 0, 'f', 2);
    QString text = tr("%1: %2 rows, k_max %3 · %4 · neighbours in %5 s, %6")
                       .arg(m_graph->spec)
                       .arg(m_graph->graph->rows)
                       .arg(m_graph->graph->k)
                       .arg(how)
                       .arg(outcome.knnSeconds, 0, 'f', 2)
                       .arg(outcome.indexDescription);
    if (!outcome.warnings.isEmpty())
        text += u'\n' + tr("Cache: %1").arg(outcome.warnings.join(u"; "_s));
    onEnded(State::Done, text);
    Q_EMIT graphReady(m_graph);
}

void PriorPanel::onEnded(State state, const QString& text) {
    m_job = 0;
    m_state = state;
    m_compute->setEnabled(true);
    m_cancel->setEnabled(false);
    m_progress->hide();
    setStatus(text, state == State::Failed);
    Q_EMIT statusMessage(text);
    Q_EMIT recipeChanged();
}

void PriorPanel::setStatus(const QString& text, bool isError) {
    m_status->setText(text);
    // A local sheet: the shared style.qss colours only the panels it names.
    m_status->setStyleSheet(isError ? u"color: #c0392b;"_s : QString());
}

} // namespace gps::ui
