#include "models/thumbnail_model.h"

#include "bridge/job_runner.h"
#include "dataset_text.h"
#include "image_convert.h"

#include <QList>
#include <QTimer>

#include <algorithm>
#include <exception>

namespace gps::ui {

namespace {

constexpr int kCacheKiB = 48 * 1024;    // about 3,000 thumbnails of 64×64 ARGB
constexpr std::size_t kBatchSize = 24;  // images decoded per worker job
constexpr int kMaxBatchesInFlight = 2;  // keeps a core free for the GUI
constexpr std::size_t kMaxWanted = 600; // older requests are forgotten (scrolled past)

int costKiB(const QImage& image) {
    return std::max<int>(1, int(image.sizeInBytes() / 1024));
}

struct ThumbnailBatch {
    quint64 generation = 0;
    std::vector<std::size_t> indices;
    QList<QImage> images; // null where the image could not be decoded
    QString firstError;   // what went wrong with the first image that could not be decoded
};

} // namespace

} // namespace gps::ui

Q_DECLARE_METATYPE(gps::ui::ThumbnailBatch)

namespace gps::ui {

ThumbnailModel::ThumbnailModel(QObject* parent)
    : QAbstractListModel(parent), m_cache(kCacheKiB),
      m_jobs(new JobRunner(this, kMaxBatchesInFlight)),
      m_placeholder(placeholderThumbnail(kThumbnailSide)) {
    connect(m_jobs, &JobRunner::succeeded, this, [this](quint64, const QVariant& value) {
        --m_batchesInFlight;
        acceptBatch(value);
        startLazyBatches();
    });
    // The batch body catches per image, so these only follow a cancel or an unexpected failure.
    connect(m_jobs, &JobRunner::failed, this, [this](quint64, const QString&) {
        --m_batchesInFlight;
        startLazyBatches();
    });
    connect(m_jobs, &JobRunner::cancelled, this, [this](quint64) {
        --m_batchesInFlight;
        startLazyBatches();
    });
}

ThumbnailModel::~ThumbnailModel() = default;

void ThumbnailModel::setDataset(data::DatasetPtr dataset) {
    beginResetModel();
    m_jobs->cancelAll();
    ++m_generation;
    m_dataset = std::move(dataset);
    m_lazy = m_dataset && m_dataset->block() == nullptr;
    m_classFilter = kAllClasses;
    m_filteredRows.clear();
    m_classCounts.clear();
    m_cache.clear();
    m_wanted.clear();
    m_queued.clear();
    if (m_dataset && m_dataset->labelled()) {
        m_classCounts.assign(m_dataset->classNames().size(), 0);
        for (std::size_t i = 0; i < m_dataset->size(); ++i) {
            const int label = m_dataset->label(i);
            if (label >= 0 && std::size_t(label) < m_classCounts.size())
                ++m_classCounts[std::size_t(label)];
        }
    }
    endResetModel();
}

void ThumbnailModel::setClassFilter(int classIndex) {
    if (classIndex == m_classFilter)
        return;
    beginResetModel();
    m_classFilter = classIndex;
    m_filteredRows.clear();
    if (m_dataset && classIndex != kAllClasses) {
        if (std::size_t(classIndex) < m_classCounts.size())
            m_filteredRows.reserve(m_classCounts[std::size_t(classIndex)]);
        for (std::size_t i = 0; i < m_dataset->size(); ++i)
            if (m_dataset->label(i) == classIndex)
                m_filteredRows.push_back(i);
    }
    endResetModel();
}

std::size_t ThumbnailModel::datasetIndex(int row) const {
    return m_classFilter == kAllClasses ? std::size_t(row) : m_filteredRows[std::size_t(row)];
}

int ThumbnailModel::rowOf(std::size_t index) const {
    if (!m_dataset || index >= m_dataset->size())
        return -1;
    if (m_classFilter == kAllClasses)
        return int(index);
    const auto it = std::lower_bound(m_filteredRows.begin(), m_filteredRows.end(), index);
    return it != m_filteredRows.end() && *it == index ? int(it - m_filteredRows.begin()) : -1;
}

int ThumbnailModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_dataset)
        return 0;
    return m_classFilter == kAllClasses ? int(m_dataset->size()) : int(m_filteredRows.size());
}

QVariant ThumbnailModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_dataset || index.row() >= rowCount())
        return {};
    const std::size_t datasetIdx = datasetIndex(index.row());
    switch (role) {
    case Qt::DecorationRole:
        return thumbnail(datasetIdx);
    case Qt::ToolTipRole:
        return QStringLiteral("Image %1\n%2")
            .arg(datasetIdx)
            .arg(classNameOf(*m_dataset, datasetIdx));
    case Qt::AccessibleTextRole:
        return QStringLiteral("Image %1").arg(datasetIdx);
    case DatasetIndexRole:
        return qulonglong(datasetIdx);
    case ClassRole:
        return m_dataset->label(datasetIdx);
    default:
        return {};
    }
}

QImage ThumbnailModel::thumbnail(std::size_t index) const {
    if (const QImage* cached = m_cache.object(index))
        return *cached;
    if (m_lazy) {
        requestLazyThumbnail(index);
        return m_placeholder;
    }
    QImage made = makeThumbnail(m_dataset->image(index), kThumbnailSide);
    m_cache.insert(index, new QImage(made), costKiB(made));
    return made;
}

void ThumbnailModel::requestLazyThumbnail(std::size_t index) const {
    if (m_queued.contains(index))
        return;
    m_wanted.push_back(index);
    m_queued.insert(index);
    if (m_wanted.size() > kMaxWanted) {
        // Drop the oldest requests; if those rows come back into view they are asked for again.
        const std::size_t drop = m_wanted.size() - kMaxWanted;
        for (std::size_t i = 0; i < drop; ++i)
            m_queued.remove(m_wanted[i]);
        m_wanted.erase(m_wanted.begin(), m_wanted.begin() + std::ptrdiff_t(drop));
    }
    if (!m_batchScheduled) {
        // data() is const and may be called mid-paint: start the work from the event loop.
        m_batchScheduled = true;
        auto* self = const_cast<ThumbnailModel*>(this);
        QTimer::singleShot(0, self, [self] {
            self->m_batchScheduled = false;
            self->startLazyBatches();
        });
    }
}

void ThumbnailModel::startLazyBatches() {
    while (m_dataset && m_lazy && !m_wanted.empty() && m_batchesInFlight < kMaxBatchesInFlight) {
        ThumbnailBatch batch;
        batch.generation = m_generation;
        // Newest requests first: they are the rows on screen now.
        while (!m_wanted.empty() && batch.indices.size() < kBatchSize) {
            batch.indices.push_back(m_wanted.back());
            m_wanted.pop_back();
        }
        ++m_batchesInFlight;
        m_jobs->start([dataset = m_dataset, batch](const JobContext& context) -> Result<QVariant> {
            ThumbnailBatch done = batch;
            for (std::size_t index : done.indices) {
                if (context.cancel.cancelled())
                    return makeError(ErrorCode::Cancelled, "thumbnails cancelled");
                QImage image;
                try {
                    image = makeThumbnail(dataset->image(index), kThumbnailSide);
                } catch (const std::exception& error) {
                    // One bad file must not blank the whole batch: report it, show a blank tile.
                    if (done.firstError.isEmpty())
                        done.firstError = QStringLiteral("Image %1: %2")
                                              .arg(index)
                                              .arg(QString::fromUtf8(error.what()));
                }
                done.images.push_back(image);
            }
            return QVariant::fromValue(done);
        });
    }
}

void ThumbnailModel::acceptBatch(const QVariant& value) {
    const auto batch = value.value<ThumbnailBatch>();
    if (batch.generation != m_generation)
        return;
    int firstRow = rowCount(), lastRow = -1;
    for (qsizetype i = 0; i < batch.images.size(); ++i) {
        const std::size_t index = batch.indices[std::size_t(i)];
        m_queued.remove(index);
        QImage image = batch.images[i].isNull() ? m_placeholder : batch.images[i];
        m_cache.insert(index, new QImage(image), costKiB(image));
        const int row = rowOf(index);
        if (row >= 0) {
            firstRow = std::min(firstRow, row);
            lastRow = std::max(lastRow, row);
        }
    }
    if (lastRow >= 0)
        Q_EMIT dataChanged(this->index(firstRow), this->index(lastRow), {Qt::DecorationRole});
    if (!batch.firstError.isEmpty())
        Q_EMIT thumbnailFailed(batch.firstError);
}

} // namespace gps::ui
