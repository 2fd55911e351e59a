// LivePlot's view: the ranges that hold every point, the value labels of evaluation points, the
// reference lines, the x axis's ticker, and the mouse (crosshair, pan, zoom, reset).

#include "widgets/live_plot.h"

#include <QEvent>
#include <QMouseEvent>

#include "widgets/qcustomplot_include.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gps::ui {

namespace {

struct Span {
    double lower = std::numeric_limits<double>::infinity();
    double upper = -std::numeric_limits<double>::infinity();
    bool valid() const { return lower <= upper; }
    void take(double value) {
        if (std::isfinite(value)) {
            lower = std::min(lower, value);
            upper = std::max(upper, value);
        }
    }
    void take(const QCPRange& range) {
        take(range.lower);
        take(range.upper);
    }
};

/// `span` widened by `share` of its width on each side; a single value gets a width of its own
/// so that it sits inside the axis, not on its edge.
QCPRange padded(const Span& span, double share, bool logScale) {
    if (logScale) {
        const double lower = span.lower > 0 ? span.lower : 1e-6;
        const double upper = std::max(span.upper, lower);
        return {lower / 1.25, upper * 1.25};
    }
    double width = span.upper - span.lower;
    if (width <= 0)
        width = span.upper != 0 ? std::abs(span.upper) * 0.2 : 1.0;
    return {span.lower - share * width, span.upper + share * width};
}

QString xText(report::XAxis axis, double x) {
    switch (axis) {
    case report::XAxis::Step:
        return QObject::tr("step %1").arg(qint64(std::llround(x)));
    case report::XAxis::Epoch:
        return QObject::tr("epoch %1").arg(x, 0, 'f', 2);
    case report::XAxis::Time:
        break;
    }
    const qint64 seconds = qint64(std::llround(std::max(0.0, x)));
    return QObject::tr("time %1:%2:%3")
        .arg(seconds / 3600)
        .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

void LivePlot::setupInteraction() {
    m_crosshair = new QCPItemStraightLine(m_plot);
    m_crosshair->setPen(QPen(QColor(90, 90, 90, 160), 1, Qt::DotLine));
    // x in the data's units, y across the whole axis rect whatever its scale.
    for (QCPItemPosition* end : {m_crosshair->point1, m_crosshair->point2})
        end->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_crosshair->setVisible(false);
    m_crosshairText = new QCPItemText(m_plot);
    m_crosshairText->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_crosshairText->position->setCoords(0.01, 0.02);
    m_crosshairText->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_crosshairText->setTextAlignment(Qt::AlignLeft);
    m_crosshairText->setBrush(QColor(255, 255, 255, 225));
    m_crosshairText->setPen(QPen(QColor(160, 160, 160)));
    m_crosshairText->setPadding(QMargins(4, 2, 4, 2));
    m_crosshairText->setVisible(false);
    m_plot->installEventFilter(this);
    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        if (event->buttons() & Qt::LeftButton)
            m_userView = true; // a drag pans: the ranges are the user's now
        showCrosshair(event);
    });
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_userView = true; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
}

void LivePlot::setLeftLog(bool on) {
    if (m_leftLog == on)
        return;
    m_leftLog = on;
    m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    m_plot->yAxis->setTicker(on ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                                : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    redrawAll(); // points ≤ 0 leave or come back
    resetView();
}

void LivePlot::setXAxis(report::XAxis axis) {
    m_xAxis = axis;
    if (axis == report::XAxis::Time) {
        QSharedPointer<QCPAxisTickerTime> ticker(new QCPAxisTickerTime);
        ticker->setTimeFormat(QStringLiteral("%h:%m:%s"));
        m_plot->xAxis->setTicker(ticker);
    } else {
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    m_plot->xAxis->setLabel(axis == report::XAxis::Step    ? tr("step")
                            : axis == report::XAxis::Epoch ? tr("epoch")
                                                           : tr("training time (h:m:s)"));
    redrawAll();
    resetView();
}

void LivePlot::setPresentation(bool on) {
    m_presentation = on;
    QFont font = this->font();
    if (on)
        font.setPointSizeF(font.pointSizeF() * 1.5);
    m_plot->legend->setFont(font);
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis, m_plot->yAxis2}) {
        axis->setLabelFont(font);
        axis->setTickLabelFont(font);
    }
    m_crosshairText->setFont(font);
    for (Line& line : m_lines)
        applyPens(line);
    redrawAll(); // the value labels take the new font
}

void LivePlot::setReference(const QString& name, std::optional<double> value, const QColor& colour,
                            const QString& label, Qt::PenStyle pen) {
    auto it = std::find_if(m_references.begin(), m_references.end(),
                           [&](const Reference& r) { return r.name == name; });
    if (!value || !std::isfinite(*value)) {
        if (it != m_references.end()) {
            m_plot->removeItem(it->line);
            m_plot->removeItem(it->label);
            m_references.erase(it);
            scheduleUpdate();
        }
        return;
    }
    if (it == m_references.end()) {
        Reference added{name, new QCPItemStraightLine(m_plot), new QCPItemText(m_plot), 0};
        added.label->setPositionAlignment(Qt::AlignBottom | Qt::AlignLeft);
        added.label->setClipToAxisRect(true);
        it = m_references.insert(m_references.end(), added);
    }
    it->value = *value;
    it->line->setPen(QPen(colour, m_presentation ? 2.5 : 1.5, pen));
    it->label->setColor(colour);
    it->label->setText(label);
    scheduleUpdate();
}

void LivePlot::updateReferences() {
    const QCPRange x = m_plot->xAxis->range();
    // Lines close in value would print their labels over each other: each gets its own stretch.
    double at = 0.01;
    for (Reference& reference : m_references) {
        reference.line->point1->setCoords(x.lower, reference.value);
        reference.line->point2->setCoords(x.upper, reference.value);
        reference.label->position->setCoords(x.lower + at * x.size(), reference.value);
        at += 0.32;
    }
}

void LivePlot::updateValueLabels(Line& line, const QVector<double>& xs, const QVector<double>& ys) {
    if (!line.style.labelValues)
        return;
    while (line.labels.size() > std::size_t(xs.size())) {
        m_plot->removeItem(line.labels.back());
        line.labels.pop_back();
    }
    while (line.labels.size() < std::size_t(xs.size())) {
        auto* label = new QCPItemText(m_plot);
        label->setPositionAlignment((line.style.labelBelow ? Qt::AlignTop : Qt::AlignBottom) |
                                    Qt::AlignHCenter);
        label->setClipToAxisRect(true);
        line.labels.push_back(label);
    }
    QFont font = m_plot->legend->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    for (int i = 0; i < xs.size(); ++i) {
        QCPItemText* label = line.labels[std::size_t(i)];
        label->position->setCoords(xs[i], ys[i]);
        const int gap = m_presentation ? 8 : 5;
        label->setPadding(line.style.labelBelow ? QMargins(0, gap, 0, 0) : QMargins(0, 0, 0, gap));
        label->setColor(line.style.colour.darker(130));
        label->setFont(font);
        label->setText(QStringLiteral("%1 %").arg(100.0 * ys[i], 0, 'f', 1));
    }
}

void LivePlot::rescale() {
    Span x, left, right;
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        QCPGraph* graph = m_plot->graph(i);
        if (graph->dataCount() == 0)
            continue;
        bool found = false;
        const QCPRange keys = graph->getKeyRange(found);
        if (found)
            x.take(keys);
        const QCPRange values = graph->getValueRange(found, QCP::sdBoth);
        if (found)
            (graph->valueAxis() == m_plot->yAxis2 ? right : left).take(values);
    }
    for (const Reference& reference : m_references)
        left.take(reference.value);
    if (x.valid())
        m_plot->xAxis->setRange(padded(x, 0.03, false)); // markers at the ends stay whole
    if (m_leftRange)
        m_plot->yAxis->setRange(m_leftRange->first, m_leftRange->second);
    else if (left.valid())
        m_plot->yAxis->setRange(padded(left, 0.08, m_leftLog));
    if (right.valid()) {
        QCPRange range = padded(right, 0.08, false);
        if (right.lower >= 0) // a learning rate is never negative: neither is its axis
            range.lower = std::max(0.0, range.lower);
        m_plot->yAxis2->setRange(range);
    }
}

void LivePlot::resetView() {
    m_userView = false;
    scheduleUpdate();
}

QString LivePlot::valuesAt(double x) const {
    QStringList rows;
    for (const Line& line : m_lines) {
        const auto data = line.graph->data();
        if (data->isEmpty())
            continue;
        auto it = data->findBegin(x, false);
        if (it == data->constEnd() ||
            (it != data->constBegin() && std::abs((it - 1)->key - x) < std::abs(it->key - x)))
            --it;
        const bool accuracy = m_leftRange && line.style.axis == Axis::Left;
        const QString value = accuracy ? QStringLiteral("%1 %").arg(100.0 * it->value, 0, 'f', 1)
                                       : QString::number(it->value, 'g', 4);
        const QString name =
            line.run.isEmpty() ? line.series : line.runLabel + QStringLiteral(": ") + line.series;
        rows << QStringLiteral("%1  %2").arg(name, value);
    }
    if (rows.isEmpty())
        return {};
    return xText(m_xAxis, x) + QLatin1Char('\n') + rows.join(QLatin1Char('\n'));
}

void LivePlot::showCrosshair(QMouseEvent* event) {
    if (!m_plot->axisRect()->rect().contains(event->pos())) {
        hideCrosshair();
        return;
    }
    const double x = m_plot->xAxis->pixelToCoord(event->pos().x());
    const QString text = valuesAt(x);
    m_crosshair->point1->setCoords(x, 0);
    m_crosshair->point2->setCoords(x, 1);
    m_crosshair->setVisible(!text.isEmpty());
    m_crosshairText->setText(text);
    m_crosshairText->setVisible(!text.isEmpty());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LivePlot::hideCrosshair() {
    if (!m_crosshair->visible())
        return;
    m_crosshair->setVisible(false);
    m_crosshairText->setVisible(false);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool LivePlot::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_plot && event->type() == QEvent::Leave)
        hideCrosshair();
    return QWidget::eventFilter(watched, event);
}

} // namespace gps::ui
