#include "bridge/display_image_cache.h"

#include "bridge/augment_preview.h"
#include "bridge/job_runner.h"
#include "image_convert.h"

#include <QTimer>

#include <algorithm>
#include <exception>

namespace gps::ui {

namespace {

using ImageRows = QHash<qint64, QImage>;

ImageRows readRows(const data::Dataset& dataset, const QList<qint64>& rows, int maxSide,
                   const CancelToken& cancel) {
    ImageRows images;
    for (const qint64 row : rows) {
        if (cancel.cancelled())
            break;
        QImage image;
        try {
            image = toQImage(dataset.image(std::size_t(row)));
        } catch (const std::exception&) {
            // The dataset records the unreadable file in its warnings; the tile stays neutral.
        }
        if (std::max(image.width(), image.height()) > maxSide)
            image = scaledCrisp(image, maxSide);
        images.insert(row, image);
    }
    return images;
}

} // namespace

DisplayImageCache::DisplayImageCache(int maxSide, QObject* parent)
    : QObject(parent), m_maxSide(std::max(1, maxSide)), m_jobs(new JobRunner(this, 1)),
      m_batch(new QTimer(this)) {
    // Rows asked for in one pass of the event loop (one redraw of a grid) are read as one job.
    m_batch->setSingleShot(true);
    m_batch->setInterval(0);
    connect(m_batch, &QTimer::timeout, this, &DisplayImageCache::startRead);
    connect(m_jobs, &JobRunner::succeeded, this, [this](quint64 job, const QVariant& value) {
        if (job != m_job)
            return;
        m_job = 0;
        m_inFlight.clear();
        const auto images = value.value<ImageRows>();
        if (m_images.size() + images.size() > kCapacity)
            m_images.clear();
        for (auto it = images.constBegin(); it != images.constEnd(); ++it)
            m_images.insert(it.key(),
                            it.value().isNull() ? placeholderThumbnail(m_maxSide) : it.value());
        Q_EMIT ready();
    });
    connect(m_jobs, &JobRunner::failed, this, [this](quint64 job, const QString&) {
        if (job != m_job)
            return;
        m_job = 0;
        for (const qint64 row : std::as_const(m_inFlight)) // not asked for again and again
            m_images.insert(row, placeholderThumbnail(m_maxSide));
        m_inFlight.clear();
        Q_EMIT ready();
    });
}

DisplayImageCache::~DisplayImageCache() = default;

void DisplayImageCache::setDataset(data::DatasetPtr dataset) {
    if (m_job != 0)
        m_jobs->cancel(m_job);
    m_job = 0;
    m_batch->stop();
    m_images.clear();
    m_wanted.clear();
    m_inFlight.clear();
    m_dataset = std::move(dataset);
    m_cheap = m_dataset && previewIsCheap(*m_dataset);
}

QImage DisplayImageCache::image(qint64 row) {
    if (!m_dataset || row < 0 || std::size_t(row) >= m_dataset->size())
        return {};
    if (m_cheap)
        return toQImage(m_dataset->image(std::size_t(row)));
    const auto held = m_images.constFind(row);
    if (held != m_images.constEnd())
        return *held;
    if (!m_wanted.contains(row))
        m_wanted.push_back(row);
    m_batch->start();
    const data::ImageShape shape = m_dataset->shape();
    return placeholderThumbnail(std::clamp(std::max(shape.height, shape.width), 1, m_maxSide));
}

bool DisplayImageCache::isLoading() const {
    return m_job != 0 || m_batch->isActive();
}

void DisplayImageCache::startRead() {
    const bool covered = m_job != 0 && std::all_of(m_wanted.begin(), m_wanted.end(), [&](qint64 r) {
                             return m_inFlight.contains(r);
                         });
    if (m_wanted.isEmpty() || covered) {
        m_wanted.clear();
        return;
    }
    if (m_job != 0)
        m_jobs->cancel(m_job); // the grid moved on: read only what it shows now
    m_inFlight = std::exchange(m_wanted, {});
    m_job = m_jobs->start([dataset = m_dataset, rows = m_inFlight,
                           maxSide = m_maxSide](const JobContext& context) -> Result<QVariant> {
        return QVariant::fromValue(readRows(*dataset, rows, maxSide, context.cancel));
    });
}

} // namespace gps::ui
