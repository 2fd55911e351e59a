#pragma once
/// The neighbour inspector: for a graph from the prior panel, a τ slider (or k-mode with a k),
/// the sampling rule and include-anchor; the selected anchor with its candidates as thumbnails
/// (distance in the caption, a red mark on another class); and statistics over all anchors that
/// follow the slider: candidates per anchor, share with none, share truncated, purities, the
/// distance histogram with τ and the purity/coverage curves over τ. Below the candidates, a
/// strip of positive pairs (DA(anchor), DA(x')) as training draws them under the same options,
/// with the augmentation panel's spec (PositivePairsStrip).
///
/// The anchor's own row is read on the GUI thread (one graph row); the images of a lazily decoded
/// dataset are read on a worker (DisplayImageCache) and fill in when ready. The statistics over
/// every anchor run on a worker: slider moves are coalesced by a 40 ms single-shot timer, one
/// recount runs at a time, and while it runs only the newest options wait, so the window never
/// freezes.

#include "augment/spec.h"
#include "bridge/neighbor_job.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;

namespace gps::ui {

class DisplayImageCache;
class DistanceHistogramPlot;
class ImageGrid;
class JobRunner;
class PositivePairsStrip;

class NeighborPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int kMaxShown = 24; ///< candidates shown as thumbnails
    /// Above this share of anchors whose ball is cut at k_max the panel warns and offers more.
    static constexpr double kTruncationWarningShare = 0.2;
    static constexpr int kSliderSteps = 1000;

    explicit NeighborPanel(QWidget* parent = nullptr);
    ~NeighborPanel() override;

    /// Inspects `graph` (null clears); τ starts at its suggestion.
    void setGraph(const gps::ui::NeighborGraphPtr& graph);
    const NeighborGraphPtr& graph() const { return m_graph; }
    /// Shows dataset image `index` as the anchor (-1 clears).
    void showAnchor(qint64 index);
    qint64 anchor() const { return m_anchor; }

    /// τ in the graph's units; kept exactly (the slider shows the nearest step).
    void setTau(double tau);
    void setKMode(bool on);
    void setK(int k);
    void setRule(neighbors::Rule rule);
    void setIncludeAnchor(bool on);
    void useSuggestedTau();
    /// The augmentation the positive pairs are shown with (the augmentation panel's spec).
    void setAugmentSpec(const gps::augment::AugmentSpec& spec);
    /// The options the controls describe (what training would use).
    neighbors::SamplerOptions samplerOptions() const;

    /// Candidates of the shown anchor under the current options (0 with no anchor).
    qint64 candidateCount() const { return m_candidateCount; }
    /// All of them, nearest first (empty with no anchor): what the map highlights.
    std::vector<qint64> candidates() const;
    /// The positive shown as drawn for the anchor: the farthest candidate under the farthest
    /// rule, else the x' of the strip's first pair; -1 when none is shown.
    qint64 drawnPositive() const;
    /// True while statistics for the newest options are still being computed.
    bool statsPending() const;

Q_SIGNALS:
    /// The statistics labels and the histogram now describe `options` (tests, status bar).
    void statsUpdated();
    /// The graph, the anchor, the options or the drawn pairs changed: graph(), anchor(),
    /// samplerOptions(), candidates() and drawnPositive() describe the new state.
    void selectionChanged();
    /// The user accepted the offer to rebuild the graph with more neighbours per image.
    void raiseKMaxRequested(int kMax);
    void statusMessage(const QString& message);

private:
    void onSliderMoved(int position);
    void onOptionsChanged();
    void updateAnchorView();
    void requestStats();
    void onStats(quint64 job, const QVariant& value);
    void showStats(const neighbors::NeighborStats& stats);
    void clearStats();
    void updateTauLabel();

    NeighborGraphPtr m_graph;
    qint64 m_anchor = -1;
    double m_tau = 0.0;
    qint64 m_candidateCount = 0;

    JobRunner* m_jobs = nullptr;
    quint64 m_statsJob = 0;
    bool m_statsQueued = false; ///< options changed while a recount ran
    QTimer* m_statsTimer = nullptr;

    QSlider* m_slider = nullptr;
    QLabel* m_tauValue = nullptr;
    QPushButton* m_suggest = nullptr;
    QCheckBox* m_kMode = nullptr;
    QSpinBox* m_k = nullptr;
    QComboBox* m_rule = nullptr;
    QCheckBox* m_includeAnchor = nullptr;
    QLabel* m_anchorText = nullptr;
    ImageGrid* m_grid = nullptr;
    DisplayImageCache* m_images = nullptr;
    PositivePairsStrip* m_pairs = nullptr;
    QLabel* m_meanCandidates = nullptr;
    QLabel* m_shareNone = nullptr;
    QLabel* m_shareTruncated = nullptr;
    QLabel* m_purity = nullptr;
    QLabel* m_purityAtOne = nullptr;
    QLabel* m_truncationWarning = nullptr;
    QPushButton* m_raiseKMax = nullptr;
    DistanceHistogramPlot* m_plot = nullptr;
};

} // namespace gps::ui
