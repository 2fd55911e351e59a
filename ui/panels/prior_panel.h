#pragma once
/// The prior chooser: a prior spec (pixels, pca:D, hog, random-cnn, ae:D, vae:D, torchscript:PATH,
/// npy:PATH) built from a combo, a D spin box and a path picker, the metric and k_max, and
/// "Compute", which embeds the opened split (cache on) and builds its kNN graph on a worker.
///
/// A finished graph is announced by graphReady (a shared, immutable NeighborGraph). A failure or
/// a cancel is shown in the panel and leaves the previous graph in place.

#include "bridge/neighbor_job.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace gps::ui {

class JobRunner;

class PriorPanel : public QWidget {
    Q_OBJECT

public:
    enum class State { Idle, Running, Done, Failed, Cancelled };

    explicit PriorPanel(QWidget* parent = nullptr);
    ~PriorPanel() override;

    /// The split to embed; a new dataset drops the graph of the old one.
    void setDataset(const data::DatasetPtr& dataset);
    /// The spec the widgets describe now, e.g. "pca:64" or "npy:/data/x.npy".
    QString spec() const;
    /// Sets the widgets from a spec; false (and nothing changed) when it does not parse.
    bool setSpec(const QString& spec);
    void setKMax(int kMax);
    void setCosine(bool cosine);
    /// How learned priors fit (a project's prior options); the defaults until set.
    void setPriorOptions(const priors::PriorOptions& options);
    /// Shows a graph made elsewhere (the one a run trains with) as if computed here, with
    /// `origin` in the status line ("the run's graph of its 3000 training images"), and
    /// announces it with graphReady.
    void showGraph(const NeighborGraphPtr& graph, const QString& origin);

    /// What Compute would build now: the spec, the prior options, k_max and the metric.
    session::GraphRecipe recipe() const;

    /// Starts embedding and graph building; a running computation is cancelled first.
    void compute();
    void cancel();

    State state() const { return m_state; }
    bool isRunning() const { return m_job != 0; }
    const NeighborGraphPtr& graph() const { return m_graph; }
    /// The status line: what the last computation did, or why it failed.
    QString statusText() const;

Q_SIGNALS:
    void graphReady(const gps::ui::NeighborGraphPtr& graph);
    /// The prior, its argument, the metric or k_max changed in the widgets (the graph on
    /// screen may no longer be what they describe), or a computation started or ended.
    void recipeChanged();
    void statusMessage(const QString& message);

private:
    void onFormChanged();
    void choosePath();
    void onSucceeded(quint64 job, const QVariant& value);
    void onEnded(State state, const QString& text);
    void setStatus(const QString& text, bool isError);

    data::DatasetPtr m_dataset;
    priors::PriorOptions m_priorOptions;
    NeighborGraphPtr m_graph;
    JobRunner* m_jobs = nullptr;
    quint64 m_job = 0;
    State m_state = State::Idle;

    QComboBox* m_kind = nullptr;
    QSpinBox* m_dim = nullptr;
    QLineEdit* m_path = nullptr;
    QToolButton* m_browse = nullptr;
    QComboBox* m_metric = nullptr;
    QSpinBox* m_kMax = nullptr;
    QPushButton* m_compute = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace gps::ui
