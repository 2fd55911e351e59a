#pragma once
/// A wrapping grid of captioned images, for the augmentation preview and the neighbour inspector.
/// Small images are scaled up by whole factors with nearest-neighbour sampling so their pixels stay
/// sharp. The grid reports its height for a width, so it sits in a QScrollArea with widgetResizable
/// set.

#include <QImage>
#include <QList>
#include <QPixmap>
#include <QWidget>

namespace gps::ui {

class ImageGrid : public QWidget {
    Q_OBJECT

public:
    struct Tile {
        QImage image;
        QString caption;
        bool highlighted = false; ///< drawn with a frame (the original among its views)
        bool flagged = false; ///< drawn with a red frame and badge (a neighbour of another class)
    };

    explicit ImageGrid(QWidget* parent = nullptr);

    void setTiles(const QList<Tile>& tiles);
    void clear();
    int count() const { return int(m_tiles.size()); }
    QString caption(int i) const { return m_tiles.at(i).caption; }
    bool isHighlighted(int i) const { return m_tiles.at(i).highlighted; }
    bool isFlagged(int i) const { return m_tiles.at(i).flagged; }
    /// The image given for tile i, before scaling.
    QImage image(int i) const { return m_source.at(i).image; }
    /// The image as shown (after scaling) in tile i.
    QSize shownSize(int i) const { return m_tiles.at(i).pixmap.deviceIndependentSize().toSize(); }

    /// Side of the square each image is fitted into, in px.
    void setTileSide(int side);
    int tileSide() const { return m_tileSide; }
    /// Text shown while the grid is empty.
    void setPlaceholderText(const QString& text);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct ShownTile {
        QPixmap pixmap;
        QString caption;
        bool highlighted = false;
        bool flagged = false;
    };
    QSize cellSize() const;
    int columnsFor(int width) const;
    void rebuildPixmaps();

    QList<Tile> m_source;
    QList<ShownTile> m_tiles;
    int m_tileSide = 112;
    QString m_placeholder;
};

} // namespace gps::ui
