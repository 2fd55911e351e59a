#pragma once
/// A strip of positive pairs, one column per pair: the view of the anchor above the view of its
/// positive, a caption below, and a red frame with a corner badge on a pair whose positive has
/// another class. Small images are scaled up by whole factors so their pixels stay sharp. The
/// strip is one row wide; it sits in a horizontally scrolling QScrollArea.

#include <QImage>
#include <QList>
#include <QPixmap>
#include <QWidget>

namespace gps::ui {

class PositivePairsView : public QWidget {
    Q_OBJECT

public:
    struct Pair {
        QImage anchorView;
        QImage positiveView;
        QString caption;
        bool flagged = false; ///< the positive has another class than the anchor
    };

    explicit PositivePairsView(QWidget* parent = nullptr);

    void setPairs(const QList<Pair>& pairs);
    void clear();
    int count() const { return int(m_pairs.size()); }
    QString caption(int i) const { return m_pairs.at(i).caption; }
    bool isFlagged(int i) const { return m_pairs.at(i).flagged; }
    /// The images given for pair i, before scaling.
    QImage anchorView(int i) const { return m_pairs.at(i).anchorView; }
    QImage positiveView(int i) const { return m_pairs.at(i).positiveView; }

    /// Side of the square each view is fitted into, in px.
    void setTileSide(int side);
    int tileSide() const { return m_tileSide; }
    /// Text shown while the strip is empty.
    void setPlaceholderText(const QString& text);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QSize cellSize() const;
    int gutterWidth() const;
    void rebuildPixmaps();

    QList<Pair> m_pairs;
    QList<QPixmap> m_anchorPixmaps;
    QList<QPixmap> m_positivePixmaps;
    int m_tileSide = 56;
    QString m_placeholder;
};

} // namespace gps::ui
