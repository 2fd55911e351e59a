#include "panels/runs_panel.h"

#include "models/run_follower.h"
#include "models/run_model.h"

#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace gps::ui {

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent), m_model(new RunModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_follower(new RunFollower(this)), m_view(new QTableView(this)),
      m_filter(new QLineEdit(this)), m_folder(new QLabel(this)) {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunModel::SortRole);
    m_proxy->setFilterKeyColumn(-1); // any column's text
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunModel::Started, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);
    m_filter->setPlaceholderText(tr("Filter runs (any column)…"));
    m_filter->setClearButtonEnabled(true);
    m_folder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folder->setWordWrap(true);

    auto* refresh = new QPushButton(tr("Refresh"), this);
    auto* watch = new QPushButton(tr("Watch run folder…"), this);
    auto* open = new QPushButton(tr("Open folder"), this);
    connect(refresh, &QPushButton::clicked, this, &RunsPanel::refresh);
    connect(watch, &QPushButton::clicked, this, &RunsPanel::chooseFolderToWatch);
    connect(open, &QPushButton::clicked, this, [this] {
        const int row = currentRow();
        const QString path = row >= 0 ? m_model->run(row).id : m_model->runsFolder();
        QDesktopServices::openUrl(QUrl::fromLocalFile(path));
    });
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(refresh);
    bar->addWidget(watch);
    bar->addWidget(open);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_folder);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_view, &QWidget::customContextMenuRequested, this, &RunsPanel::showMenu);
    connect(m_model, &RunModel::checkToggled, this, &RunsPanel::onCheckToggled);
    connect(m_model, &RunModel::checkedRunsVanished, this, [this](const QStringList& ids) {
        for (const QString& id : ids) {
            m_follower->unfollow(id);
            Q_EMIT overlayRemoved(id);
        }
    });
    connect(m_model, &RunModel::renamed, this, [this](const QString& id) {
        if (const report::RunCurves* curves = m_follower->curves(id))
            emitOverlay(id, *curves);
        else if (m_model->isChecked(m_model->findRun(id)))
            onCheckToggled(id, true); // the legend takes the new name
    });
    connect(m_model, &RunModel::problem, this, &RunsPanel::statusMessage);
    connect(m_follower, &RunFollower::curvesChanged, this, &RunsPanel::emitOverlay);
    connect(m_follower, &RunFollower::warning, this, &RunsPanel::statusMessage);
    // A followed run ended: its row says how (finished, stopped, failed or crashed).
    connect(m_follower, &RunFollower::ended, m_model, &RunModel::refreshRun);
}

void RunsPanel::setProjectFolder(const QString& folder) {
    m_model->setProjectFolder(folder);
    m_folder->setText(tr("Runs in %1").arg(QDir::toNativeSeparators(m_model->runsFolder())));
    // Runs checked before that still are (watched ones) and still run are followed.
    for (const QString& id : m_model->checkedRuns())
        if (m_model->run(m_model->findRun(id)).state == project::RunState::Running)
            m_follower->follow(id, id);
}

QString RunsPanel::runsFolder() const {
    return m_model->runsFolder();
}

void RunsPanel::refresh() {
    m_model->refresh();
    // Curves of a checked run that was still writing may have grown; a followed one's are
    // read as they grow.
    for (const QString& id : m_model->checkedRuns())
        if (!m_follower->isFollowing(id))
            onCheckToggled(id, true);
}

bool RunsPanel::setOverlay(const QString& run, bool on) {
    const int row = m_model->findRun(run);
    if (row < 0)
        return false;
    return m_model->setData(m_model->index(row, RunModel::Name), on ? Qt::Checked : Qt::Unchecked,
                            Qt::CheckStateRole);
}

QStringList RunsPanel::overlaidRuns() const {
    return m_model->checkedRuns();
}

void RunsPanel::emitOverlay(const QString& id, const report::RunCurves& curves) {
    const int row = m_model->findRun(id);
    if (row < 0 || !m_model->isChecked(row))
        return;
    Q_EMIT overlayAdded(id, m_model->run(row).displayName, m_model->overlayColour(id), curves);
}

void RunsPanel::onCheckToggled(const QString& id, bool checked) {
    if (!checked) {
        m_follower->unfollow(id);
        Q_EMIT overlayRemoved(id);
        return;
    }
    const int row = m_model->findRun(id);
    if (row < 0)
        return;
    if (m_model->run(row).state == project::RunState::Running) {
        m_follower->follow(id, id); // reads what is there now, then follows
        return;
    }
    const QString metrics = QDir(id).filePath(QStringLiteral("metrics.jsonl"));
    auto curves = report::readRunCurves(std::filesystem::path(metrics.toStdString()));
    if (!curves) {
        Q_EMIT statusMessage(QString::fromStdString(curves.error().message));
        return;
    }
    emitOverlay(id, *curves);
}

int RunsPanel::currentRow() const {
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_proxy->mapToSource(current).row() : -1;
}

} // namespace gps::ui
