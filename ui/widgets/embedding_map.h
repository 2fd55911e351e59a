#pragma once
/// A 2-D map of a sample of an embedding (eval::Map2d) as a scatter plot: one colour per class
/// with the class names in the legend, and, drawn over the sample in larger distinct markers,
/// the selected anchor, its candidates within τ and its drawn positive. A click on a point
/// emits anchorClicked with that point's dataset index; hovering shows the index and class.
/// Wheel zooms and dragging pans; a click that did not drag picks.
///
/// The points are set once per computed map; highlights are only restyled, never recomputed,
/// and their replots are coalesced (one 40 ms single-shot timer, none while hidden), so
/// following the inspector's τ slider costs at most 25 replots a second.

#include <QHash>
#include <QList>
#include <QPointF>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QMouseEvent;
class QTimer;

namespace gps::ui {

class EmbeddingMap : public QWidget {
    Q_OBJECT

public:
    /// Nearest point within this many pixels of a click or the mouse is picked.
    static constexpr double kPickRadius = 8.0;

    explicit EmbeddingMap(QWidget* parent = nullptr);

    /// The map: dataset index of point i, its position (x, y pairs) and its class (one per
    /// point, negative = unlabelled; empty = none); `classNames[c]` names class c in the legend.
    void setPoints(std::vector<qint64> indices, std::vector<float> xy, std::vector<int> labels,
                   const QStringList& classNames);
    void clear();
    /// The anchor (-1: none), its candidates and the drawn positive (-1: none) in dataset
    /// indices. Those not in the sample are not drawn.
    void setHighlight(qint64 anchor, const std::vector<qint64>& candidates, qint64 positive);

    qsizetype pointCount() const { return qsizetype(m_indices.size()); }
    /// The plot that receives the mouse; pixelOf and pick use its coordinates.
    QWidget* canvas() const;
    /// Where the point of `datasetIndex` is drawn on the canvas; nullopt when it is not on the
    /// map.
    std::optional<QPointF> pixelOf(qint64 datasetIndex) const;
    /// The dataset index of the point nearest `pixel` (canvas coordinates) within kPickRadius,
    /// or -1.
    qint64 pick(QPointF pixel) const;
    /// What the last setHighlight drew (tests): candidates on the map, anchor and positive.
    int shownCandidates() const;
    bool anchorShown() const;
    bool positiveShown() const;
    QStringList legendNames() const;

Q_SIGNALS:
    void anchorClicked(qint64 datasetIndex);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void rebuildHighlight();
    qsizetype rowOf(qint64 datasetIndex) const;
    QPointF pixelOfRow(qsizetype row) const;

    std::vector<qint64> m_indices;
    QHash<qint64, qsizetype> m_rowOf; // dataset index → point
    std::vector<float> m_xy;
    std::vector<int> m_labels;
    QStringList m_classNames;
    qint64 m_anchor = -1;
    std::vector<qint64> m_candidates;
    qint64 m_positive = -1;

    QCustomPlot* m_plot = nullptr;
    QTimer* m_replotTimer = nullptr;
    QList<QCPGraph*> m_classGraphs;
    QCPGraph* m_candidateGraph = nullptr;
    QCPGraph* m_positiveGraph = nullptr;
    QCPGraph* m_anchorGraph = nullptr;
    QPointF m_pressAt;
    bool m_pressed = false;
};

} // namespace gps::ui
