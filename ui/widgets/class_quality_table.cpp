#include "widgets/class_quality_table.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gps::ui {

namespace {

QTableWidget* makeTable(QWidget* parent, const QString& name, const QStringList& headers) {
    auto* table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

QTableWidgetItem* cell(const QString& text, Qt::Alignment alignment = Qt::AlignRight) {
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(alignment | Qt::AlignVCenter);
    return item;
}

QString classNameOf(const QStringList& names, int label) {
    return label >= 0 ? names.value(label, QStringLiteral("%1").arg(label)) : u"—"_s;
}

} // namespace

ClassQualityTable::ClassQualityTable(QWidget* parent) : QWidget(parent) {
    m_caption = new QLabel(this);
    m_caption->setObjectName(u"qualityCaption"_s);
    m_caption->setWordWrap(true);
    m_classes = makeTable(this, u"qualityClasses"_s,
                          {tr("Class"), tr("Anchors"), tr("Mean purity"), tr("With none")});
    m_classes->setToolTip(tr("Per class: the mean share of same-class candidates over its anchors "
                             "that have candidates, and how many anchors have none"));
    m_worst = makeTable(this, u"qualityWorst"_s,
                        {tr("Anchor"), tr("Class"), tr("Other class"), tr("Candidates")});
    m_worst->setToolTip(tr("Anchors with the most candidates of another class; click one to "
                           "inspect it"));
    auto* worstCaption = new QLabel(tr("Most mixed anchors (click to inspect):"), this);

    auto* classColumn = new QVBoxLayout;
    classColumn->addWidget(new QLabel(tr("Purity per class:"), this));
    classColumn->addWidget(m_classes, 1);
    auto* worstColumn = new QVBoxLayout;
    worstColumn->addWidget(worstCaption);
    worstColumn->addWidget(m_worst, 1);
    auto* tables = new QHBoxLayout;
    tables->addLayout(classColumn, 1);
    tables->addLayout(worstColumn, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addLayout(tables, 1);

    connect(m_worst, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (const qint64 anchor = worstAnchor(row); anchor >= 0)
            Q_EMIT anchorClicked(anchor);
    });
    clear(tr("Quality needs a graph of a labelled dataset."));
}

void ClassQualityTable::setQuality(const neighbors::ClassQuality& quality,
                                   const QStringList& classNames, const std::vector<int>& labels,
                                   const QString& caption) {
    m_caption->setText(caption);
    m_classes->setRowCount(int(quality.classes.size()));
    for (int row = 0; row < int(quality.classes.size()); ++row) {
        const neighbors::ClassPurity& c = quality.classes[std::size_t(row)];
        m_classes->setItem(row, 0, cell(classNameOf(classNames, c.label), Qt::AlignLeft));
        m_classes->setItem(row, 1, cell(QString::number(c.anchors)));
        m_classes->setItem(row, 2,
                           cell(std::isnan(c.meanPurity)
                                    ? u"—"_s
                                    : QStringLiteral("%1 %").arg(100.0 * c.meanPurity, 0, 'f', 1)));
        m_classes->setItem(row, 3, cell(QString::number(c.withNone)));
    }
    m_worst->setRowCount(int(quality.worst.size()));
    for (int row = 0; row < int(quality.worst.size()); ++row) {
        const neighbors::MixedAnchor& a = quality.worst[std::size_t(row)];
        auto* anchor = cell(QStringLiteral("#%1").arg(a.anchor));
        anchor->setData(Qt::UserRole, qint64(a.anchor));
        m_worst->setItem(row, 0, anchor);
        const int label =
            std::size_t(a.anchor) < labels.size() ? labels[std::size_t(a.anchor)] : -1;
        m_worst->setItem(row, 1, cell(classNameOf(classNames, label), Qt::AlignLeft));
        m_worst->setItem(row, 2, cell(QString::number(a.otherClass)));
        m_worst->setItem(row, 3, cell(QString::number(a.candidates)));
    }
}

void ClassQualityTable::clear(const QString& why) {
    m_caption->setText(why);
    m_classes->setRowCount(0);
    m_worst->setRowCount(0);
}

int ClassQualityTable::classRows() const {
    return m_classes->rowCount();
}

int ClassQualityTable::worstRows() const {
    return m_worst->rowCount();
}

qint64 ClassQualityTable::worstAnchor(int row) const {
    const QTableWidgetItem* item = m_worst->item(row, 0);
    return item ? item->data(Qt::UserRole).toLongLong() : -1;
}

QString ClassQualityTable::caption() const {
    return m_caption->text();
}

} // namespace gps::ui
