#pragma once
/// The training tab: the training settings (TrainingForm), Start / Pause-Resume / Stop, a
/// progress bar with epoch, step and images per second, the device used, live curves
/// (CurvesPanel), the runs of the project (RunsPanel, whose checked runs are overlaid on the
/// curves) and a log of the run's messages and errors.
///
/// The project a run uses is built from a base project (a loaded file, or the defaults) with
/// the window's context applied (setDataset, setPrior, setSamplerOptions, setAugmentSpec) and
/// the form's fields on top, then validated by project::parseProject; an invalid value stops
/// the start and its message (which names the key) is shown. Training runs on the
/// TrainingController's thread; the window only receives values.

#include "augment/spec.h"
#include "bridge/neighbor_job.h"
#include "bridge/training_worker.h"
#include "neighbors/positive_sampler.h"

#include <QWidget>

#include <memory>
#include <string>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace gps::ui {

class CurvesPanel;
class RunsPanel;
class TrainingForm;

class TrainingPanel : public QWidget {
    Q_OBJECT

public:
    enum class State { Idle, Running, Paused, Stopping };

    explicit TrainingPanel(QWidget* parent = nullptr);
    /// Stops a running session and waits for its thread.
    ~TrainingPanel() override;

    // The window's context: each replaces that part of the base project.
    /// Dataset path or "fashion-mnist"; `split` empty keeps the project's split.
    void setDataset(const QString& pathOrName, const QString& split = {});
    /// A prior spec as PriorPanel::spec() writes it ("pixels", "pca:64", ...).
    void setPrior(const QString& spec);
    /// τ (or k-mode), rule and include-anchor from the neighbour inspector.
    void setSamplerOptions(const gps::neighbors::SamplerOptions& options);
    void setKMax(int kMax);
    void setCosine(bool cosine);
    /// The augmentation spec from the augmentation panel (replaces a preset name).
    void setAugmentSpec(const gps::augment::AugmentSpec& spec);
    /// A preset by name (expanded by the run for the dataset's real shape).
    void setAugmentPreset(const QString& name);
    /// The neighbour graph on screen, whose prior, k_max and metric the project takes: a run
    /// given it trains with this very graph when it fits (same split, prior, k_max and metric)
    /// instead of building it again. The first graph also
    /// makes `gps` the positive source, unless the user or a project file chose one.
    void setGraph(const NeighborGraphPtr& graph);

    /// The project as the window shows it now: the base, the window's context and the form
    /// (not validated; buildProject validates).
    project::Project editedProject() const;
    /// The project as loaded, saved or reset, with the window's context applied since.
    const project::Project& baseProject() const { return *m_base; }
    /// A line under the context on the graph a run will use (the window's session writes it).
    void setGraphNote(const QString& text);
    /// A new project: the defaults, no file. The window then applies its context again.
    void resetProject();

    /// Takes `project` as the base, as loading its file does (a file is not needed: a run's
    /// snapshot duplicated as a new project has none).
    void setProject(const project::Project& project);
    // Project files; errors are shown verbatim and returned false.
    bool loadProjectFile(const QString& path);
    bool saveProjectFile(const QString& path);
    QString projectFile() const;
    /// The project file's folder, or the default project folder while the project has no file
    /// (the application's data folder); its runs go to `<project folder>/runs`.
    QString projectFolder() const;
    QString runsFolder() const;
    void setDefaultProjectFolder(const QString& folder);

    /// Validates and starts a run; false (with the reason in errorText()) when it did not start.
    bool start();
    void togglePause();
    void stop();

    State state() const { return m_state; }
    /// The last validation or run error (empty after a successful start).
    QString errorText() const { return m_errorText; }
    /// The line under the buttons: progress, then the run's summary.
    QString summaryText() const;
    QString logText() const;
    /// The project the running (or last) run was started with: edits made while it runs change
    /// the next run, never this snapshot. Null before the first start.
    const project::Project* runningProject() const { return m_running.get(); }
    /// The header line of the settings (dataset, prior, τ, augmentation; while a run is active,
    /// the running snapshot's, and a note when the next run will differ).
    QString contextText() const;

    /// The project text the next start would use (JSON, as projectToJson writes it), or the
    /// validation error.
    QString projectPreview() const;

    TrainingForm* form() const { return m_form; }
    CurvesPanel* curves() const { return m_curves; }
    RunsPanel* runs() const { return m_runs; }
    TrainingController* controller() const { return m_controller; }

Q_SIGNALS:
    void runStarted();
    void runFinished(const gps::session::RunSummary& outcome);
    void runFailed(const QString& message);
    /// The graph the started run trains with (the one on screen, or the one it built because
    /// the screen's did not fit it, e.g. for a subset of the images).
    void runGraph(const gps::session::PriorGraphPtr& graph);
    void statusMessage(const QString& message);
    /// The panel's Open / Save buttons: the window handles them (opening sets every tab).
    void openProjectRequested();
    void saveProjectRequested();
    /// Anything of the project changed: the context, the form, a load or a save.
    void projectEdited();

private:
    QWidget* buildSettings();
    QWidget* buildControls();
    void setState(State state);
    void showError(const QString& message);
    void appendLog(const QString& line);
    void updateContext();
    /// The base project, the context and the form's fields, validated; false with the reason.
    bool buildProject(project::Project& out, QString& error) const;
    void onSteps(const StepBatch& steps);
    void onPhase(const QString& name, double fraction);
    void onMessage(const QString& line);
    void onFinished(const session::RunSummary& outcome);
    void onFailed(const QString& message);

    std::unique_ptr<project::Project> m_base;
    std::unique_ptr<project::Project> m_running; // the snapshot of the active or last run
    std::string m_startedFrom; // editedProject() as JSON when the active run started
    NeighborGraphPtr m_graph;
    QString m_defaultProjectFolder;
    State m_state = State::Idle;
    int m_runEpochs = 0;
    bool m_runListed = false; // the runs list has shown the current run
    QString m_errorText;
    TrainingController* m_controller = nullptr;

    TrainingForm* m_form = nullptr;
    CurvesPanel* m_curves = nullptr;
    RunsPanel* m_runs = nullptr;
    QLabel* m_projectLabel = nullptr;
    QLabel* m_context = nullptr;
    QLabel* m_graphNote = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_stop = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_rate = nullptr;
    QLabel* m_device = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_error = nullptr;
    QPlainTextEdit* m_log = nullptr;
};

} // namespace gps::ui
