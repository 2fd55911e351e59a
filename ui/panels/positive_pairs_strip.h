#pragma once
/// The neighbour inspector's strip of positive pairs: for the selected anchor, N pairs
/// (DA(anchor), DA(x')) as the training loop draws them, with x' from a PositiveSampler under
/// the inspector's options and DA the augmentation panel's current spec (seeds: see
/// bridge/positive_pairs.h). Each caption names x' and its distance, or says the anchor stood in
/// for itself; a pair whose x' has another label is framed red. "Resample" draws with a new seed.
///
/// It follows its inputs: a new anchor, options or spec redraws. Small in-memory images are drawn
/// on the GUI thread (a handful of views of a few hundred pixels); a lazily decoded or large
/// dataset is drawn on a JobRunner, and only the newest request is shown.

#include "augment/spec.h"
#include "bridge/positive_pairs.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;

namespace gps::ui {

class JobRunner;
class PositivePairsView;

class PositivePairsStrip : public QWidget {
    Q_OBJECT

public:
    static constexpr int kDefaultPairs = 6;
    static constexpr int kMaxPairs = 16;

    explicit PositivePairsStrip(QWidget* parent = nullptr);
    ~PositivePairsStrip() override;

    /// What the pairs are drawn from: a graph (null clears), one of its rows (-1 clears) and the
    /// sampler options. Redraws only when one of them differs from what is shown.
    void setSource(const NeighborGraphPtr& graph, qint64 anchor,
                   const neighbors::SamplerOptions& options);
    /// DA for both views of every pair; until one is set the strip asks for one.
    void setSpec(const augment::AugmentSpec& spec);
    const std::optional<augment::AugmentSpec>& spec() const { return m_spec; }
    void setPairCount(int pairs); ///< clamped to [1, kMaxPairs]
    int pairCount() const { return m_pairCount; }
    void setSeed(quint64 seed);
    quint64 seed() const { return m_seed; }
    /// Draws again with a new random seed (never the current one).
    void resample();

    /// The pairs on screen with what they were drawn for (no pairs when nothing is shown).
    const PositivePairs& shownPairs() const { return m_shown; }
    bool isComputing() const { return m_job != 0; }
    /// Why the strip is empty (a spec that does not fit, a failed job), or empty.
    QString errorText() const { return m_error; }

Q_SIGNALS:
    /// The strip was redrawn or cleared; tests follow it.
    void pairsUpdated();
    void statusMessage(const QString& message);

private:
    void refresh();
    void showPairs(const PositivePairs& pairs);
    void clearWith(const QString& placeholder, const QString& error = {});
    void updateHeader();

    NeighborGraphPtr m_graph;
    qint64 m_anchor = -1;
    neighbors::SamplerOptions m_options;
    std::optional<augment::AugmentSpec> m_spec;
    int m_pairCount = kDefaultPairs;
    quint64 m_seed = 1;
    PositivePairs m_shown;
    QString m_error;

    JobRunner* m_jobs = nullptr;
    quint64 m_job = 0;

    QLabel* m_header = nullptr;
    QPushButton* m_resample = nullptr;
    PositivePairsView* m_view = nullptr;
};

} // namespace gps::ui
