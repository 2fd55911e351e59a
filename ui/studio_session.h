#pragma once
/// The owner of what the studio is working on, and of the flows that cross its tabs.
///
/// It holds the project file's state (which file, whether the window differs from it, the
/// recent files) and the state of the neighbour graph on screen against what the settings now
/// describe (missing, computing, ready, stale). It wires the panels so that each tab's choice
/// reaches the project a run uses (the dataset, the prior and its graph's k_max and metric, τ
/// and the rule, the augmentation), and it runs the flows that touch several tabs:
///
/// - opening a project sets every tab: the dataset (opened when it is another), the prior,
///   k_max and metric, the augmentation, the training form; when the project's positives need
///   a graph it is computed and shown with the project's τ (or k) and rule. Until then the
///   session is "settling"; projectSettled follows.
/// - a run trains with the graph on screen when it fits; when it builds its own (a subset of the
///   images, another prior), that graph is shown in the Neighbours tab, with the run's τ.
///
/// The window only lays the panels out and routes its menus here.

#include "augment/spec.h"
#include "bridge/neighbor_job.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <string>

namespace gps::project {
struct NeighborSection;
struct Project;
} // namespace gps::project

namespace gps::ui {

class AugmentPanel;
class DatasetPanel;
class MapPanel;
class NeighborPanel;
class PriorPanel;
class TrainingPanel;

class StudioSession : public QObject {
    Q_OBJECT

public:
    /// The neighbour graph on screen against what the prior panel describes now.
    enum class GraphState { Missing, Computing, Ready, Stale };

    struct Panels {
        DatasetPanel* dataset = nullptr;
        AugmentPanel* augment = nullptr;
        PriorPanel* prior = nullptr;
        NeighborPanel* neighbors = nullptr;
        TrainingPanel* training = nullptr;
        MapPanel* map = nullptr; ///< optional: the map of the prior space
    };

    static constexpr int kMaxRecent = 8;

    StudioSession(const Panels& panels, QObject* parent = nullptr);
    ~StudioSession() override;

    /// A new, unsaved project with the defaults and what the tabs show now.
    void newProject();
    /// Reads PATH and sets every tab from it; false (the message shown, nothing changed) when
    /// it cannot be read.
    bool openProject(const QString& path);
    /// Opens a run's project snapshot (its project.json) as a NEW project: every tab set as
    /// openProject does, but no file, and modified until it is saved.
    bool openAsNewProject(const QString& snapshot);
    /// Saves to the project's file; false when it has none yet (ask for one: saveAs) or when
    /// the project does not validate (the message is shown).
    bool save();
    bool saveAs(const QString& path);

    QString projectFile() const;
    /// The file's name, or "untitled".
    QString displayName() const;
    /// True when the window's project differs from the file (or, unsaved, from the defaults).
    bool isModified() const;
    /// An opened project is still reaching the tabs (its dataset opening, its graph computing).
    bool isSettling() const { return m_pending != nullptr; }
    QStringList recentProjects() const;

    GraphState graphState() const { return m_graphState; }
    /// One line on the graph for the training tab: what a run will train with.
    QString graphStateText() const;

Q_SIGNALS:
    /// The file, its name or the modified state changed: the window's title follows.
    void titleChanged();
    void recentChanged();
    void graphStateChanged();
    /// An opened project has reached every tab.
    void projectSettled();
    void statusMessage(const QString& message);

private:
    void wire();
    void applyToPanels(const project::Project& project);
    void continueOpening();
    /// The Augmentations tab's choice into the project.
    void takeAugmentation(const augment::AugmentSpec& spec);
    void onDatasetOpened();
    void onDatasetFailed(const QString& message);
    void onPriorChanged();
    void onGraphReady(const NeighborGraphPtr& graph);
    void onRunGraph(const session::PriorGraphPtr& graph);
    void applyNeighbours(const project::NeighborSection& section, const NeighborGraph& graph);
    void markSaved();
    void addRecent(const QString& path);
    void updateGraphState();
    void settle();

    struct Pending; // what an opened project still has to bring to the tabs

    Panels m_panels;
    std::string m_savedText; ///< the project as last opened, saved or made new (JSON)
    std::unique_ptr<Pending> m_pending;
    GraphState m_graphState = GraphState::Missing;
    bool m_lastModified = false;
};

} // namespace gps::ui
