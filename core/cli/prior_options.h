#pragma once
/// The prior options shared by `embed` and `neighbors`: which prior, how it learns, the cache,
/// and computing the embedding of a split with progress on stderr.

#include "cli/args.h"
#include "data/dataset.h"
#include "priors/embedding_cache.h"

namespace gps::cli {

/// Options taking a value: --prior, --epochs, --seed, --batch, --cache-dir.
extern const std::set<std::string> kPriorOptions;
/// Switches: --standardize, --no-cache.
extern const std::set<std::string> kPriorFlags;

struct EmbeddedSplit {
    data::DatasetPtr dataset;    ///< the split embedded
    priors::Embedding embedding; ///< one row per image of `dataset`
    priors::EmbedReport report;
    /// The split's data warnings (files skipped at open, ...), the training split's when a
    /// learned prior fitted on it, then the report's cache warnings.
    std::vector<std::string> warnings;
};

/// Embeds a split with --prior: --split when given, else "train", else the dataset's only split
/// (InvalidInput naming the splits when there are several and none is "train"). Learned priors
/// fit on the train split, or on the embedded split (with a warning) when there is none.
/// InvalidInput when --prior is missing. An image that cannot be decoded stops it (Corrupt
/// naming the file, pointing to `dataset check`): no row is ever made up.
Result<EmbeddedSplit> embedFromArgs(const Args& args, const std::string& datasetName,
                                    const data::OpenOptions& openOptions);

} // namespace gps::cli
