#pragma once
/// The runs of a project as a table: one row per run folder under `<project folder>/runs`
/// (project::listRuns, newest first), with a check box (overlay its curves) and the columns of
/// its summary.json: epochs, final loss, linear probe, kNN, whether it finished, when it started.
/// A folder without summary.json is a run that is still going or that broke; it is listed with
/// empty numbers. Reading is a few small files per run, done on the GUI thread on refresh().

#include <QAbstractTableModel>
#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace gps::ui {

struct RunRow {
    QString name;          ///< the folder's name
    QString path;          ///< absolute folder path
    bool finished = false; ///< has a summary and was not stopped
    bool stopped = false;  ///< has a summary saying it was stopped before the end
    bool running = false;  ///< its process holds the run folder's lock
    int epochs = 0;
    std::optional<double> finalLoss;
    std::optional<double> linearProbe;
    std::optional<double> knn;
    QDateTime started;
};

/// The runs of the project in `projectFolder` (project::listRuns), newest first.
std::vector<RunRow> scanRuns(const QString& projectFolder);

class RunModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Epochs, FinalLoss, LinearProbe, Knn, Finished, Started, ColumnCount };

    explicit RunModel(QObject* parent = nullptr);

    /// Lists the runs of the project in `projectFolder`; check marks of another folder's runs
    /// are dropped (checkedRunsVanished).
    void setProjectFolder(const QString& projectFolder);
    /// Lists the folder again; check marks stay on runs that still exist.
    void refresh();
    QString projectFolder() const { return m_folder; }
    /// `<project folder>/runs`.
    QString runsFolder() const;

    const RunRow& run(int row) const { return m_rows.at(std::size_t(row)); }
    int findRun(const QString& name) const;
    bool isChecked(int row) const;
    QStringList checkedRuns() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    /// The check box of run `name` changed (by the user or setData).
    void checkToggled(const QString& name, bool checked);
    /// Checked runs that disappeared on refresh (their folders were removed).
    void checkedRunsVanished(const QStringList& names);

private:
    QString m_folder;
    std::vector<RunRow> m_rows;
    std::vector<bool> m_checked; // parallel to m_rows
};

} // namespace gps::ui
