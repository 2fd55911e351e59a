#include "panels/runs_panel.h"

#include "models/run_model.h"

#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace gps::ui {

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent), m_model(new RunModel(this)), m_view(new QTableView(this)),
      m_folder(new QLabel(this)) {
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);
    m_folder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folder->setWordWrap(true);

    auto* refresh = new QPushButton(tr("Refresh"), this);
    auto* open = new QPushButton(tr("Open folder"), this);
    connect(refresh, &QPushButton::clicked, this, &RunsPanel::refresh);
    connect(open, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        const QString path =
            current.isValid() ? m_model->run(current.row()).path : m_model->runsFolder();
        QDesktopServices::openUrl(QUrl::fromLocalFile(path));
    });
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_folder, 1);
    bar->addWidget(refresh);
    bar->addWidget(open);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_model, &RunModel::checkToggled, this, &RunsPanel::onCheckToggled);
    connect(m_model, &RunModel::checkedRunsVanished, this, [this](const QStringList& names) {
        for (const QString& name : names)
            Q_EMIT overlayRemoved(name);
    });
}

void RunsPanel::setProjectFolder(const QString& folder) {
    m_model->setProjectFolder(folder);
    m_folder->setText(tr("Runs in %1").arg(QDir::toNativeSeparators(m_model->runsFolder())));
}

QString RunsPanel::runsFolder() const {
    return m_model->runsFolder();
}

void RunsPanel::refresh() {
    m_model->refresh();
    // Curves of a checked run that was still writing may have grown.
    for (const QString& name : m_model->checkedRuns())
        onCheckToggled(name, true);
}

bool RunsPanel::setOverlay(const QString& name, bool on) {
    const int row = m_model->findRun(name);
    if (row < 0)
        return false;
    return m_model->setData(m_model->index(row, RunModel::Name), on ? Qt::Checked : Qt::Unchecked,
                            Qt::CheckStateRole);
}

QStringList RunsPanel::overlaidRuns() const {
    return m_model->checkedRuns();
}

void RunsPanel::onCheckToggled(const QString& name, bool checked) {
    if (!checked) {
        Q_EMIT overlayRemoved(name);
        return;
    }
    const int row = m_model->findRun(name);
    if (row < 0)
        return;
    const QString metrics = QDir(m_model->run(row).path).filePath(QStringLiteral("metrics.jsonl"));
    auto curves = report::readRunCurves(std::filesystem::path(metrics.toStdString()));
    if (!curves) {
        Q_EMIT statusMessage(QString::fromStdString(curves.error().message));
        return;
    }
    Q_EMIT overlayAdded(name, name, QColor(0x55, 0x55, 0x55), *curves);
}

} // namespace gps::ui
