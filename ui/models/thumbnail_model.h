#pragma once
/// The images of one dataset split as a list model for the thumbnail grid, with an optional
/// class filter (rows map to dataset indices).
///
/// Thumbnails are made on demand and kept in a bounded cache. For datasets held in memory
/// (block() != nullptr) they are made on the GUI thread, which is a copy and a scale. For lazy
/// datasets (image folders decode files) they are made on a worker thread in small batches,
/// most recently requested first; a placeholder is shown meanwhile and dataChanged announces
/// the real image. The GUI thread never calls image() on a lazy dataset.

#include "data/dataset.h"

#include <QAbstractListModel>
#include <QCache>
#include <QImage>
#include <QSet>

#include <cstddef>
#include <vector>

namespace gps::ui {

class JobRunner;

class ThumbnailModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        DatasetIndexRole = Qt::UserRole + 1, ///< qulonglong: the image's index in the dataset
        ClassRole,                           ///< int: the class, or data::kNoLabel
    };
    static constexpr int kThumbnailSide = 64; ///< px; every DecorationRole image is this square
    static constexpr int kAllClasses = -1;

    explicit ThumbnailModel(QObject* parent = nullptr);
    ~ThumbnailModel() override;

    /// Shows `dataset` (nullptr clears), with the class filter reset to all classes.
    void setDataset(data::DatasetPtr dataset);
    const data::DatasetPtr& dataset() const { return m_dataset; }

    /// Keeps only images of class `classIndex` (kAllClasses for every image).
    void setClassFilter(int classIndex);
    int classFilter() const { return m_classFilter; }
    /// Images per class, indexed by class (empty for unlabelled datasets).
    const std::vector<std::size_t>& classCounts() const { return m_classCounts; }

    /// The dataset index shown in `row`; row must be in [0, rowCount()).
    std::size_t datasetIndex(int row) const;
    /// The row showing dataset image `index`, or -1 when it is filtered out or out of range.
    int rowOf(std::size_t index) const;

    /// Lazy thumbnails requested but not yet delivered (for tests and a busy hint).
    int pendingThumbnails() const { return int(m_queued.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// A lazy image could not be decoded (its tile stays blank); the message names the image.
    void thumbnailFailed(const QString& message);

private:
    QImage thumbnail(std::size_t index) const;
    void requestLazyThumbnail(std::size_t index) const;
    void startLazyBatches();
    void acceptBatch(const QVariant& value);

    data::DatasetPtr m_dataset;
    bool m_lazy = false;
    int m_classFilter = kAllClasses;
    std::vector<std::size_t> m_filteredRows; // ascending dataset indices when filtering
    std::vector<std::size_t> m_classCounts;

    // Caches are filled from const data(): they are not part of the model's observable state.
    mutable QCache<std::size_t, QImage> m_cache;
    mutable std::vector<std::size_t> m_wanted; // lazy requests, newest last
    mutable QSet<std::size_t> m_queued;        // in m_wanted or being made
    mutable bool m_batchScheduled = false;
    JobRunner* m_jobs = nullptr;
    int m_batchesInFlight = 0;
    quint64 m_generation = 0; // bumped by setDataset so late batches of an old dataset are dropped
    QImage m_placeholder;
};

} // namespace gps::ui
