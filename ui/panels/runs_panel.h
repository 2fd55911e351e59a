#pragma once
/// The runs list of the training tab: the project's run folders with their summaries
/// (RunModel), a check box per run that overlays its curves (read from its metrics.jsonl) on the
/// live plots, and Refresh. The training panel refreshes it when a run ends.

#include "models/run_curves.h"

#include <QColor>
#include <QWidget>

class QLabel;
class QTableView;

namespace gps::ui {

class RunModel;

class RunsPanel : public QWidget {
    Q_OBJECT

public:
    explicit RunsPanel(QWidget* parent = nullptr);

    /// Lists the runs of the project in `folder` (under `folder/runs`); overlays of the previous
    /// folder's runs are removed.
    void setProjectFolder(const QString& folder);
    QString runsFolder() const;
    void refresh();

    /// Checks or unchecks run `name` as the user would; false when no such run is listed.
    bool setOverlay(const QString& name, bool on);
    QStringList overlaidRuns() const;
    RunModel* model() const { return m_model; }

Q_SIGNALS:
    /// Draw `curves` of run `name` over the live curves.
    void overlayAdded(const QString& name, const QString& label, const QColor& colour,
                      const gps::report::RunCurves& curves);
    void overlayRemoved(const QString& name);
    void statusMessage(const QString& message);

private:
    void onCheckToggled(const QString& name, bool checked);

    RunModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_folder = nullptr;
};

} // namespace gps::ui
