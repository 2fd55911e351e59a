#pragma once
/// Computing a prior's embedding of a dataset, with an on-disk cache so that the same dataset,
/// spec and options are embedded once (docs/design.md §6).
///
/// Cache layout, all in one folder, every file written with writeFileAtomic:
///   KEY.npy      float32 rows × dim: the embedding of the target split
///   KEY.json     what it is: spec, relevant options, both fingerprints, rows, dim, created, and
///                the checksum of KEY.npy's bytes
///   FITKEY.state the prior's learned state (Embedder::saveState), for learned priors only
///   FITKEY.sum   the checksum of FITKEY.state's bytes (JSON), written after it
/// FITKEY hashes what fitting depends on (format version, canonical spec, relevant options, the
/// training split's fingerprint, the size and mtime of any file the spec names); KEY adds the
/// target split's fingerprint. So embedding the test split after the training split loads the
/// fitted state instead of training again, and editing an npy: or torchscript: file, changing
/// one pixel of a split held in memory, the spec, or an option the prior reads, all miss.
/// KEY.json is written last: a cache entry without it is ignored, as is a state without its .sum.
/// A file whose checksum no longer matches (a flipped bit keeps the size) is never served: it is
/// recomputed, rewritten and reported as damaged in the warnings. Non-finite values are never
/// cached: an embedding with NaN or infinity is an error naming the prior.
/// `pixels` and `npy:PATH` are never cached: recomputing pixels is faster than reading them back
/// (and a 96 px split would take gigabytes), and an npy file already is the embedding on disk.

#include "priors/embedder.h"
#include "priors/registry.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gps::priors {

struct CacheOptions {
    std::filesystem::path folder; ///< empty = defaultCacheFolder()
    bool enabled = true;          ///< false: always compute, read and write nothing
};

/// What computeEmbedding did.
struct EmbedReport {
    bool hit = false;                  ///< loaded from the cache
    bool stateLoaded = false;          ///< a learned prior reused a cached fit instead of fitting
    double seconds = 0.0;              ///< wall time of the whole call
    std::string spec;                  ///< canonical spec
    std::string key;                   ///< cache key (empty when not caching: off, pixels, npy)
    std::filesystem::path file;        ///< the cache's KEY.npy (empty when not caching)
    std::vector<std::string> warnings; ///< cache problems that did not stop the work
};

/// True when the prior learns from the training split before embedding (pca, ae, vae, and
/// standardised pixels): what computeEmbedding fits, and what its cache key includes.
bool priorLearns(const PriorSpec& spec, const PriorOptions& options);

/// $XDG_CACHE_HOME/gps-studio, else ~/.cache/gps-studio, else <temp>/gps-studio-cache.
std::filesystem::path defaultCacheFolder();

/// A short text that changes when the data change: format, split, size, shape, class names and
/// a hash of the labels and pixels. Splits held in memory (block()) of up to 256 MB hash every
/// pixel; larger or lazily read splits hash every ⌈n/1024⌉-th image fully (about 1,024 images),
/// so an edit to an image outside that sample goes unnoticed. Costs milliseconds.
std::string datasetFingerprint(const data::Dataset& dataset);

/// Embeds `target` with the prior `spec`, fitting it on `train` first when it learns (pca, ae,
/// vae, standardised pixels). Returns target.size() × dim rows.
/// A cache hit loads the rows instead; an unreadable, damaged or inconsistent cache entry or fit
/// is recomputed and reported in `report->warnings` ("embedding cache entry KEY was damaged
/// (checksum mismatch); recomputing", "cached fit FILE … ; fitting again"), as is a cache that
/// cannot be written.
/// Progress: fitting maps to the first part of [0, 1], embedding to the rest; progress returning
/// false stops the work with Cancelled. Errors: those of makeEmbedder, fit and embed (an error of
/// embed after a cached fit was loaded names its state file), and InvalidInput "<spec>: the
/// embedding has 3 NaN values" for non-finite rows, which are then not cached. An image of
/// `train` or `target` that cannot be decoded (UnreadableImageError) stops the work with Corrupt
/// naming the files found so far: rows follow the split's images, so none is skipped or made
/// up, and nothing is cached.
/// `report` may be null. Thread-safe for distinct keys; concurrent calls on one key both compute
/// and the atomic writes leave one complete entry.
Result<Embedding> computeEmbedding(const data::Dataset& train, const data::Dataset& target,
                                   const std::string& spec, const PriorOptions& options,
                                   const CacheOptions& cache, const ProgressFn& progress,
                                   EmbedReport* report = nullptr);

/// The prior `spec` ready to embed or decode: fitted on `train`, or its fit loaded from the cache
/// (the same state file computeEmbedding writes and reads, so a run that embedded first reuses
/// that fit). Used when a caller needs the model itself (the VAE's decoder for synthetic
/// positives). Errors as computeEmbedding.
Result<EmbedderPtr> fitPrior(const data::Dataset& train, const std::string& spec,
                             const PriorOptions& options, const CacheOptions& cache,
                             const ProgressFn& progress, EmbedReport* report = nullptr);

} // namespace gps::priors
