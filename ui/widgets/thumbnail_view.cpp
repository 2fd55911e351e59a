#include "widgets/thumbnail_view.h"

#include "models/thumbnail_model.h"

#include <QItemSelectionModel>
#include <QPainter>
#include <QStyledItemDelegate>

namespace gps::ui {

namespace {

constexpr int kCellMargin = 6; // px around each thumbnail, so the selection frame shows

// Paints the thumbnail as it is: the default delegate would tint a selected icon with the
// highlight colour (hiding the image) and turn every QImage into a QIcon on each paint.
class ThumbnailDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        const QRect cell = option.rect;
        if (option.state & QStyle::State_Selected) {
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing);
            painter->setPen(Qt::NoPen);
            painter->setBrush(option.palette.brush(QPalette::Highlight));
            painter->drawRoundedRect(QRectF(cell).adjusted(1, 1, -1, -1), 4, 4);
            painter->restore();
        }
        const QImage image = index.data(Qt::DecorationRole).value<QImage>();
        painter->drawImage(QPoint(cell.x() + (cell.width() - image.width()) / 2,
                                  cell.y() + (cell.height() - image.height()) / 2),
                           image);
    }

    QSize sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const override {
        const int side = ThumbnailModel::kThumbnailSide + 2 * kCellMargin;
        return {side, side};
    }
};

} // namespace

ThumbnailView::ThumbnailView(QWidget* parent) : QListView(parent) {
    const int side = ThumbnailModel::kThumbnailSide;
    setViewMode(QListView::IconMode);
    setMovement(QListView::Static);
    setResizeMode(QListView::Adjust);
    setWrapping(true);
    setUniformItemSizes(true);
    setLayoutMode(QListView::Batched);
    setBatchSize(2000);
    setIconSize(QSize(side, side));
    setGridSize(QSize(side + 2 * kCellMargin, side + 2 * kCellMargin));
    setSpacing(0);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setDragEnabled(false);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setTextElideMode(Qt::ElideNone);
    setItemDelegate(new ThumbnailDelegate(this));
}

void ThumbnailView::setThumbnailModel(ThumbnailModel* model) {
    m_model = model;
    setModel(model);
    // A model reset (new dataset, new filter) drops the selection without currentChanged.
    connect(model, &QAbstractItemModel::modelReset, this,
            [this] { Q_EMIT currentImageChanged(-1); });
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
}

qint64 ThumbnailView::currentImage() const {
    const QModelIndex current = currentIndex();
    if (!m_model || !current.isValid())
        return -1;
    return qint64(m_model->datasetIndex(current.row()));
}

void ThumbnailView::selectImage(qint64 index) {
    if (!m_model)
        return;
    const int row = index < 0 ? -1 : m_model->rowOf(std::size_t(index));
    if (row < 0) {
        selectionModel()->clear(); // announces -1 through currentChanged if something was shown
        return;
    }
    const QModelIndex modelIndex = m_model->index(row);
    selectionModel()->setCurrentIndex(modelIndex, QItemSelectionModel::ClearAndSelect);
    scrollTo(modelIndex, QAbstractItemView::PositionAtCenter);
}

void ThumbnailView::onCurrentChanged(const QModelIndex& current) {
    Q_EMIT currentImageChanged(
        current.isValid() && m_model ? qint64(m_model->datasetIndex(current.row())) : qint64(-1));
}

} // namespace gps::ui
