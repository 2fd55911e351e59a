#include "panels/positive_pairs_strip.h"

#include "bridge/augment_preview.h"
#include "bridge/job_runner.h"
#include "widgets/positive_pairs_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QVBoxLayout>

#include <exception>

namespace gps::ui {

namespace {

constexpr int kViewTarget = 56; // px: two rows of views fit under the candidate grid

bool sameOptions(const neighbors::SamplerOptions& a, const neighbors::SamplerOptions& b) {
    // k only matters in k-mode: a τ change must not redraw for an unchanged k spin box, and the
    // other way round.
    return a.tau == b.tau && (a.tau || a.k == b.k) && a.rule == b.rule &&
           a.includeAnchor == b.includeAnchor;
}

QString captionOf(const PositivePair& pair, std::int64_t candidates) {
    if (!pair.distance)
        return candidates == 0 ? PositivePairsStrip::tr("anchor (no candidate)")
                               : PositivePairsStrip::tr("anchor (drawn itself)");
    return PositivePairsStrip::tr("x' = #%1 (d = %2)")
        .arg(pair.positive)
        .arg(QString::number(*pair.distance, 'g', 3));
}

} // namespace

PositivePairsStrip::PositivePairsStrip(QWidget* parent)
    : QWidget(parent), m_jobs(new JobRunner(this, 1)) {
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("positivePairsText"));
    m_header->setWordWrap(true);
    m_resample = new QPushButton(tr("Resample"), this);
    m_resample->setObjectName(QStringLiteral("positivePairsResample"));
    m_resample->setToolTip(tr("Draw the positives and both views again with a new seed"));
    m_view = new PositivePairsView(this);
    m_view->setObjectName(QStringLiteral("positivePairsView"));
    m_view->setToolTip(tr("Pair p: x' drawn with Rng(deriveSeed(seed, anchor, p, 2)), the "
                          "views with (seed, anchor, p, 0) and (seed, anchor, p, 1), as in "
                          "training"));
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_view);
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setSizeAdjustPolicy(QScrollArea::AdjustToContents);
    scroll->setFrameShape(QFrame::NoFrame);

    auto* headerRow = new QHBoxLayout;
    headerRow->addWidget(m_header, 1);
    headerRow->addWidget(m_resample);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(headerRow);
    layout->addWidget(scroll);

    connect(m_resample, &QPushButton::clicked, this, &PositivePairsStrip::resample);
    connect(m_jobs, &JobRunner::succeeded, this, [this](quint64 job, const QVariant& value) {
        if (job != m_job)
            return;
        m_job = 0;
        showPairs(value.value<PositivePairs>());
    });
    connect(m_jobs, &JobRunner::failed, this, [this](quint64 job, const QString& message) {
        if (job != m_job)
            return;
        m_job = 0;
        clearWith(message, message);
    });
    refresh();
}

PositivePairsStrip::~PositivePairsStrip() = default;

void PositivePairsStrip::setSource(const NeighborGraphPtr& graph, qint64 anchor,
                                   const neighbors::SamplerOptions& options) {
    if (graph == m_graph && anchor == m_anchor && sameOptions(options, m_options))
        return;
    m_graph = graph;
    m_anchor = anchor;
    m_options = options;
    refresh();
}

void PositivePairsStrip::setSpec(const augment::AugmentSpec& spec) {
    if (m_spec == spec)
        return;
    m_spec = spec;
    refresh();
}

void PositivePairsStrip::setPairCount(int pairs) {
    pairs = std::clamp(pairs, 1, kMaxPairs);
    if (pairs == m_pairCount)
        return;
    m_pairCount = pairs;
    refresh();
}

void PositivePairsStrip::setSeed(quint64 seed) {
    if (seed == m_seed)
        return;
    m_seed = seed;
    refresh();
}

void PositivePairsStrip::resample() {
    quint64 seed = m_seed;
    while (seed == m_seed)
        seed = QRandomGenerator::global()->bounded(quint64(1) << 31);
    setSeed(seed);
}

void PositivePairsStrip::refresh() {
    if (m_job != 0) {
        m_jobs->cancel(m_job);
        m_job = 0;
    }
    m_resample->setEnabled(false);
    if (!m_graph || m_anchor < 0 || m_anchor >= m_graph->graph->rows) {
        clearWith(m_graph ? tr("Select an image to see positive pairs as training draws them.")
                          : tr("Positive pairs appear here once a prior is computed."));
        return;
    }
    if (!m_spec) {
        clearWith(tr("Choose an augmentation to see positive pairs."));
        return;
    }
    PositivePairsRequest request{m_graph, m_anchor, m_options, *m_spec, m_seed, m_pairCount};
    if (const auto ok = checkPositivePairsRequest(request); !ok) {
        const QString message = QString::fromStdString(ok.error().message);
        clearWith(message, message);
        return;
    }
    m_resample->setEnabled(true);
    if (!previewIsCheap(*m_graph->dataset)) {
        m_header->setText(tr("Drawing pairs for #%1…").arg(m_anchor));
        m_job = m_jobs->start([request](const JobContext& context) -> Result<QVariant> {
            return QVariant::fromValue(makePositivePairs(request, context.cancel));
        });
        return;
    }
    try {
        showPairs(makePositivePairs(request));
    } catch (const std::exception& error) {
        const QString message =
            tr("Cannot draw positive pairs: %1").arg(QString::fromUtf8(error.what()));
        clearWith(message, message);
    }
}

void PositivePairsStrip::showPairs(const PositivePairs& pairs) {
    m_shown = pairs;
    m_error.clear();
    QList<PositivePairsView::Pair> shown;
    for (const PositivePair& pair : pairs.pairs)
        shown.push_back({pair.anchorView, pair.positiveView, captionOf(pair, pairs.candidateCount),
                         pair.otherClass});
    if (!shown.isEmpty()) {
        const QImage& first = shown.first().anchorView;
        const int side = std::max(first.width(), first.height());
        m_view->setTileSide(side > 0 && side < kViewTarget
                                ? side * std::max(1, qRound(double(kViewTarget) / side))
                                : kViewTarget);
    }
    m_view->setPairs(shown);
    updateHeader();
    Q_EMIT pairsUpdated();
}

void PositivePairsStrip::clearWith(const QString& placeholder, const QString& error) {
    m_shown = PositivePairs{};
    m_error = error;
    m_view->setPlaceholderText(placeholder);
    m_view->clear();
    m_header->setText(tr("Positive pairs (DA(x), DA(x'))"));
    if (!error.isEmpty())
        Q_EMIT statusMessage(error);
    Q_EMIT pairsUpdated();
}

void PositivePairsStrip::updateHeader() {
    qsizetype other = 0;
    for (const PositivePair& pair : std::as_const(m_shown.pairs))
        other += pair.otherClass ? 1 : 0;
    QString text = tr("Positive pairs of #%1 as training draws them (seed %2)")
                       .arg(m_shown.anchor)
                       .arg(m_shown.seed);
    if (m_shown.candidateCount == 0)
        text += tr(": no candidate, so x' is the anchor (plain SSL)");
    else if (other > 0)
        text += tr(": %1 of %2 with another class (red)").arg(other).arg(m_shown.pairs.size());
    m_header->setText(text);
}

} // namespace gps::ui
