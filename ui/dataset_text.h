#pragma once
/// The words the studio uses to describe a dataset and its images: summary line, shape,
/// warnings, one image's details. Pure functions of the dataset, shared by the panels.

#include "bridge/dataset_loader.h"

#include <QStringList>

namespace gps::ui {

/// "idx · train · 60,000 images · 10 classes · 28×28 grey" for the summary line.
QString summaryText(const OpenedDataset& opened);

/// The dataset's warnings: those found while describing it plus those the open split has found
/// so far (lazy readers add to them as they decode), without repeats.
QStringList collectWarnings(const OpenedDataset& opened);

/// "28×28 grey", "32×32 RGB".
QString shapeText(const data::ImageShape& shape);

/// "Ankle boot" for a labelled image, "unlabelled" otherwise.
QString classNameOf(const data::Dataset& dataset, std::size_t index);

/// "Image 123 · Ankle boot (class 9) · 28×28 grey · split train".
QString imageDetailsText(const data::Dataset& dataset, std::size_t index);

} // namespace gps::ui
