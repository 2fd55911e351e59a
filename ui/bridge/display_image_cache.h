#pragma once
/// Dataset images for display, for widgets that show a few images at a time (the neighbour
/// inspector's candidates). An in-memory dataset of small images is converted on the spot; any
/// other dataset (an image folder decodes on every read) is read on a JobRunner: image() hands
/// out a placeholder, the rows asked for in one event-loop pass are read together, and ready()
/// says when to ask again. The GUI thread never decodes.
///
/// GUI thread only. Read images larger than `maxSide` are scaled down to it before they are
/// kept, and at most kCapacity are kept, so the cache stays small whatever the images' size.

#include "data/dataset.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QObject>

class QTimer;

namespace gps::ui {

class JobRunner;

class DisplayImageCache : public QObject {
    Q_OBJECT

public:
    static constexpr int kCapacity = 512;

    explicit DisplayImageCache(int maxSide, QObject* parent = nullptr);
    ~DisplayImageCache() override;

    /// Forgets every image and any read under way; null clears.
    void setDataset(data::DatasetPtr dataset);
    /// Image `row` of the dataset for display, or placeholderThumbnail() while it is being read
    /// (a read is queued; ready() follows). A row that fails to read stays a placeholder.
    QImage image(qint64 row);
    /// True while rows asked for are not yet read.
    bool isLoading() const;

Q_SIGNALS:
    /// Rows asked for have been read: ask image() again.
    void ready();

private:
    void startRead();

    data::DatasetPtr m_dataset;
    bool m_cheap = false;
    int m_maxSide;
    QHash<qint64, QImage> m_images;
    QList<qint64> m_wanted;   ///< asked for since the last read started, not held
    QList<qint64> m_inFlight; ///< rows of the read under way
    JobRunner* m_jobs = nullptr;
    quint64 m_job = 0;
    QTimer* m_batch = nullptr;
};

} // namespace gps::ui
