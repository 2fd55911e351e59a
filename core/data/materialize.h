#pragma once
/// Materialising a dataset: decode every image of a lazy split (an image folder) once, into one
/// contiguous ImageBlock that training reads without decoding again.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"

#include <cstddef>

namespace gps::data {

inline constexpr std::size_t kDefaultMaterializeBudget = std::size_t(2) << 30; ///< 2 GiB

/// Decodes every image of `source` into a new InMemoryDataset, in parallel (OpenMP), keeping the
/// source order, labels, class names, split and format id.
///
/// - Images that fail to decode (tryImage() fails, as for an image folder's undecodable files,
///   or the image has the wrong shape) are dropped, with one warning listing them; if all fail,
///   Corrupt. The result numbers its rows afresh: it is a new dataset, not a view of `source`.
/// - size() × shape().pixels() bytes above `byteBudget` is refused (Unsupported) before any
///   decoding, with the size needed in the message.
/// - `progress` is called from one thread at a time with the fraction done; returning false
///   stops the work and yields ErrorCode::Cancelled.
/// - A source that already has a block() is copied with one memcpy (no decoding, no drops): the
///   result never shares memory with `source`. To avoid the copy, use the DatasetPtr overload.
///
/// Thread-safety: `source` must allow concurrent image() calls (every Dataset does).
Result<DatasetPtr> materializeDataset(const Dataset& source, const ProgressFn& progress,
                                      std::size_t byteBudget = kDefaultMaterializeBudget);

/// As above, but returns `source` itself when it already has a block() (no copy, budget not
/// applied since the memory is already spent).
Result<DatasetPtr> materializeDataset(const DatasetPtr& source, const ProgressFn& progress,
                                      std::size_t byteBudget = kDefaultMaterializeBudget);

} // namespace gps::data
