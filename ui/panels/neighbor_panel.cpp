#include "panels/neighbor_panel.h"

#include "bridge/display_image_cache.h"
#include "bridge/job_runner.h"
#include "dataset_text.h"
#include "models/anchor_candidates.h"
#include "panels/positive_pairs_strip.h"
#include "widgets/distance_histogram_plot.h"
#include "widgets/image_grid.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>
#include <exception>

using namespace Qt::StringLiterals;

namespace gps::ui {

namespace {

constexpr int kCoalesceMs = 40;
constexpr int kTileTarget = 72; // px: 25 thumbnails fit beside the plots

QString percent(double share) {
    return QStringLiteral("%1 %").arg(100.0 * share, 0, 'f', 1);
}

QString optionalPercent(const std::optional<double>& share) {
    return share ? percent(*share) : QStringLiteral("—");
}

// The k_max offered when τ cuts many balls short: four times as many, within the form's range.
int raisedKMax(int kMax) {
    return std::min(4 * kMax, kLargestKMax);
}

QString distanceText(double d) {
    return QString::number(d, 'g', 3);
}

QLabel* statLabel(QWidget* parent, const QString& name) {
    auto* label = new QLabel(QStringLiteral("—"), parent);
    label->setObjectName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

NeighborPanel::NeighborPanel(QWidget* parent)
    : QWidget(parent), m_jobs(new JobRunner(this, 1)), m_statsTimer(new QTimer(this)) {
    m_statsTimer->setSingleShot(true);
    m_statsTimer->setInterval(kCoalesceMs);
    connect(m_statsTimer, &QTimer::timeout, this, &NeighborPanel::requestStats);

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(u"neighborTauSlider"_s);
    m_slider->setRange(0, kSliderSteps);
    m_slider->setToolTip(tr("τ: a listed neighbour with distance d ≤ τ is a candidate positive"));
    m_tauValue = new QLabel(this);
    m_tauValue->setObjectName(u"neighborTauValue"_s);
    m_tauValue->setMinimumWidth(fontMetrics().horizontalAdvance(u"τ = 0.00000"_s));
    m_suggest = new QPushButton(tr("Suggested τ"), this);
    m_suggest->setObjectName(u"neighborSuggestTau"_s);
    m_suggest->setToolTip(
        tr("mean + 1·std of the distances to the 20 nearest neighbours, pooled over all anchors"));
    m_kMode = new QCheckBox(tr("k-mode"), this);
    m_kMode->setObjectName(u"neighborKMode"_s);
    m_kMode->setToolTip(tr("Ignore τ: the candidates are the first k listed neighbours"));
    m_k = new QSpinBox(this);
    m_k->setObjectName(u"neighborK"_s);
    m_k->setPrefix(u"k = "_s);
    m_k->setRange(1, 1);
    m_k->setEnabled(false);
    m_rule = new QComboBox(this);
    m_rule->setObjectName(u"neighborRule"_s);
    m_rule->addItem(tr("uniform"));
    m_rule->addItem(tr("farthest"));
    m_rule->setToolTip(tr("uniform: any candidate, at random. farthest: the hardest positive, "
                          "the candidate with the largest distance (framed)."));
    m_includeAnchor = new QCheckBox(tr("include anchor"), this);
    m_includeAnchor->setToolTip(tr("The anchor itself is one more choice when drawing"));

    auto* tauRow = new QHBoxLayout;
    tauRow->addWidget(new QLabel(tr("τ:"), this));
    tauRow->addWidget(m_slider, 1);
    tauRow->addWidget(m_tauValue);
    tauRow->addWidget(m_suggest);
    auto* modeRow = new QHBoxLayout;
    modeRow->addWidget(m_kMode);
    modeRow->addWidget(m_k);
    modeRow->addSpacing(12);
    modeRow->addWidget(new QLabel(tr("Rule:"), this));
    modeRow->addWidget(m_rule);
    modeRow->addWidget(m_includeAnchor);
    modeRow->addStretch(1);
    auto* controls = new QVBoxLayout;
    controls->addLayout(tauRow);
    controls->addLayout(modeRow);

    m_anchorText = new QLabel(tr("Compute a prior, then select an image."), this);
    m_anchorText->setObjectName(u"neighborAnchorText"_s);
    m_anchorText->setWordWrap(true);
    m_grid = new ImageGrid(this);
    m_grid->setObjectName(u"neighborGrid"_s);
    m_grid->setTileSide(kTileTarget);
    m_grid->setPlaceholderText(tr("The selected image and its candidate positives appear here."));
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_grid);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_images = new DisplayImageCache(kTileTarget, this);
    m_pairs = new PositivePairsStrip(this);
    m_pairs->setObjectName(u"neighborPairs"_s);

    m_meanCandidates = statLabel(this, u"neighborMeanCandidates"_s);
    m_shareNone = statLabel(this, u"neighborShareNone"_s);
    m_shareTruncated = statLabel(this, u"neighborShareTruncated"_s);
    m_purity = statLabel(this, u"neighborPurity"_s);
    m_purityAtOne = statLabel(this, u"neighborPurityAtOne"_s);
    auto* stats = new QGridLayout;
    const auto addStat = [&](int row, int column, const QString& name, QLabel* value,
                             const QString& tip) {
        auto* caption = new QLabel(name, this);
        caption->setToolTip(tip);
        value->setToolTip(tip);
        stats->addWidget(caption, row, 2 * column);
        stats->addWidget(value, row, 2 * column + 1);
    };
    addStat(0, 0, tr("Candidates per anchor:"), m_meanCandidates, tr("Mean over all anchors"));
    addStat(0, 1, tr("With none:"), m_shareNone,
            tr("Anchors with no candidate train as plain SSL"));
    addStat(0, 2, tr("Truncated:"), m_shareTruncated,
            tr("Anchors whose ball holds all k_max listed neighbours: raise k_max"));
    addStat(1, 0, tr("Candidate purity:"), m_purity,
            tr("Share of candidates with their anchor's label (labels only inspect)"));
    addStat(1, 1, tr("Purity@1:"), m_purityAtOne,
            tr("Share of anchors whose nearest neighbour has their label"));
    stats->setColumnStretch(5, 1);
    // τ beyond the graph's reach: the ball of many anchors holds every listed neighbour, so the
    // candidates are the first k_max, not all within τ. Said once, with the remedy.
    m_truncationWarning = new QLabel(this);
    m_truncationWarning->setObjectName(u"neighborTruncationWarning"_s);
    m_truncationWarning->setWordWrap(true);
    m_truncationWarning->setStyleSheet(u"color: #b45309;"_s);
    m_raiseKMax = new QPushButton(this);
    m_raiseKMax->setObjectName(u"neighborRaiseKMax"_s);
    auto* truncationRow = new QHBoxLayout;
    truncationRow->addWidget(m_truncationWarning, 1);
    truncationRow->addWidget(m_raiseKMax);

    m_plot = new DistanceHistogramPlot(this);
    m_plot->setObjectName(u"neighborHistogram"_s);

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_anchorText);
    topLayout->addWidget(scroll, 1);
    auto* bottom = new QWidget(this);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addLayout(stats);
    bottomLayout->addLayout(truncationRow);
    bottomLayout->addWidget(m_plot, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(m_pairs);
    split->addWidget(bottom);
    split->setChildrenCollapsible(false);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setStretchFactor(2, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(split, 1);

    connect(m_slider, &QSlider::valueChanged, this, &NeighborPanel::onSliderMoved);
    connect(m_suggest, &QPushButton::clicked, this, &NeighborPanel::useSuggestedTau);
    connect(m_raiseKMax, &QPushButton::clicked, this, [this] {
        if (m_graph)
            Q_EMIT raiseKMaxRequested(raisedKMax(m_graph->graph->k));
    });
    connect(m_kMode, &QCheckBox::toggled, this, [this](bool on) {
        m_k->setEnabled(on && m_graph);
        m_slider->setEnabled(!on && m_graph);
        m_suggest->setEnabled(!on && m_graph);
        onOptionsChanged();
    });
    connect(m_k, &QSpinBox::valueChanged, this, &NeighborPanel::onOptionsChanged);
    connect(m_rule, &QComboBox::currentIndexChanged, this, &NeighborPanel::updateAnchorView);
    connect(m_includeAnchor, &QCheckBox::toggled, this, &NeighborPanel::updateAnchorView);
    connect(m_images, &DisplayImageCache::ready, this, &NeighborPanel::updateAnchorView);
    connect(m_pairs, &PositivePairsStrip::statusMessage, this, &NeighborPanel::statusMessage);
    connect(m_pairs, &PositivePairsStrip::pairsUpdated, this, &NeighborPanel::selectionChanged);
    connect(m_jobs, &JobRunner::succeeded, this, &NeighborPanel::onStats);
    connect(m_jobs, &JobRunner::failed, this, [this](quint64 job, const QString& message) {
        if (job != m_statsJob)
            return;
        m_statsJob = 0;
        Q_EMIT statusMessage(tr("Neighbour statistics failed: %1").arg(message));
        if (m_statsQueued)
            requestStats();
    });
    setGraph(nullptr);
}

NeighborPanel::~NeighborPanel() = default;

void NeighborPanel::setGraph(const NeighborGraphPtr& graph) {
    m_graph = graph;
    m_statsQueued = false;
    m_statsJob = 0; // a running recount belongs to the old graph; its result is dropped
    m_images->setDataset(graph ? graph->dataset : nullptr);
    for (QWidget* control : {static_cast<QWidget*>(m_slider), static_cast<QWidget*>(m_suggest),
                             static_cast<QWidget*>(m_kMode), static_cast<QWidget*>(m_rule),
                             static_cast<QWidget*>(m_includeAnchor)})
        control->setEnabled(graph != nullptr);
    clearStats();
    if (!graph) {
        m_plot->clear();
        m_k->setEnabled(false);
        m_tauValue->setText(u"τ = —"_s);
        updateAnchorView();
        return;
    }
    {
        const QSignalBlocker block(m_k);
        m_k->setRange(1, std::max(1, graph->graph->k));
    }
    m_kMode->setChecked(false);
    m_k->setEnabled(false);
    m_suggest->setText(tr("Suggested τ = %1").arg(distanceText(graph->suggestedTau)));
    m_plot->setRange(graph->tauMax);
    m_plot->setCurves(graph->curves);
    m_plot->setKCurves(graph->kCurves);
    setTau(graph->suggestedTau);
}

void NeighborPanel::showAnchor(qint64 index) {
    m_anchor = index;
    updateAnchorView();
}

void NeighborPanel::setTau(double tau) {
    m_tau = std::isfinite(tau) ? std::max(0.0, tau) : 0.0;
    if (m_graph) {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(int(std::lround(std::min(1.0, m_tau / m_graph->tauMax) * kSliderSteps)));
    }
    onOptionsChanged();
}

void NeighborPanel::setKMode(bool on) {
    m_kMode->setChecked(on);
}

void NeighborPanel::setK(int k) {
    m_k->setValue(k);
}

void NeighborPanel::setRule(neighbors::Rule rule) {
    m_rule->setCurrentIndex(rule == neighbors::Rule::Farthest ? 1 : 0);
}

void NeighborPanel::setIncludeAnchor(bool on) {
    m_includeAnchor->setChecked(on);
}

void NeighborPanel::setAugmentSpec(const augment::AugmentSpec& spec) {
    m_pairs->setSpec(spec);
}

void NeighborPanel::useSuggestedTau() {
    if (m_graph) {
        m_kMode->setChecked(false);
        setTau(m_graph->suggestedTau);
    }
}

neighbors::SamplerOptions NeighborPanel::samplerOptions() const {
    neighbors::SamplerOptions options;
    if (!m_kMode->isChecked())
        options.tau = float(m_tau);
    options.k = m_k->value();
    options.rule =
        m_rule->currentIndex() == 1 ? neighbors::Rule::Farthest : neighbors::Rule::Uniform;
    options.includeAnchor = m_includeAnchor->isChecked();
    return options;
}

bool NeighborPanel::statsPending() const {
    return m_statsTimer->isActive() || m_statsJob != 0 || m_statsQueued;
}

void NeighborPanel::onSliderMoved(int position) {
    if (!m_graph)
        return;
    m_tau = m_graph->tauMax * double(position) / kSliderSteps;
    onOptionsChanged();
}

void NeighborPanel::onOptionsChanged() {
    updateTauLabel();
    updateAnchorView();
    if (!m_graph)
        return;
    m_plot->setTau(m_kMode->isChecked() ? std::nullopt : std::optional<double>(m_tau));
    m_plot->setK(m_kMode->isChecked() ? std::optional<int>(m_k->value()) : std::nullopt);
    // Not restarted on every move: while the slider is dragged, stats still refresh each 40 ms.
    if (!m_statsTimer->isActive())
        m_statsTimer->start();
}

void NeighborPanel::updateTauLabel() {
    if (m_graph)
        m_tauValue->setText(m_kMode->isChecked() ? tr("k-mode, k = %1").arg(m_k->value())
                                                 : u"τ = "_s + distanceText(m_tau));
}

void NeighborPanel::updateAnchorView() {
    m_candidateCount = 0;
    m_pairs->setSource(m_graph, m_anchor, samplerOptions());
    if (!m_graph || m_anchor < 0 || m_anchor >= m_graph->graph->rows) {
        m_grid->clear();
        m_anchorText->setText(m_graph ? tr("Select an image to see its candidate positives.")
                                      : tr("Compute a prior, then select an image."));
        Q_EMIT selectionChanged();
        return;
    }
    const data::Dataset& dataset = *m_graph->dataset;
    const auto options = samplerOptions();
    const AnchorCandidates view =
        anchorCandidates(*m_graph->graph, m_graph->labels, m_anchor, options, kMaxShown);
    m_candidateCount = view.count;

    // A lazily decoded dataset shows neutral squares until m_images has read them (ready()).
    const auto imageOf = [&](std::int64_t row) { return m_images->image(row); };
    QList<ImageGrid::Tile> tiles;
    tiles.push_back({imageOf(m_anchor), tr("anchor #%1").arg(m_anchor), true, false});
    const bool farthest = options.rule == neighbors::Rule::Farthest;
    for (std::size_t j = 0; j < view.shown.size(); ++j) {
        const AnchorCandidate& c = view.shown[j];
        // The farthest rule always draws the last candidate: frame it when it is shown.
        const bool drawn = farthest && std::int64_t(j) + 1 == view.count;
        tiles.push_back({imageOf(c.index), tr("%1 #%2").arg(distanceText(c.distance)).arg(c.index),
                         drawn, c.otherClass});
    }
    const QImage first = tiles.first().image;
    const int side = std::max(first.width(), first.height());
    m_grid->setTileSide(side > 0 && side < kTileTarget
                            ? side * std::max(1, qRound(double(kTileTarget) / side))
                            : kTileTarget);
    m_grid->setTiles(tiles);

    QString text = (view.count == 1 ? tr("Anchor #%1 (%2): %3 candidate")
                                    : tr("Anchor #%1 (%2): %3 candidates"))
                       .arg(m_anchor)
                       .arg(classNameOf(dataset, std::size_t(m_anchor)))
                       .arg(view.count);
    if (view.count > kMaxShown)
        text += tr(", showing the nearest %1").arg(kMaxShown);
    if (!m_graph->labels.empty())
        text += tr("; %1 of another class (red)").arg(view.otherClass);
    if (view.truncated)
        text += tr("; truncated at k_max, the ball holds more");
    if (view.count == 0)
        text += tr(" — it trains as plain SSL (its positive is itself)");
    else if (farthest)
        text += view.count > kMaxShown
                    ? tr(". Drawn: #%1, the farthest (not among those shown)").arg(view.farthest)
                    : tr(". Drawn: #%1, the farthest").arg(view.farthest);
    else
        text += tr(". Each drawn with p = 1/%1").arg(view.count + (options.includeAnchor ? 1 : 0));
    m_anchorText->setText(text);
    Q_EMIT selectionChanged();
}

std::vector<qint64> NeighborPanel::candidates() const {
    if (!m_graph || m_anchor < 0 || m_anchor >= m_graph->graph->rows)
        return {};
    const int count = neighbors::candidateCountOf(*m_graph->graph, m_anchor, samplerOptions());
    const auto listed = m_graph->graph->neighborsOf(m_anchor).first(std::size_t(count));
    return {listed.begin(), listed.end()};
}

qint64 NeighborPanel::drawnPositive() const {
    if (m_anchor < 0)
        return -1;
    if (samplerOptions().rule == neighbors::Rule::Farthest) {
        const auto all = candidates();
        return all.empty() ? m_anchor : all.back(); // no candidate: the anchor stands in
    }
    const PositivePairs& shown = m_pairs->shownPairs();
    return shown.anchor == m_anchor && !shown.pairs.isEmpty() ? shown.pairs.first().positive : -1;
}

void NeighborPanel::requestStats() {
    if (!m_graph)
        return;
    if (m_statsJob != 0) {
        m_statsQueued = true; // only the newest options wait; the ones in between are skipped
        return;
    }
    m_statsQueued = false;
    const auto options = samplerOptions();
    if (const auto ok = neighbors::checkSamplerOptions(*m_graph->graph, options); !ok) {
        Q_EMIT statusMessage(QString::fromStdString(ok.error().message));
        return;
    }
    m_statsJob = m_jobs->start([graph = m_graph, options](const JobContext&) -> Result<QVariant> {
        return QVariant::fromValue(computeStatsFor(graph, options));
    });
}

void NeighborPanel::onStats(quint64 job, const QVariant& value) {
    if (job != m_statsJob)
        return;
    m_statsJob = 0;
    const auto result = value.value<NeighborStatsResult>();
    if (result.graph == m_graph)
        showStats(result.stats);
    if (m_statsQueued)
        requestStats();
    else
        Q_EMIT statsUpdated();
}

void NeighborPanel::showStats(const neighbors::NeighborStats& stats) {
    m_meanCandidates->setText(QString::number(stats.meanCandidates, 'f', 2));
    m_shareNone->setText(percent(stats.shareWithNone));
    m_shareTruncated->setText(percent(stats.shareTruncated));
    m_purity->setText(optionalPercent(stats.candidatePurity));
    m_purityAtOne->setText(optionalPercent(stats.purityAtOne));
    m_plot->setHistogram(stats.histogram);
    const bool warn = m_graph && !m_kMode->isChecked() &&
                      stats.shareTruncated > kTruncationWarningShare &&
                      m_graph->graph->k < kLargestKMax;
    m_truncationWarning->setVisible(warn);
    m_raiseKMax->setVisible(warn);
    if (!warn)
        return;
    const int k = m_graph->graph->k;
    m_truncationWarning->setText(
        tr("%1 of anchors hold all k_max = %2 listed neighbours within τ: their candidates are "
           "cut short. Lower τ, or rebuild the graph with more neighbours.")
            .arg(percent(stats.shareTruncated))
            .arg(k));
    m_raiseKMax->setText(tr("Rebuild with k_max = %1").arg(raisedKMax(k)));
}

void NeighborPanel::clearStats() {
    for (QLabel* label : {m_meanCandidates, m_shareNone, m_shareTruncated, m_purity, m_purityAtOne})
        label->setText(QStringLiteral("—"));
    m_truncationWarning->hide();
    m_raiseKMax->hide();
}

} // namespace gps::ui
