#pragma once
/// The map panel's "Quality" side: per-class candidate purity under the inspector's τ (or k)
/// and the anchors with the most candidates of another class. Clicking one of those anchors
/// emits anchorClicked, so the inspector can show why it mixes classes.

#include "neighbors/class_quality.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QLabel;
class QTableWidget;

namespace gps::ui {

class ClassQualityTable : public QWidget {
    Q_OBJECT

public:
    explicit ClassQualityTable(QWidget* parent = nullptr);

    /// Shows `quality`; `classNames[c]` names class c, `labels` gives each anchor's class (one
    /// per dataset image), `caption` says under which options it was counted.
    void setQuality(const neighbors::ClassQuality& quality, const QStringList& classNames,
                    const std::vector<int>& labels, const QString& caption);
    /// Empties both tables and says why in the caption.
    void clear(const QString& why);

    int classRows() const;
    int worstRows() const;
    /// The anchor of row `row` of the worst-anchors table, or -1.
    qint64 worstAnchor(int row) const;
    QString caption() const;

Q_SIGNALS:
    void anchorClicked(qint64 datasetIndex);

private:
    QLabel* m_caption = nullptr;
    QTableWidget* m_classes = nullptr;
    QTableWidget* m_worst = nullptr;
};

} // namespace gps::ui
