#pragma once
/// The augmentation preview as values: one image of a dataset and N augmented views of it,
/// made with the same seeds the CLI's grid uses, so the studio and the CLI show the same views.

#include "augment/spec.h"
#include "common/progress.h"
#include "data/dataset.h"

#include <QImage>
#include <QList>
#include <QMetaType>

#include <cstdint>

namespace gps::ui {

struct AugmentPreviewRequest {
    data::DatasetPtr dataset;
    std::size_t index = 0; ///< image of the dataset to augment
    augment::AugmentSpec spec;
    std::uint64_t seed = 0;
    int viewCount = 8;
};

struct AugmentPreview {
    std::size_t index = 0;
    QImage original;
    QList<QImage> views; ///< view v drawn with Rng(deriveSeed(seed, index, v))
};

/// Makes the preview. Safe on any thread (the dataset and the pipeline are read-only). Throws
/// gps::CheckFailure when the spec cannot be applied to the image (the message says why);
/// returns early with fewer views when `cancel` is set.
AugmentPreview makeAugmentPreview(const AugmentPreviewRequest& request,
                                  const CancelToken& cancel = CancelToken());

/// Whether the preview is cheap enough for the GUI thread: the dataset is in memory (nothing to
/// decode) and the images are small.
bool previewIsCheap(const data::Dataset& dataset);

} // namespace gps::ui

Q_DECLARE_METATYPE(gps::ui::AugmentPreview)
