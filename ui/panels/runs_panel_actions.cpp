// RunsPanel, the actions on a run: the context menu, rename and note (run.json), delete to the
// trash, duplicate as a new project, open the folder, and watching a folder from elsewhere.

#include "panels/runs_panel.h"

#include "models/run_follower.h"
#include "models/run_model.h"
#include "project/run_claim.h"

#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QUrl>

namespace gps::ui {

void RunsPanel::showMenu(const QPoint& at) {
    const QModelIndex index = m_view->indexAt(at);
    const int row = index.isValid() ? m_proxy->mapToSource(index).row() : -1;
    QMenu menu(this);
    if (row >= 0) {
        const QString id = m_model->run(row).id;
        menu.addAction(tr("Rename"), this, [this, at = QPersistentModelIndex(index)] {
            if (at.isValid())
                m_view->edit(m_proxy->index(at.row(), RunModel::Name));
        });
        menu.addAction(tr("Note…"), this, [this, id] { editNote(id); });
        menu.addAction(tr("Duplicate as new project"), this, [this, id] { duplicateRun(id); });
        menu.addAction(tr("Open folder"), this,
                       [id] { QDesktopServices::openUrl(QUrl::fromLocalFile(id)); });
        menu.addSeparator();
        menu.addAction(tr("Delete…"), this, [this, id] { confirmDelete(id); });
        menu.addSeparator();
    }
    menu.addAction(tr("Watch run folder…"), this, &RunsPanel::chooseFolderToWatch);
    menu.addAction(tr("Refresh"), this, &RunsPanel::refresh);
    menu.exec(m_view->viewport()->mapToGlobal(at));
}

void RunsPanel::editNote(const QString& id) {
    const int row = m_model->findRun(id);
    if (row < 0)
        return;
    const RunRow run = m_model->run(row);
    bool ok = false;
    const QString note = QInputDialog::getMultiLineText(this, tr("Note on %1").arg(run.displayName),
                                                        tr("Note:"), run.note, &ok);
    // The table may have been listed again while the dialog was open.
    if (!ok || m_model->findRun(id) < 0)
        return;
    if (const QString error = m_model->setNote(m_model->findRun(id), note); !error.isEmpty())
        Q_EMIT statusMessage(error);
}

void RunsPanel::confirmDelete(const QString& id) {
    const int row = m_model->findRun(id);
    if (row < 0)
        return;
    const RunRow run = m_model->run(row);
    const auto answer =
        QMessageBox::question(this, tr("Delete run"),
                              tr("Move the run \"%1\" to the trash?\n%2")
                                  .arg(run.displayName, QDir::toNativeSeparators(run.id)),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    if (const QString error = deleteRun(run.id); !error.isEmpty()) {
        QMessageBox::warning(this, tr("Delete run"), error);
        Q_EMIT statusMessage(error);
    }
}

QString RunsPanel::deleteRun(const QString& run) {
    const int row = m_model->findRun(run);
    if (row < 0)
        return tr("%1: no such run").arg(run);
    const RunRow target = m_model->run(row);
    // Asked now, not from the table: the run may have started since it was listed.
    if (const auto holder = project::runLockHolder(target.id.toStdString()))
        return tr("\"%1\" is still running (%2); stop it before deleting it.")
            .arg(target.displayName, QString::fromStdString(*holder));
    if (!QFile::moveToTrash(target.id))
        return tr("%1: could not be moved to the trash").arg(QDir::toNativeSeparators(target.id));
    m_follower->unfollow(target.id);
    m_model->refresh(); // its overlay goes with it (checkedRunsVanished)
    Q_EMIT statusMessage(tr("Moved %1 to the trash").arg(QDir::toNativeSeparators(target.id)));
    return {};
}

bool RunsPanel::duplicateRun(const QString& run) {
    const int row = m_model->findRun(run);
    if (row < 0)
        return false;
    const RunRow& target = m_model->run(row);
    if (target.projectFile.isEmpty() || !QFile::exists(target.projectFile)) {
        Q_EMIT statusMessage(tr("%1 has no readable project.json to duplicate")
                                 .arg(QDir::toNativeSeparators(target.id)));
        return false;
    }
    Q_EMIT duplicateRequested(target.projectFile);
    return true;
}

void RunsPanel::chooseFolderToWatch() {
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Watch run folder"), m_model->runsFolder(), QFileDialog::ShowDirsOnly);
    if (!folder.isEmpty())
        watchRunFolder(folder);
}

bool RunsPanel::watchRunFolder(const QString& folder) {
    const int row = m_model->watchFolder(folder);
    if (row < 0) {
        Q_EMIT statusMessage(tr("%1 is not a run folder (no project.json or metrics.jsonl)")
                                 .arg(QDir::toNativeSeparators(folder)));
        return false;
    }
    const QString id = m_model->run(row).id;
    if (!m_model->isChecked(row))
        setOverlay(id, true);
    m_view->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, RunModel::Name)));
    return true;
}

} // namespace gps::ui
