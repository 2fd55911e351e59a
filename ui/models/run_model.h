#pragma once
/// The runs a researcher keeps, as a table: one row per run folder under `<project folder>/runs`
/// (project::listRuns, newest first) plus folders watched from elsewhere (a command-line run on
/// a shared disk). Columns come from the run's project snapshot, its summary (or, while it has
/// none, its metrics.jsonl) and run.json, the name and note the user gives it (editing the Name
/// cell renames the run). The check box of the Name column overlays the run's curves; each
/// overlaid run holds a colour of a fixed qualitative palette, the first one free when it was
/// checked, kept while it stays checked. A run is known by its id, the folder's absolute path.
/// Reading is a few small files per run, done on the GUI thread on refresh().

#include "models/run_row.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace gps::ui {

class RunModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Name,
        Method,
        Positives,
        TauOrK,
        Preset,
        Epochs,
        Batch,
        BestLinear,
        BestKnn,
        ImagesPerSecond,
        Device,
        State,
        Started,
        Note,
        ColumnCount
    };
    /// Numbers for numeric columns (missing ones sort first), lower-case text otherwise.
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int IdRole = Qt::UserRole + 2;

    explicit RunModel(QObject* parent = nullptr);

    /// The palette overlays take colours from, in order.
    static const QList<QColor>& overlayPalette();

    /// Lists the runs of the project in `projectFolder`; check marks of runs no longer listed
    /// are dropped (checkedRunsVanished). Watched folders stay.
    void setProjectFolder(const QString& projectFolder);
    /// Lists the folders again; check marks stay on runs that still exist.
    void refresh();
    /// Reads one run again (its state changed); false when it is not listed.
    bool refreshRun(const QString& id);
    /// Adds a run folder from anywhere (watched); its row, or -1 when it holds no run (no
    /// project.json or metrics.jsonl).
    int watchFolder(const QString& path);
    QString projectFolder() const { return m_folder; }
    /// `<project folder>/runs`.
    QString runsFolder() const;

    const RunRow& run(int row) const { return m_rows.at(std::size_t(row)); }
    /// The row of the run whose id, or folder name, is `idOrName`; -1 when none.
    int findRun(const QString& idOrName) const;
    bool isChecked(int row) const;
    QStringList checkedRuns() const;
    /// The colour of an overlaid run (invalid when it is not overlaid).
    QColor overlayColour(const QString& id) const { return m_overlays.value(id); }

    /// Writes the run's run.json with this name (empty: back to the folder's name) or note;
    /// the error (naming the file) or "".
    QString rename(int row, const QString& name);
    QString setNote(int row, const QString& note);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    /// The check box of run `id` changed (by the user or setData).
    void checkToggled(const QString& id, bool checked);
    /// Checked runs that disappeared on refresh (their folders were removed).
    void checkedRunsVanished(const QStringList& ids);
    /// A run's display name changed (its overlay's label follows).
    void renamed(const QString& id);
    void problem(const QString& message);

private:
    QVariant display(const RunRow& row, int column) const;
    QVariant sortValue(const RunRow& row, int column) const;
    QString writeMeta(int row, const project::RunMeta& meta);

    QString m_folder;
    QStringList m_watched; // folders added by watchFolder, in order
    std::vector<RunRow> m_rows;
    QHash<QString, QColor> m_overlays; // checked runs and their colours
};

} // namespace gps::ui
