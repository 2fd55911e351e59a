#pragma once
/// The runs table of the training tab: the project's run folders and watched ones (RunModel),
/// sortable and filtered by any column's text, a check box per run that overlays its curves on
/// the live plots in the run's own colour, runs still training followed as they grow
/// (RunFollower), and the actions a researcher takes on a run: rename, note, delete (to the
/// trash), duplicate as a new project, open its folder, watch a folder from elsewhere.
/// The training panel refreshes it when a run ends.

#include "models/run_curves.h"

#include <QColor>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace gps::ui {

class RunFollower;
class RunModel;

class RunsPanel : public QWidget {
    Q_OBJECT

public:
    explicit RunsPanel(QWidget* parent = nullptr);

    /// Lists the runs of the project in `folder` (under `folder/runs`); overlays of runs no
    /// longer listed are removed.
    void setProjectFolder(const QString& folder);
    QString runsFolder() const;
    void refresh();

    /// Checks or unchecks a run (by id or folder name) as the user would; false when no such
    /// run is listed.
    bool setOverlay(const QString& run, bool on);
    /// The ids (folder paths) of the overlaid runs.
    QStringList overlaidRuns() const;
    /// Adds a run folder from anywhere to the table, overlaid (and followed while it runs);
    /// false with a message when it holds no run.
    bool watchRunFolder(const QString& folder);
    /// Moves a run's folder to the trash; the reason when it did not (a running run is
    /// refused), "" when it did. Asks nothing: the context menu confirms first.
    QString deleteRun(const QString& run);
    /// Asks for the run's snapshot to be opened as a new project (duplicateRequested).
    bool duplicateRun(const QString& run);

    RunModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTableView* view() const { return m_view; }
    QLineEdit* filter() const { return m_filter; }
    RunFollower* follower() const { return m_follower; }

Q_SIGNALS:
    /// Draw `curves` of run `run` (its id) over the live curves, named `label`, in `colour`;
    /// again each time a followed run's curves grow.
    void overlayAdded(const QString& run, const QString& label, const QColor& colour,
                      const gps::report::RunCurves& curves);
    void overlayRemoved(const QString& run);
    /// Open the project snapshot `projectFile` of a run as a new, unsaved project.
    void duplicateRequested(const QString& projectFile);
    void statusMessage(const QString& message);

private:
    void onCheckToggled(const QString& id, bool checked);
    void emitOverlay(const QString& id, const report::RunCurves& curves);
    void showMenu(const QPoint& at);
    // By id: the table may be listed again while a dialog is open.
    void editNote(const QString& id);
    void confirmDelete(const QString& id);
    void chooseFolderToWatch();
    /// The model row of the view's current row; -1 when none.
    int currentRow() const;

    RunModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    RunFollower* m_follower = nullptr;
    QTableView* m_view = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_folder = nullptr;
};

} // namespace gps::ui
