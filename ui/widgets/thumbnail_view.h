#pragma once
/// The thumbnail grid: a QListView set up so that tens of thousands of images scroll smoothly.
/// Every cell has the same fixed size (uniform items, a fixed grid), layout is done in batches,
/// and only visible cells ask the model for a thumbnail.

#include <QListView>

namespace gps::ui {

class ThumbnailModel;

class ThumbnailView : public QListView {
    Q_OBJECT

public:
    explicit ThumbnailView(QWidget* parent = nullptr);

    void setThumbnailModel(ThumbnailModel* model);
    ThumbnailModel* thumbnailModel() const { return m_model; }

    /// The dataset index of the selected image, or -1.
    qint64 currentImage() const;
    /// Selects and scrolls to dataset image `index`; clears the selection when it is not shown.
    void selectImage(qint64 index);

Q_SIGNALS:
    /// The selected dataset image changed; -1 when nothing is selected.
    void currentImageChanged(qint64 index);

private:
    void onCurrentChanged(const QModelIndex& current);

    ThumbnailModel* m_model = nullptr;
};

} // namespace gps::ui
