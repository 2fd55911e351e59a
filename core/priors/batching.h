#pragma once
/// Internal to core/priors: dataset images as float tensors, and the batched embed loop (progress,
/// cancellation, copying into an Embedding) that the pixel, PCA and network priors share.
/// Includes ATen, so only prior .cpp files include it.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"
#include "priors/embedding.h"

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <functional>
#include <string>

namespace gps::priors::detail {

/// Images [begin, end) as float rows in [0, 1]: (end − begin) × H·W·C, HWC order, CPU,
/// contiguous. Reads the dataset's ImageBlock directly when it has one.
at::Tensor imageRows(const data::Dataset& dataset, std::size_t begin, std::size_t end);

/// The picture a network is fed.
struct NetInput {
    int height = 0;
    int width = 0;
    int channels = 0; ///< 1 or 3
};

/// Images [begin, end) as N × C × H × W float in [0, 1], resized to `input` (area averaging when
/// shrinking, bilinear when growing) with channels converted: grey is repeated to 3, RGB becomes
/// grey (ITU-R 601 weights) when 1 is asked.
at::Tensor imageBatch(const data::Dataset& dataset, std::size_t begin, std::size_t end,
                      NetInput input);

/// Rows for images [begin, end): (end − begin) × d float (any dtype and layout; converted).
using BatchFn = std::function<Result<at::Tensor>(std::size_t begin, std::size_t end)>;

/// Runs `fn` over `dataset` in batches of `batchSize` images and gathers the rows into an
/// Embedding. Progress is "<label>: i/n images"; progress returning false stops the loop with
/// Cancelled. `dim` is the row length when known in advance (used for an empty dataset), 0 when
/// the first batch decides it. InvalidInput, naming the batch, when a batch has rows of another
/// width ("<label>: output width changed from 64 to 128 between batches …") or NaN or infinite
/// values; checkEmbeddingSize runs before the rows are allocated.
Result<Embedding> embedInBatches(const data::Dataset& dataset, std::size_t batchSize,
                                 std::int64_t dim, const std::string& label,
                                 const ProgressFn& progress, const BatchFn& fn);

/// Refuses an embedding of rows × dim floats larger than half the physical memory (64 GiB where
/// that is unknown): callers hold it about twice more on the way (the cache's .npy encoding, the
/// kNN index), so a larger one would end in an allocation failure far from its cause.
/// InvalidInput "<label>: would need 4.0 TiB for 1,048,576 × 1,048,576 floats (more than the
/// limit of 11.5 GiB, half this machine's memory)".
Status checkEmbeddingSize(std::int64_t rows, std::int64_t dim, const std::string& label);

/// A ProgressFn that forwards to `progress` with the fraction mapped linearly onto [lo, hi].
ProgressFn subProgress(const ProgressFn& progress, double lo, double hi);

/// The error every prior returns when its progress callback asks it to stop.
Error cancelled(const std::string& what);

} // namespace gps::priors::detail
