#include "widgets/embedding_map.h"

#include <QEvent>
#include <QMouseEvent>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include "widgets/qcustomplot_include.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace gps::ui {

namespace {

constexpr int kCoalesceMs = 40;
constexpr double kClickSlop = 4.0; // px a press may move and still be a click, not a drag
constexpr int kMaxLegendClasses = 20;
constexpr double kMargin = 0.05; // of the data's extent, around it

// Ten well-separated colours (Tableau's), then evenly spaced hues for more classes.
QColor classColour(int label, int classes) {
    static const QColor kTen[] = {{0x1f, 0x77, 0xb4}, {0xff, 0x7f, 0x0e}, {0x2c, 0xa0, 0x2c},
                                  {0xd6, 0x27, 0x28}, {0x94, 0x67, 0xbd}, {0x8c, 0x56, 0x4b},
                                  {0xe3, 0x77, 0xc2}, {0x7f, 0x7f, 0x7f}, {0xbc, 0xbd, 0x22},
                                  {0x17, 0xbe, 0xcf}};
    if (label < 0)
        return QColor(0xb0, 0xb0, 0xb0);
    if (classes <= 10)
        return kTen[label];
    return QColor::fromHsvF(float(label) / float(classes), 0.7f, 0.85f);
}

QCPGraph* markerGraph(QCustomPlot* plot, const QString& name, QCPScatterStyle style) {
    QCPGraph* graph = plot->addGraph();
    graph->setName(name);
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(style);
    return graph;
}

} // namespace

EmbeddingMap::EmbeddingMap(QWidget* parent) : QWidget(parent), m_replotTimer(new QTimer(this)) {
    m_replotTimer->setSingleShot(true);
    m_replotTimer->setInterval(kCoalesceMs);
    connect(m_replotTimer, &QTimer::timeout, this,
            [this] { m_plot->replot(QCustomPlot::rpQueuedReplot); });
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(u"embeddingMapPlot"_s);
    m_plot->setMinimumSize(260, 220);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(m_plot->font());
    // The legend beside the map, not over it: a map has no empty corner to spare.
    auto* legendColumn = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(0, 1, legendColumn);
    legendColumn->setMargins(QMargins(0, 5, 5, 5));
    legendColumn->addElement(0, 0, m_plot->legend);
    legendColumn->addElement(1, 0, new QCPLayoutElement(m_plot)); // pushes the legend up
    legendColumn->setRowStretchFactor(0, 0.001);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.001);
    // Map coordinates carry no unit: the axes only give the zoom a frame.
    m_plot->xAxis->setTickLabels(false);
    m_plot->yAxis->setTickLabels(false);
    m_plot->addLayer(u"highlights"_s, m_plot->layer(u"main"_s), QCustomPlot::limAbove);

    // Black outlines and fills no class colour uses, so the highlights stand out on any class.
    m_candidateGraph =
        markerGraph(m_plot, tr("candidates (d ≤ τ)"),
                    QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(40, 40, 40), 1.5),
                                    QBrush(QColor(255, 255, 255, 120)), 9));
    m_positiveGraph = markerGraph(
        m_plot, tr("drawn positive"),
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::black, 2), QBrush(Qt::white), 15));
    m_anchorGraph =
        markerGraph(m_plot, tr("anchor"),
                    QCPScatterStyle(QCPScatterStyle::ssStar, QPen(Qt::black, 4), Qt::NoBrush, 26));
    for (QCPGraph* graph : {m_candidateGraph, m_positiveGraph, m_anchorGraph})
        graph->setLayer(u"highlights"_s);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

QWidget* EmbeddingMap::canvas() const {
    return m_plot;
}

void EmbeddingMap::setPoints(std::vector<qint64> indices, std::vector<float> xy,
                             std::vector<int> labels, const QStringList& classNames) {
    m_indices = std::move(indices);
    m_xy = std::move(xy);
    m_labels = std::move(labels);
    m_classNames = classNames;
    m_xy.resize(2 * m_indices.size(), 0.0f);
    if (m_labels.size() != m_indices.size())
        m_labels.assign(m_indices.size(), -1);
    m_rowOf.clear();
    for (std::size_t i = 0; i < m_indices.size(); ++i)
        m_rowOf.insert(m_indices[i], qsizetype(i));

    for (QCPGraph* graph : std::as_const(m_classGraphs))
        m_plot->removeGraph(graph);
    m_classGraphs.clear();
    const int classes =
        std::max(int(classNames.size()),
                 m_labels.empty() ? 0 : *std::max_element(m_labels.begin(), m_labels.end()) + 1);
    QList<QVector<double>> keys(classes + 1), values(classes + 1); // last: unlabelled
    for (std::size_t i = 0; i < m_indices.size(); ++i) {
        const int group = m_labels[i] >= 0 ? m_labels[i] : classes;
        keys[group].push_back(m_xy[2 * i]);
        values[group].push_back(m_xy[2 * i + 1]);
    }
    for (int group = 0; group <= classes; ++group) {
        if (keys[group].isEmpty())
            continue;
        const bool unlabelled = group == classes;
        const QString name =
            unlabelled ? tr("unlabelled") : classNames.value(group, tr("class %1").arg(group));
        QCPGraph* graph =
            markerGraph(m_plot, name,
                        QCPScatterStyle(QCPScatterStyle::ssDisc,
                                        classColour(unlabelled ? -1 : group, classes), 5));
        graph->setData(keys[group], values[group]);
        if (classes > kMaxLegendClasses)
            graph->removeFromLegend();
        m_classGraphs.push_back(graph);
    }

    if (!m_indices.empty()) {
        float lo[2] = {std::numeric_limits<float>::max(), std::numeric_limits<float>::max()};
        float hi[2] = {std::numeric_limits<float>::lowest(), std::numeric_limits<float>::lowest()};
        for (std::size_t i = 0; i < m_xy.size(); ++i) {
            lo[i % 2] = std::min(lo[i % 2], m_xy[i]);
            hi[i % 2] = std::max(hi[i % 2], m_xy[i]);
        }
        for (int axis = 0; axis < 2; ++axis) {
            const double pad = std::max(double(hi[axis] - lo[axis]) * kMargin, 1e-6);
            (axis == 0 ? m_plot->xAxis : m_plot->yAxis)->setRange(lo[axis] - pad, hi[axis] + pad);
        }
    }
    rebuildHighlight();
    // Immediate: the new ranges are laid out before pixelOf and pick read them.
    m_plot->replot();
}

void EmbeddingMap::clear() {
    setPoints({}, {}, {}, {});
}

void EmbeddingMap::setHighlight(qint64 anchor, const std::vector<qint64>& candidates,
                                qint64 positive) {
    m_anchor = anchor;
    m_candidates = candidates;
    m_positive = positive;
    rebuildHighlight();
}

void EmbeddingMap::rebuildHighlight() {
    const auto place = [this](QCPGraph* graph, const std::vector<qint64>& indices) {
        QVector<double> keys, values;
        for (const qint64 index : indices) {
            const qsizetype row = rowOf(index);
            if (row < 0)
                continue;
            keys.push_back(m_xy[std::size_t(2 * row)]);
            values.push_back(m_xy[std::size_t(2 * row + 1)]);
        }
        graph->setData(keys, values);
    };
    place(m_candidateGraph, m_candidates);
    place(m_positiveGraph, {m_positive});
    place(m_anchorGraph, {m_anchor});
    // Highlights follow the τ slider: one replot per 40 ms at most, none while hidden.
    if (isVisible() && !m_replotTimer->isActive())
        m_replotTimer->start();
}

void EmbeddingMap::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

qsizetype EmbeddingMap::rowOf(qint64 datasetIndex) const {
    return m_rowOf.value(datasetIndex, -1);
}

QPointF EmbeddingMap::pixelOfRow(qsizetype row) const {
    return {m_plot->xAxis->coordToPixel(m_xy[std::size_t(2 * row)]),
            m_plot->yAxis->coordToPixel(m_xy[std::size_t(2 * row + 1)])};
}

std::optional<QPointF> EmbeddingMap::pixelOf(qint64 datasetIndex) const {
    const qsizetype row = rowOf(datasetIndex);
    if (row < 0)
        return std::nullopt;
    return pixelOfRow(row);
}

qint64 EmbeddingMap::pick(QPointF pixel) const {
    qint64 best = -1;
    double bestDistance = kPickRadius * kPickRadius;
    for (std::size_t i = 0; i < m_indices.size(); ++i) {
        const QPointF d = pixelOfRow(qsizetype(i)) - pixel;
        const double squared = QPointF::dotProduct(d, d);
        if (squared <= bestDistance) {
            bestDistance = squared;
            best = m_indices[i];
        }
    }
    return best;
}

int EmbeddingMap::shownCandidates() const {
    return m_candidateGraph->dataCount();
}

bool EmbeddingMap::anchorShown() const {
    return m_anchorGraph->dataCount() > 0;
}

bool EmbeddingMap::positiveShown() const {
    return m_positiveGraph->dataCount() > 0;
}

QStringList EmbeddingMap::legendNames() const {
    QStringList names;
    for (int i = 0; i < m_plot->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(m_plot->legend->item(i)))
            names.push_back(item->plottable()->name());
    return names;
}

bool EmbeddingMap::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_plot)
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        m_pressed = mouse->button() == Qt::LeftButton;
        m_pressAt = mouse->position();
        break;
    }
    case QEvent::MouseButtonRelease: {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        const bool click = m_pressed && mouse->button() == Qt::LeftButton &&
                           (mouse->position() - m_pressAt).manhattanLength() <= kClickSlop;
        m_pressed = false;
        if (click)
            if (const qint64 index = pick(mouse->position()); index >= 0)
                Q_EMIT anchorClicked(index);
        break;
    }
    case QEvent::MouseMove: {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        const qint64 index = pick(mouse->position());
        if (index < 0) {
            QToolTip::hideText();
            break;
        }
        const int label = m_labels[std::size_t(rowOf(index))];
        const QString cls =
            label >= 0 ? m_classNames.value(label, tr("class %1").arg(label)) : tr("unlabelled");
        QToolTip::showText(mouse->globalPosition().toPoint(), tr("#%1 — %2").arg(index).arg(cls),
                           m_plot);
        break;
    }
    default:
        break;
    }
    return false; // the plot still pans and zooms
}

} // namespace gps::ui
