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
    data::DatasetPtr dataset;    ///< the split asked for (--split, default train)
    priors::Embedding embedding; ///< one row per image of `dataset`
    priors::EmbedReport report;
};

/// Opens the training split (what learned priors fit on) and the asked split, and embeds the
/// latter with --prior. InvalidInput when --prior is missing.
Result<EmbeddedSplit> embedFromArgs(const Args& args, const std::string& datasetName,
                                    const data::OpenOptions& openOptions);

} // namespace gps::cli
