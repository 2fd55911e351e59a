#include "models/run_model.h"

#include "project/run_dir.h"

#include <QDir>
#include <QLocale>

#include <chrono>

namespace gps::ui {

namespace {

std::optional<double> number(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_number())
        return it->get<double>();
    return std::nullopt;
}

QString percent(const std::optional<double>& value) {
    return value ? QStringLiteral("%1 %").arg(100.0 * *value, 0, 'f', 1) : QString();
}

} // namespace

std::vector<RunRow> scanRuns(const QString& projectFolder) {
    std::vector<RunRow> rows;
    if (projectFolder.isEmpty())
        return rows;
    for (const project::RunInfo& info :
         project::listRuns(std::filesystem::path(projectFolder.toStdString()))) {
        RunRow row;
        row.name = QString::fromStdString(info.name);
        row.path = QString::fromStdString(info.dir.path.string());
        row.finished = info.finished;
        row.stopped = info.stopped;
        row.running = info.running;
        row.started =
            QDateTime::fromSecsSinceEpoch(qint64(std::chrono::system_clock::to_time_t(info.start)));
        if (info.summary && info.summary->is_object()) {
            row.epochs = int(number(*info.summary, "epochs").value_or(0));
            row.finalLoss = number(*info.summary, "final_loss");
            row.linearProbe = number(*info.summary, "linear_probe_acc");
            row.knn = number(*info.summary, "knn_acc");
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

RunModel::RunModel(QObject* parent) : QAbstractTableModel(parent) {}

QString RunModel::runsFolder() const {
    return m_folder.isEmpty() ? QString() : QDir(m_folder).filePath(QStringLiteral("runs"));
}

void RunModel::setProjectFolder(const QString& projectFolder) {
    if (projectFolder != m_folder) {
        m_folder = projectFolder;
        const QStringList checked = checkedRuns();
        beginResetModel();
        m_rows.clear();
        m_checked.clear();
        endResetModel();
        if (!checked.isEmpty())
            Q_EMIT checkedRunsVanished(checked);
    }
    refresh();
}

void RunModel::refresh() {
    const QStringList checked = checkedRuns();
    beginResetModel();
    m_rows = scanRuns(m_folder);
    m_checked.assign(m_rows.size(), false);
    QStringList vanished = checked;
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (checked.contains(m_rows[i].name)) {
            m_checked[i] = true;
            vanished.removeAll(m_rows[i].name);
        }
    endResetModel();
    if (!vanished.isEmpty())
        Q_EMIT checkedRunsVanished(vanished);
}

int RunModel::findRun(const QString& name) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].name == name)
            return int(i);
    return -1;
}

bool RunModel::isChecked(int row) const {
    return row >= 0 && std::size_t(row) < m_checked.size() && m_checked[std::size_t(row)];
}

QStringList RunModel::checkedRuns() const {
    QStringList names;
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_checked[i])
            names << m_rows[i].name;
    return names;
}

int RunModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const RunRow& row = m_rows[std::size_t(index.row())];
    if (role == Qt::CheckStateRole && index.column() == Name)
        return m_checked[std::size_t(index.row())] ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole)
        return row.path;
    if (role == Qt::TextAlignmentRole && index.column() != Name)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return row.name;
    case Epochs:
        return row.finished || row.stopped ? QVariant(row.epochs) : QVariant();
    case FinalLoss:
        return row.finalLoss ? QString::number(*row.finalLoss, 'g', 5) : QString();
    case LinearProbe:
        return percent(row.linearProbe);
    case Knn:
        return percent(row.knn);
    case Finished:
        // A run without a summary whose process is gone (no lock holder) crashed.
        return row.finished  ? tr("yes")
               : row.stopped ? tr("stopped")
               : row.running ? tr("running")
                             : tr("crashed");
    case Started:
        return QLocale().toString(row.started, QLocale::ShortFormat);
    default:
        return {};
    }
}

bool RunModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.column() != Name || role != Qt::CheckStateRole)
        return false;
    const bool checked = value.toInt() == Qt::Checked;
    const std::size_t row = std::size_t(index.row());
    if (m_checked[row] == checked)
        return true;
    m_checked[row] = checked;
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    Q_EMIT checkToggled(m_rows[row].name, checked);
    return true;
}

Qt::ItemFlags RunModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Name)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

QVariant RunModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Run (check to overlay)");
    case Epochs:
        return tr("Epochs");
    case FinalLoss:
        return tr("Final loss");
    case LinearProbe:
        return tr("Linear probe");
    case Knn:
        return tr("kNN");
    case Finished:
        return tr("Finished");
    case Started:
        return tr("Started");
    default:
        return {};
    }
}

} // namespace gps::ui
