#pragma once
/// Opening a dataset for the studio: describe it (splits, class names, warnings), choose the
/// split, open it. Runs on a pool thread through JobRunner; the result is a value handed to the
/// GUI thread (the dataset itself is immutable and safe to read from any thread).

#include "common/result.h"
#include "data/dataset.h"

#include <QMetaType>
#include <QString>

namespace gps::ui {

struct OpenedDataset {
    QString source;           ///< what the user asked for: a path or "fashion-mnist"
    data::DatasetInfo info;   ///< from describeDataset: every split, not only the opened one
    data::DatasetPtr dataset; ///< the opened split
};

/// Describes `source` and opens `split`, or the "train" split when `split` is empty (the first
/// split the dataset has when it has no "train"). Expected failures come back as the reader's
/// error; the message names the path and what was wrong.
Result<OpenedDataset> openForBrowsing(const QString& source, const QString& split);

/// An OpenedDataset for a dataset that was built in memory (no file behind it): the info is
/// taken from the dataset itself.
OpenedDataset describeInMemory(data::DatasetPtr dataset, const QString& source);

} // namespace gps::ui

Q_DECLARE_METATYPE(gps::ui::OpenedDataset)
Q_DECLARE_METATYPE(gps::data::DatasetPtr)
