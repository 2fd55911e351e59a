#include "widgets/positive_pairs_view.h"

#include "image_convert.h"

#include <QPaintEvent>
#include <QPainter>

#include <algorithm>

namespace gps::ui {

namespace {
constexpr int kSpacing = 8;      // between columns and around the strip
constexpr int kPadding = 4;      // inside a column, around the images
constexpr int kCaptionLines = 2; // "x' = #1234" / "(d = 0.81)" wrap onto two lines
// The same backdrop and flag colour as ImageGrid, so a red mark means the same in both.
const QColor kBackdrop(0x3c, 0x3f, 0x41);
const QColor kFlag(0xd6, 0x30, 0x31);
constexpr int kBadge = 14;
} // namespace

PositivePairsView::PositivePairsView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void PositivePairsView::setPairs(const QList<Pair>& pairs) {
    m_pairs = pairs;
    rebuildPixmaps();
}

void PositivePairsView::clear() {
    setPairs({});
}

void PositivePairsView::setTileSide(int side) {
    m_tileSide = std::max(16, side);
    rebuildPixmaps();
}

void PositivePairsView::setPlaceholderText(const QString& text) {
    m_placeholder = text;
    update();
}

void PositivePairsView::rebuildPixmaps() {
    m_anchorPixmaps.clear();
    m_positivePixmaps.clear();
    for (const Pair& pair : std::as_const(m_pairs)) {
        m_anchorPixmaps.push_back(QPixmap::fromImage(scaledCrisp(pair.anchorView, m_tileSide)));
        m_positivePixmaps.push_back(QPixmap::fromImage(scaledCrisp(pair.positiveView, m_tileSide)));
    }
    resize(sizeHint());
    updateGeometry();
    update();
}

int PositivePairsView::gutterWidth() const {
    return fontMetrics().horizontalAdvance(tr("DA(x')")) + kPadding;
}

QSize PositivePairsView::cellSize() const {
    // Wide enough for "x' = #12345" on one caption line.
    const int textWidth = fontMetrics().horizontalAdvance(QStringLiteral("x' = #00000"));
    const int width = std::max(m_tileSide, textWidth) + 2 * kPadding;
    const int height = 2 * m_tileSide + 3 * kPadding + kCaptionLines * fontMetrics().height();
    return {width, height};
}

QSize PositivePairsView::sizeHint() const {
    const QSize cell = cellSize();
    const int columns = std::max<qsizetype>(1, m_pairs.size());
    return {kSpacing + gutterWidth() + int(columns) * (cell.width() + kSpacing),
            cell.height() + 2 * kSpacing};
}

QSize PositivePairsView::minimumSizeHint() const {
    return sizeHint();
}

void PositivePairsView::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    if (m_pairs.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(kSpacing, kSpacing, -kSpacing, -kSpacing),
                         Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const QSize cell = cellSize();
    const int left = kSpacing + gutterWidth();
    // Row names in the gutter, centred on their row of views.
    painter.setPen(palette().color(QPalette::WindowText));
    const int gutter = gutterWidth() - kPadding;
    painter.drawText(QRect(kSpacing, kSpacing + kPadding, gutter, m_tileSide),
                     Qt::AlignRight | Qt::AlignVCenter, tr("DA(x)"));
    painter.drawText(QRect(kSpacing, kSpacing + 2 * kPadding + m_tileSide, gutter, m_tileSide),
                     Qt::AlignRight | Qt::AlignVCenter, tr("DA(x')"));

    for (int i = 0; i < m_pairs.size(); ++i) {
        const QRect cellRect(left + i * (cell.width() + kSpacing), kSpacing, cell.width(),
                             cell.height());
        if (!event->rect().intersects(cellRect))
            continue;
        if (m_pairs[i].flagged) {
            painter.setPen(QPen(kFlag, 3));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(QRectF(cellRect).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4);
        }
        const int imageX = cellRect.x() + (cell.width() - m_tileSide) / 2;
        const QRect top(imageX, cellRect.y() + kPadding, m_tileSide, m_tileSide);
        const QRect bottom(imageX, top.bottom() + 1 + kPadding, m_tileSide, m_tileSide);
        for (const auto& [area, pixmap] :
             {std::pair{top, &m_anchorPixmaps[i]}, std::pair{bottom, &m_positivePixmaps[i]}}) {
            painter.fillRect(area, kBackdrop);
            const QSize shown = pixmap->deviceIndependentSize().toSize();
            painter.drawPixmap(area.x() + (m_tileSide - shown.width()) / 2,
                               area.y() + (m_tileSide - shown.height()) / 2, *pixmap);
        }
        if (m_pairs[i].flagged) {
            const QRect badge(bottom.right() - kBadge + 1, bottom.top(), kBadge, kBadge);
            painter.fillRect(badge, kFlag);
            painter.setPen(QPen(Qt::white, 2));
            painter.drawLine(badge.topLeft() + QPoint(3, 3), badge.bottomRight() - QPoint(3, 3));
            painter.drawLine(badge.topRight() + QPoint(-3, 3), badge.bottomLeft() + QPoint(3, -3));
        }
        const QRect captionRect(cellRect.x() + kPadding, bottom.bottom() + 1 + kPadding,
                                cellRect.width() - 2 * kPadding,
                                kCaptionLines * fontMetrics().height());
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(captionRect, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
                         m_pairs[i].caption);
    }
}

} // namespace gps::ui
