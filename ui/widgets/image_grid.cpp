#include "widgets/image_grid.h"

#include "image_convert.h"

#include <QPaintEvent>
#include <QPainter>

#include <algorithm>

namespace gps::ui {

namespace {
constexpr int kSpacing = 8; // between cells and around the grid
constexpr int kPadding = 4; // inside a cell, around the image
// The thumbnail grid's backdrop (style.qss): images read best on a neutral mid-dark grey.
const QColor kBackdrop(0x3c, 0x3f, 0x41);
// Red reads as "wrong" on both the light and the dark palette; the badge keeps it readable
// for red-blind users, who see the shape rather than the hue.
const QColor kFlag(0xd6, 0x30, 0x31);
constexpr int kBadge = 14; // side of the corner badge, px
} // namespace

ImageGrid::ImageGrid(QWidget* parent) : QWidget(parent) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ImageGrid::setTiles(const QList<Tile>& tiles) {
    m_source = tiles;
    rebuildPixmaps();
}

void ImageGrid::clear() {
    setTiles({});
}

void ImageGrid::setTileSide(int side) {
    m_tileSide = std::max(16, side);
    rebuildPixmaps();
}

void ImageGrid::setPlaceholderText(const QString& text) {
    m_placeholder = text;
    update();
}

void ImageGrid::rebuildPixmaps() {
    m_tiles.clear();
    for (const Tile& tile : std::as_const(m_source))
        m_tiles.push_back({QPixmap::fromImage(scaledCrisp(tile.image, m_tileSide)), tile.caption,
                           tile.highlighted, tile.flagged});
    updateGeometry();
    update();
}

QSize ImageGrid::cellSize() const {
    const int captionHeight = fontMetrics().height() + kPadding;
    return {m_tileSide + 2 * kPadding, m_tileSide + 2 * kPadding + captionHeight};
}

int ImageGrid::columnsFor(int width) const {
    const int cellWidth = cellSize().width() + kSpacing;
    return std::max(1, (width - kSpacing) / cellWidth);
}

int ImageGrid::heightForWidth(int width) const {
    if (m_tiles.isEmpty())
        return cellSize().height() + 2 * kSpacing;
    const int columns = columnsFor(width);
    const int rows = int((m_tiles.size() + columns - 1) / columns);
    return kSpacing + rows * (cellSize().height() + kSpacing);
}

QSize ImageGrid::sizeHint() const {
    const int width = kSpacing + 4 * (cellSize().width() + kSpacing);
    return {width, heightForWidth(width)};
}

QSize ImageGrid::minimumSizeHint() const {
    const QSize cell = cellSize();
    return {cell.width() + 2 * kSpacing, cell.height() + 2 * kSpacing};
}

void ImageGrid::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    if (m_tiles.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(kSpacing, kSpacing, -kSpacing, -kSpacing),
                         Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const QSize cell = cellSize();
    const int columns = columnsFor(width());
    for (int i = 0; i < m_tiles.size(); ++i) {
        const QRect cellRect(kSpacing + (i % columns) * (cell.width() + kSpacing),
                             kSpacing + (i / columns) * (cell.height() + kSpacing), cell.width(),
                             cell.height());
        if (!event->rect().intersects(cellRect))
            continue;
        const ShownTile& tile = m_tiles[i];
        if (tile.highlighted) {
            painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(QRectF(cellRect).adjusted(1, 1, -1, -1), 4, 4);
        }
        if (tile.flagged) {
            painter.setPen(QPen(kFlag, 3));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(QRectF(cellRect).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4);
        }
        const QSize shown = tile.pixmap.deviceIndependentSize().toSize();
        const QRect imageArea(cellRect.x() + kPadding, cellRect.y() + kPadding, m_tileSide,
                              m_tileSide);
        const QPoint topLeft(imageArea.x() + (m_tileSide - shown.width()) / 2,
                             imageArea.y() + (m_tileSide - shown.height()) / 2);
        painter.fillRect(imageArea, kBackdrop);
        painter.drawPixmap(topLeft, tile.pixmap);
        if (tile.flagged) {
            const QRect badge(imageArea.right() - kBadge + 1, imageArea.top(), kBadge, kBadge);
            painter.fillRect(badge, kFlag);
            painter.setPen(QPen(Qt::white, 2));
            painter.drawLine(badge.topLeft() + QPoint(3, 3), badge.bottomRight() - QPoint(3, 3));
            painter.drawLine(badge.topRight() + QPoint(-3, 3), badge.bottomLeft() + QPoint(3, -3));
        }

        const QRect captionRect(cellRect.x() + kPadding, imageArea.bottom() + kPadding,
                                cellRect.width() - 2 * kPadding, fontMetrics().height());
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(
            captionRect, Qt::AlignHCenter | Qt::AlignTop,
            fontMetrics().elidedText(tile.caption, Qt::ElideRight, captionRect.width()));
    }
}

} // namespace gps::ui
