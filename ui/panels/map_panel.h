#pragma once
/// The Map tab: a 2-D map of the prior space the positives are drawn from, beside the
/// dataset-wide quality of the graph on screen.
///
/// The map is computed on request (Compute; never on every change, t-SNE takes seconds to
/// minutes): a sample of the rows of the graph's prior embedding, or of a run's
/// train_embeddings.npy, always holding the inspector's anchor, its candidates and its drawn
/// positive, mapped by PCA or t-SNE on a worker with a progress bar and Cancel. The map then
/// follows the neighbour inspector without recomputing: a new anchor or τ only restyles the
/// highlights. A point clicked on the map, or an anchor clicked in the quality table, is
/// announced by anchorClicked (the session makes it the inspector's anchor).
///
/// The quality table (per-class purity, the most mixed anchors) is recounted on a worker when
/// the graph or the options change, coalesced like the inspector's statistics, and only while
/// the tab is shown (a change behind it is counted when it is shown).

#include "bridge/map_job.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;

namespace gps::ui {

class ClassQualityTable;
class EmbeddingMap;
class JobRunner;

class MapPanel : public QWidget {
    Q_OBJECT

public:
    enum class Source { Prior, RunFile };

    explicit MapPanel(QWidget* parent = nullptr);
    ~MapPanel() override;

    /// The graph on screen (null clears). A new graph drops the map (it described other rows)
    /// and stops a map being computed for the old one.
    void setGraph(const gps::ui::NeighborGraphPtr& graph);
    const NeighborGraphPtr& graph() const { return m_graph; }
    /// What the inspector shows: the anchor (-1: none), the options, every candidate and the
    /// drawn positive (-1: none). Restyles the map; a change of options recounts the quality.
    void setSelection(qint64 anchor, const neighbors::SamplerOptions& options,
                      const std::vector<qint64>& candidates, qint64 positive);

    void setMethod(eval::MapMethod method);
    void setSampleSize(int rows); ///< clamped to [kMinSample, eval::kMaxMapRows]
    /// Maps a run's train_embeddings.npy instead of the prior (read when Compute runs).
    void setEmbeddingFile(const QString& path);
    void useGraphPrior();
    Source source() const;

    /// Starts a map with the current settings (does nothing while one is computing).
    void compute();
    void cancel();
    bool isComputing() const { return m_mapJob != 0; }
    /// The caption under the controls: what the map shows, or why there is none (an error).
    QString statusText() const;
    bool qualityPending() const;

    EmbeddingMap* map() const { return m_map; }
    ClassQualityTable* quality() const { return m_quality; }

    static constexpr int kMinSample = 100;

Q_SIGNALS:
    /// A point of the map or an anchor of the quality table was clicked.
    void anchorClicked(qint64 datasetIndex);
    /// A Compute ended: the map is shown, or failed (statusText says why), or was cancelled.
    void mapFinished();
    void qualityUpdated();
    void statusMessage(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void chooseFile();
    void onMapDone(quint64 job, const QVariant& value);
    void onMapEnded(quint64 job, const QString& error, bool cancelled);
    void requestQuality();
    void onQualityDone(quint64 job, const QVariant& value);
    void setBusy(bool busy);
    void setStatus(const QString& text, bool error = false);
    /// The caption of the map on screen, with a note when the anchor or a candidate is not in it.
    void showMapCaption();
    void updateComputeEnabled();
    QStringList classNames() const;

    NeighborGraphPtr m_graph;
    qint64 m_anchor = -1;
    neighbors::SamplerOptions m_options;
    std::vector<qint64> m_candidates;
    qint64 m_positive = -1;
    QString m_file;
    QString m_caption; ///< what the map on screen shows
    bool m_statusIsError = false;

    JobRunner* m_mapJobs = nullptr;
    JobRunner* m_qualityJobs = nullptr;
    quint64 m_mapJob = 0;
    quint64 m_qualityJob = 0;
    bool m_qualityQueued = false;
    bool m_qualityStale = false; ///< options changed while the tab was hidden
    QTimer* m_qualityTimer = nullptr;

    QComboBox* m_source = nullptr;
    QPushButton* m_chooseFile = nullptr;
    QComboBox* m_method = nullptr;
    QSpinBox* m_sampleSize = nullptr;
    QPushButton* m_compute = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    EmbeddingMap* m_map = nullptr;
    ClassQualityTable* m_quality = nullptr;
};

} // namespace gps::ui
