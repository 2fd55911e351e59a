#include "models/run_model.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>

namespace gps::ui {

namespace {

QString percent(const std::optional<double>& value) {
    return value ? QStringLiteral("%1 %").arg(100.0 * *value, 0, 'f', 1) : QString();
}

} // namespace

RunModel::RunModel(QObject* parent) : QAbstractTableModel(parent) {}

const QList<QColor>& RunModel::overlayPalette() {
    // Tableau 10: qualitative, told apart on screen and in print.
    static const QList<QColor> palette{QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b),
                                       QColor(0xe1, 0x57, 0x59), QColor(0x76, 0xb7, 0xb2),
                                       QColor(0x59, 0xa1, 0x4f), QColor(0xed, 0xc9, 0x48),
                                       QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7),
                                       QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac)};
    return palette;
}

QString RunModel::runsFolder() const {
    return m_folder.isEmpty() ? QString() : QDir(m_folder).filePath(QStringLiteral("runs"));
}

void RunModel::setProjectFolder(const QString& projectFolder) {
    m_folder = projectFolder;
    refresh();
}

void RunModel::refresh() {
    beginResetModel();
    m_rows.clear();
    if (!m_folder.isEmpty())
        for (const project::RunInfo& info : project::listRuns(m_folder.toStdString()))
            m_rows.push_back(runRow(info));
    QStringList watched;
    for (const QString& path : std::as_const(m_watched)) {
        if (findRun(path) >= 0 || !QFileInfo(path).isDir())
            continue; // now listed with the project, or gone
        watched << path;
        m_rows.push_back(runRow(project::readRunInfo(path.toStdString()), true));
    }
    m_watched = watched;
    QStringList vanished;
    for (auto it = m_overlays.begin(); it != m_overlays.end();) {
        if (findRun(it.key()) < 0) {
            vanished << it.key();
            it = m_overlays.erase(it);
        } else {
            ++it;
        }
    }
    endResetModel();
    if (!vanished.isEmpty())
        Q_EMIT checkedRunsVanished(vanished);
}

bool RunModel::refreshRun(const QString& id) {
    const int row = findRun(id);
    if (row < 0)
        return false;
    RunRow& target = m_rows[std::size_t(row)];
    target = runRow(project::readRunInfo(id.toStdString()), target.external);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return true;
}

int RunModel::watchFolder(const QString& path) {
    const QString id = QDir(path).absolutePath();
    if (const int row = findRun(id); row >= 0)
        return row;
    const project::RunDir dir{id.toStdString()};
    if (!QFileInfo::exists(QString::fromStdString(dir.projectFile().string())) &&
        !QFileInfo::exists(QString::fromStdString(dir.metricsFile().string())))
        return -1;
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_watched << id;
    m_rows.push_back(runRow(project::readRunInfo(dir.path), true));
    endInsertRows();
    return row;
}

int RunModel::findRun(const QString& idOrName) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == idOrName)
            return int(i);
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].folder == idOrName && !m_rows[i].external)
            return int(i);
    return -1;
}

bool RunModel::isChecked(int row) const {
    return row >= 0 && row < rowCount() && m_overlays.contains(m_rows[std::size_t(row)].id);
}

QStringList RunModel::checkedRuns() const {
    QStringList ids;
    for (const RunRow& row : m_rows)
        if (m_overlays.contains(row.id))
            ids << row.id;
    return ids;
}

QString RunModel::writeMeta(int row, const project::RunMeta& meta) {
    const RunRow& target = m_rows.at(std::size_t(row));
    if (Status written = project::writeRunMeta(target.id.toStdString(), meta); !written)
        return QString::fromStdString(written.error().message);
    refreshRun(target.id);
    return {};
}

QString RunModel::rename(int row, const QString& name) {
    const RunRow& target = m_rows.at(std::size_t(row));
    const QString trimmed = name.trimmed();
    const QString id = target.id;
    const QString error =
        writeMeta(row, {trimmed == target.folder ? std::string() : trimmed.toStdString(),
                        target.note.toStdString()});
    if (error.isEmpty())
        Q_EMIT renamed(id);
    return error;
}

QString RunModel::setNote(int row, const QString& note) {
    const RunRow& target = m_rows.at(std::size_t(row));
    const QString name = target.displayName == target.folder ? QString() : target.displayName;
    return writeMeta(row, {name.toStdString(), note.toStdString()});
}

int RunModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunModel::display(const RunRow& row, int column) const {
    switch (column) {
    case Name:
        return row.external ? tr("%1 (watched)").arg(row.displayName) : row.displayName;
    case Method:
        return row.method;
    case Positives:
        return row.positives;
    case TauOrK:
        return row.tauOrK;
    case Preset:
        return row.preset;
    case Epochs:
        return row.epochsPlanned > 0
                   ? QStringLiteral("%1/%2").arg(row.epochsDone).arg(row.epochsPlanned)
                   : QString::number(row.epochsDone);
    case Batch:
        return row.batchSize > 0 ? QString::number(row.batchSize) : QString();
    case BestLinear:
        return percent(row.bestLinear);
    case BestKnn:
        return percent(row.bestKnn);
    case ImagesPerSecond:
        return row.imagesPerSecond ? QString::number(*row.imagesPerSecond, 'f', 0) : QString();
    case Device:
        return row.device;
    case State:
        return runStateText(row.state);
    case Started:
        return QLocale().toString(row.started, QLocale::ShortFormat);
    case Note:
        return row.note.section(u'\n', 0, 0);
    default:
        return {};
    }
}

QVariant RunModel::sortValue(const RunRow& row, int column) const {
    const auto number = [](const std::optional<double>& value) { return value.value_or(-1.0); };
    switch (column) {
    case Epochs:
        return double(row.epochsDone);
    case Batch:
        return double(row.batchSize);
    case BestLinear:
        return number(row.bestLinear);
    case BestKnn:
        return number(row.bestKnn);
    case ImagesPerSecond:
        return number(row.imagesPerSecond);
    case Started:
        return double(row.started.toSecsSinceEpoch());
    default:
        return display(row, column).toString().toLower();
    }
}

QVariant RunModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const RunRow& row = m_rows[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case Qt::EditRole:
        return column == Name ? row.displayName : display(row, column);
    case SortRole:
        return sortValue(row, column);
    case IdRole:
        return row.id;
    case Qt::CheckStateRole:
        return column == Name ? QVariant(isChecked(index.row()) ? Qt::Checked : Qt::Unchecked)
                              : QVariant();
    case Qt::DecorationRole:
        return column == Name && m_overlays.contains(row.id) ? QVariant(m_overlays.value(row.id))
                                                             : QVariant();
    case Qt::TextAlignmentRole:
        if (column == Epochs || column == Batch || column == BestLinear || column == BestKnn ||
            column == ImagesPerSecond)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole: {
        QStringList lines{QDir::toNativeSeparators(row.id)};
        if (row.external)
            lines << tr("Watched folder, outside this project's runs");
        if (!row.error.isEmpty())
            lines << tr("Failed: %1").arg(row.error);
        if (!row.note.isEmpty())
            lines << row.note;
        lines << row.warnings;
        return lines.join(u'\n');
    }
    default:
        return {};
    }
}

bool RunModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.column() != Name)
        return false;
    const std::size_t row = std::size_t(index.row());
    const QString id = m_rows[row].id;
    if (role == Qt::EditRole) {
        const QString error = rename(index.row(), value.toString());
        if (!error.isEmpty())
            Q_EMIT problem(error);
        return error.isEmpty();
    }
    if (role != Qt::CheckStateRole)
        return false;
    const bool checked = value.toInt() == Qt::Checked;
    if (m_overlays.contains(id) == checked)
        return true;
    if (checked) {
        // The first colour no overlaid run holds; all taken, the palette goes round again.
        const QList<QColor>& palette = overlayPalette();
        QColor colour = palette.at(m_overlays.size() % palette.size());
        for (const QColor& candidate : palette)
            if (std::find(m_overlays.cbegin(), m_overlays.cend(), candidate) == m_overlays.cend()) {
                colour = candidate;
                break;
            }
        m_overlays.insert(id, colour);
    } else {
        m_overlays.remove(id);
    }
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole, Qt::DecorationRole});
    Q_EMIT checkToggled(id, checked);
    return true;
}

Qt::ItemFlags RunModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Name)
        flags |= Qt::ItemIsUserCheckable | Qt::ItemIsEditable;
    return flags;
}

QVariant RunModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name (check to overlay)");
    case Method:
        return tr("Method");
    case Positives:
        return tr("Positives");
    case TauOrK:
        return tr("τ or k");
    case Preset:
        return tr("Preset");
    case Epochs:
        return tr("Epochs");
    case Batch:
        return tr("Batch");
    case BestLinear:
        return tr("Best linear");
    case BestKnn:
        return tr("Best kNN");
    case ImagesPerSecond:
        return tr("Images/s");
    case Device:
        return tr("Device");
    case State:
        return tr("State");
    case Started:
        return tr("Started");
    case Note:
        return tr("Note");
    default:
        return {};
    }
}

} // namespace gps::ui
