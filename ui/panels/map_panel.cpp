#include "panels/map_panel.h"

#include "bridge/job_runner.h"
#include "widgets/class_quality_table.h"
#include "widgets/embedding_map.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gps::ui {

namespace {

constexpr int kCoalesceMs = 40;
constexpr int kSampleStep = 500;
constexpr std::uint64_t kMapSeed = 1; // a fixed seed: Compute twice, the same map

// τ and k decide the candidates; the rule and include-anchor do not.
bool sameCandidates(const neighbors::SamplerOptions& a, const neighbors::SamplerOptions& b) {
    return a.tau == b.tau && (a.tau || a.k == b.k);
}

QString optionsText(const neighbors::SamplerOptions& options) {
    return options.tau ? QStringLiteral("τ = %1").arg(double(*options.tau), 0, 'g', 3)
                       : QStringLiteral("k-mode, k = %1").arg(options.k);
}

} // namespace

MapPanel::MapPanel(QWidget* parent)
    : QWidget(parent), m_mapJobs(new JobRunner(this, 1)), m_qualityJobs(new JobRunner(this, 1)),
      m_qualityTimer(new QTimer(this)) {
    m_qualityTimer->setSingleShot(true);
    m_qualityTimer->setInterval(kCoalesceMs);
    connect(m_qualityTimer, &QTimer::timeout, this, &MapPanel::requestQuality);

    m_source = new QComboBox(this);
    m_source->setObjectName(u"mapSource"_s);
    m_source->addItem(tr("Prior of the graph on screen"));
    m_source->addItem(tr("A run's embeddings (.npy)"));
    m_chooseFile = new QPushButton(tr("Choose…"), this);
    m_chooseFile->setToolTip(tr("A run folder's train_embeddings.npy: one row per training image"));
    m_method = new QComboBox(this);
    m_method->setObjectName(u"mapMethod"_s);
    m_method->addItem(tr("PCA"));
    m_method->addItem(tr("t-SNE"));
    m_method->setToolTip(tr("PCA: the two directions of largest spread, in a moment. t-SNE: "
                            "keeps neighbourhoods, not distances between clouds; exact, so it "
                            "takes seconds for a thousand points and minutes for ten thousand."));
    m_sampleSize = new QSpinBox(this);
    m_sampleSize->setObjectName(u"mapSampleSize"_s);
    m_sampleSize->setRange(kMinSample, int(eval::kMaxMapRows));
    m_sampleSize->setSingleStep(kSampleStep);
    m_sampleSize->setValue(int(eval::kDefaultMapRows));
    m_sampleSize->setSuffix(tr(" points"));
    m_sampleSize->setToolTip(tr("Drawn per class in proportion to its size; the anchor, its "
                                "candidates and its positive are always on the map"));
    m_compute = new QPushButton(tr("Compute"), this);
    m_compute->setObjectName(u"mapCompute"_s);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(u"mapCancel"_s);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    m_status = new QLabel(this);
    m_status->setObjectName(u"mapStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_source);
    controls->addWidget(m_chooseFile);
    controls->addWidget(m_method);
    controls->addWidget(m_sampleSize);
    controls->addWidget(m_compute);
    controls->addWidget(m_cancel);
    controls->addWidget(m_progress);
    controls->addStretch(1);

    m_map = new EmbeddingMap(this);
    m_map->setObjectName(u"embeddingMap"_s);
    m_quality = new ClassQualityTable(this);
    m_quality->setObjectName(u"classQuality"_s);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_map);
    split->addWidget(m_quality);
    split->setChildrenCollapsible(false);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_compute, &QPushButton::clicked, this, &MapPanel::compute);
    connect(m_cancel, &QPushButton::clicked, this, &MapPanel::cancel);
    connect(m_chooseFile, &QPushButton::clicked, this, &MapPanel::chooseFile);
    connect(m_source, &QComboBox::activated, this, [this](int index) {
        if (index == int(Source::RunFile) && m_file.isEmpty())
            chooseFile();
        updateComputeEnabled();
    });
    connect(m_map, &EmbeddingMap::anchorClicked, this, &MapPanel::anchorClicked);
    connect(m_quality, &ClassQualityTable::anchorClicked, this, &MapPanel::anchorClicked);
    connect(m_mapJobs, &JobRunner::progressed, this,
            [this](quint64 job, double fraction, const QString& message) {
                if (job != m_mapJob)
                    return;
                m_progress->setValue(int(fraction * m_progress->maximum()));
                m_status->setText(message);
            });
    connect(m_mapJobs, &JobRunner::succeeded, this, &MapPanel::onMapDone);
    connect(m_mapJobs, &JobRunner::failed, this,
            [this](quint64 job, const QString& error) { onMapEnded(job, error, false); });
    connect(m_mapJobs, &JobRunner::cancelled, this,
            [this](quint64 job) { onMapEnded(job, {}, true); });
    connect(m_qualityJobs, &JobRunner::succeeded, this, &MapPanel::onQualityDone);
    connect(m_qualityJobs, &JobRunner::failed, this, [this](quint64 job, const QString& error) {
        if (job != m_qualityJob)
            return;
        m_qualityJob = 0;
        m_quality->clear(tr("Quality failed: %1").arg(error));
    });
    setBusy(false);
    setGraph(nullptr);
}

MapPanel::~MapPanel() = default;

void MapPanel::setGraph(const NeighborGraphPtr& graph) {
    if (graph == m_graph && graph)
        return;
    m_graph = graph;
    if (m_mapJob != 0) {
        m_mapJobs->cancel(m_mapJob);
        m_mapJob = 0; // its outcome belongs to the old graph and is dropped
        setBusy(false);
    }
    m_map->clear();
    m_caption.clear();
    m_qualityJob = 0;
    m_qualityQueued = false;
    m_qualityStale = false;
    setStatus(graph ? tr("Compute a map of the prior space, with PCA or t-SNE.")
                    : tr("Compute a prior in the Neighbours tab first."));
    updateComputeEnabled();
    if (graph)
        m_qualityTimer->start();
    else
        m_quality->clear(tr("Quality needs a graph of a labelled dataset."));
}

void MapPanel::setSelection(qint64 anchor, const neighbors::SamplerOptions& options,
                            const std::vector<qint64>& candidates, qint64 positive) {
    const bool recount = !sameCandidates(options, m_options);
    m_anchor = anchor;
    m_options = options;
    m_candidates = candidates;
    m_positive = positive;
    m_map->setHighlight(anchor, candidates, positive);
    showMapCaption();
    if (recount && m_graph)
        m_qualityTimer->start();
}

void MapPanel::setMethod(eval::MapMethod method) {
    m_method->setCurrentIndex(method == eval::MapMethod::Tsne ? 1 : 0);
}

void MapPanel::setSampleSize(int rows) {
    m_sampleSize->setValue(rows);
}

void MapPanel::setEmbeddingFile(const QString& path) {
    m_file = path;
    m_source->setCurrentIndex(int(Source::RunFile));
    m_source->setToolTip(path);
    updateComputeEnabled();
}

void MapPanel::useGraphPrior() {
    m_source->setCurrentIndex(int(Source::Prior));
    updateComputeEnabled();
}

MapPanel::Source MapPanel::source() const {
    return m_source->currentIndex() == int(Source::RunFile) ? Source::RunFile : Source::Prior;
}

void MapPanel::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("A run's embeddings"), m_file,
                                                      tr("Embeddings (*.npy);;All files (*)"));
    if (!path.isEmpty())
        setEmbeddingFile(path);
    else if (m_file.isEmpty())
        useGraphPrior();
}

void MapPanel::compute() {
    if (!m_graph || m_mapJob != 0)
        return;
    MapRequest request;
    if (source() == Source::Prior) {
        request.embedding = m_graph->built ? m_graph->built->embedding : nullptr;
        if (!request.embedding) {
            setStatus(tr("This graph keeps no prior embedding to map; choose a run's embeddings."),
                      true);
            Q_EMIT mapFinished();
            return;
        }
    } else {
        request.file = m_file;
    }
    request.expectedRows = m_graph->graph->rows;
    request.labels = m_graph->labels;
    request.config.method =
        m_method->currentIndex() == 1 ? eval::MapMethod::Tsne : eval::MapMethod::Pca;
    request.config.maxRows = m_sampleSize->value();
    request.config.metric = m_graph->knn.metric;
    request.config.seed = kMapSeed;
    for (const qint64 row : m_candidates)
        request.config.required.push_back(row);
    for (const qint64 row : {m_anchor, m_positive})
        if (row >= 0)
            request.config.required.push_back(row);
    std::erase_if(request.config.required,
                  [rows = m_graph->graph->rows](std::int64_t row) { return row >= rows; });

    m_mapJob = m_mapJobs->start([request](const JobContext& context) -> Result<QVariant> {
        auto outcome = computeMap(request, context.progress);
        if (!outcome)
            return outcome.error();
        return QVariant::fromValue(std::move(*outcome));
    });
    setBusy(true);
    setStatus(tr("Computing…"));
}

void MapPanel::cancel() {
    if (m_mapJob != 0)
        m_mapJobs->cancel(m_mapJob);
}

QString MapPanel::statusText() const {
    return m_status->text();
}

bool MapPanel::qualityPending() const {
    return m_qualityTimer->isActive() || m_qualityJob != 0 || m_qualityQueued || m_qualityStale;
}

void MapPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_qualityStale)
        requestQuality();
}

void MapPanel::onMapDone(quint64 job, const QVariant& value) {
    if (job != m_mapJob)
        return;
    m_mapJob = 0;
    setBusy(false);
    const auto outcome = value.value<MapOutcome>();
    m_map->setPoints(std::vector<qint64>(outcome.map.rows.begin(), outcome.map.rows.end()),
                     outcome.map.xy, outcome.labels, classNames());
    m_map->setHighlight(m_anchor, m_candidates, m_positive);
    const QString method = outcome.map.method == eval::MapMethod::Tsne ? u"t-SNE"_s : u"PCA"_s;
    const QString what = outcome.source.isEmpty() ? tr("prior %1").arg(m_graph->spec)
                                                  : QFileInfo(outcome.source).fileName();
    m_caption = tr("%1 of %2 of %3 images, %4 (%5 s). Click a point to inspect it.")
                    .arg(method)
                    .arg(outcome.map.rows.size())
                    .arg(m_graph->graph->rows)
                    .arg(what)
                    .arg(outcome.seconds, 0, 'f', 1);
    showMapCaption();
    Q_EMIT mapFinished();
}

void MapPanel::showMapCaption() {
    if (m_map->pointCount() == 0 || m_mapJob != 0 || m_statusIsError)
        return; // an error stays until the next Compute
    const auto onMap = [this](qint64 row) { return m_map->pixelOf(row).has_value(); };
    const bool missing = (m_anchor >= 0 && !onMap(m_anchor)) ||
                         !std::all_of(m_candidates.begin(), m_candidates.end(), onMap);
    // The sample holds the anchor of its Compute; a later anchor may fall outside it.
    setStatus(missing ? m_caption + u' ' +
                            tr("Anchor #%1 or some of its candidates are not in this sample: "
                               "Compute again to add them.")
                                .arg(m_anchor)
                      : m_caption);
}

void MapPanel::onMapEnded(quint64 job, const QString& error, bool cancelled) {
    if (job != m_mapJob)
        return;
    m_mapJob = 0;
    setBusy(false);
    if (cancelled)
        setStatus(tr("Cancelled."));
    else
        setStatus(tr("The map failed: %1").arg(error), true);
    Q_EMIT mapFinished();
}

void MapPanel::requestQuality() {
    if (!m_graph)
        return;
    if (!isVisible()) {
        m_qualityStale = true; // counted when the tab is shown, not on every τ move behind it
        return;
    }
    m_qualityStale = false;
    if (m_graph->labels.empty()) {
        m_quality->clear(tr("Quality needs labels; this dataset has none."));
        return;
    }
    if (m_qualityJob != 0) {
        m_qualityQueued = true; // only the newest options wait
        return;
    }
    m_qualityQueued = false;
    if (!neighbors::checkSamplerOptions(*m_graph->graph, m_options).ok())
        return; // the inspector reports options the graph cannot serve
    m_qualityJob = m_qualityJobs->start(
        [graph = m_graph, options = m_options](const JobContext&) -> Result<QVariant> {
            return QVariant::fromValue(QualityOutcome{
                graph, options, neighbors::classQuality(*graph->graph, graph->labels, options)});
        });
}

void MapPanel::onQualityDone(quint64 job, const QVariant& value) {
    if (job != m_qualityJob)
        return;
    m_qualityJob = 0;
    const auto outcome = value.value<QualityOutcome>();
    if (outcome.graph == m_graph)
        m_quality->setQuality(outcome.quality, classNames(), m_graph->labels,
                              tr("Candidates at %1, over all %2 anchors")
                                  .arg(optionsText(outcome.options))
                                  .arg(m_graph->graph->rows));
    if (m_qualityQueued)
        requestQuality();
    else
        Q_EMIT qualityUpdated();
}

void MapPanel::setBusy(bool busy) {
    m_cancel->setEnabled(busy);
    m_progress->setVisible(busy);
    m_progress->setValue(0);
    for (QWidget* control : {static_cast<QWidget*>(m_source), static_cast<QWidget*>(m_chooseFile),
                             static_cast<QWidget*>(m_method), static_cast<QWidget*>(m_sampleSize)})
        control->setEnabled(!busy);
    updateComputeEnabled();
}

void MapPanel::setStatus(const QString& text, bool error) {
    m_statusIsError = error;
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"color: #b91c1c;"_s : QString());
}

void MapPanel::updateComputeEnabled() {
    m_compute->setEnabled(m_graph && m_mapJob == 0 &&
                          (source() == Source::Prior || !m_file.isEmpty()));
}

QStringList MapPanel::classNames() const {
    QStringList names;
    if (m_graph)
        for (const std::string& name : m_graph->dataset->classNames())
            names.push_back(QString::fromStdString(name));
    return names;
}

} // namespace gps::ui
