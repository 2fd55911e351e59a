#pragma once
/// The studio's window: composes the panels in tabs, the menus and the status bar. The flows
/// between the panels and the project's state belong to its StudioSession; each panel does its
/// own work.

#include "data/dataset.h"

#include <QFont>
#include <QMainWindow>

#include <optional>

class QAction;
class QMenu;
class QTabWidget;

namespace gps::ui {

class AugmentPanel;
class DatasetPanel;
class MapPanel;
class NeighborPanel;
class PriorPanel;
class StudioSession;
class TrainingPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a dataset path or "fashion-mnist" in the background; datasetOpened or
    /// datasetFailed follows.
    void openDataset(const QString& pathOrName);
    /// Shows a dataset that is already open (tests, and datasets built in memory).
    void setDataset(data::DatasetPtr dataset, const QString& source = {});
    /// Opens a project file into every tab; false (the reason in a message box when the window
    /// is shown, and in the status bar) when it cannot be read.
    bool openProject(const QString& path);

    StudioSession* session() const { return m_session; }

    DatasetPanel* datasetPanel() const { return m_datasetPanel; }
    AugmentPanel* augmentPanel() const { return m_augmentPanel; }
    PriorPanel* priorPanel() const { return m_priorPanel; }
    NeighborPanel* neighborPanel() const { return m_neighborPanel; }
    TrainingPanel* trainingPanel() const { return m_trainingPanel; }
    MapPanel* mapPanel() const { return m_mapPanel; }
    /// Brings the neighbour inspector (beside the dataset, in place of the augmentations) forward.
    void showNeighbours();
    /// Brings the map of the prior space (beside the neighbour inspector) forward.
    void showMap();
    /// The central tabs; later panels (neighbours, training) add theirs here.
    QTabWidget* tabs() const { return m_tabs; }
    /// Presentation mode (F5): larger text everywhere and thicker plot lines.
    void setPresentation(bool on);
    bool presentation() const;

Q_SIGNALS:
    void datasetOpened();
    void datasetFailed(const QString& message);

protected:
    /// Asks before closing over unsaved project changes (Save, Discard, Cancel) and over a run
    /// that is still training (it is stopped, keeping its checkpoint to resume from).
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void rebuildRecentMenu();
    void updateTitle();
    void chooseProject();
    bool saveProject();
    bool saveProjectAs();
    void showAbout();
    /// The window's size and its splitters (those with an object name) as the studio last
    /// closed; a first start gets a size where nothing is cut off.
    void restoreLayout();
    void saveLayout() const;

    StudioSession* m_session = nullptr;
    QMenu* m_recentMenu = nullptr;
    QTabWidget* m_tabs = nullptr;
    DatasetPanel* m_datasetPanel = nullptr;
    AugmentPanel* m_augmentPanel = nullptr;
    PriorPanel* m_priorPanel = nullptr;
    NeighborPanel* m_neighborPanel = nullptr;
    MapPanel* m_mapPanel = nullptr;
    TrainingPanel* m_trainingPanel = nullptr;
    QTabWidget* m_sideTabs = nullptr;
    QWidget* m_neighbourPage = nullptr;
    QAction* m_presentation = nullptr;
    std::optional<QFont> m_normalFont; // the font before presentation mode enlarged it
};

} // namespace gps::ui
