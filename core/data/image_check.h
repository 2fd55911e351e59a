#pragma once
/// Reading every image of a split once, to find the files a long job would otherwise meet one
/// at a time: what `gps-studio-cli dataset check` runs.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"

#include <cstddef>
#include <vector>

namespace gps::data {

struct ImageCheck {
    std::size_t images = 0; ///< rows of the split
    /// False when the split was read into memory at open (every byte already read and checked,
    /// nothing left to decode); true when every image was decoded now.
    bool decoded = false;
    /// Files skipped at open (row kNoRow) first, then those that failed to decode, by row.
    std::vector<UnreadableFile> unreadable;
};

/// Decodes every image of `dataset` with tryImage(), in parallel (OpenMP), so that a lazily
/// decoded split records each unreadable file (its warnings() and unreadableFiles() then list
/// them for later readers too). A split with a block() is not decoded again.
/// `progress` is called from one thread at a time; returning false stops with Cancelled.
/// A failed GPS_CHECK inside the dataset (a bug) is rethrown.
Result<ImageCheck> checkImages(const Dataset& dataset, const ProgressFn& progress);

} // namespace gps::data
