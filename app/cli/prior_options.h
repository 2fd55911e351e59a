#pragma once
/// The prior options shared by `embed` and `neighbors`: which prior, how it learns, the cache,
/// and computing the embedding of a split with progress on stderr.

#include "cli/args.h"
#include "data/dataset.h"
#include "priors/embedding_cache.h"
#include "session/prior_graph.h"

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

/// What --prior and the dataset options ask for: the split to embed, the split a learned prior
/// fits on, the spec, the prior's options and the cache (the caller adds the kNN options).
struct PriorInputs {
    session::PriorGraphRequest request;
    /// The split's data warnings (files skipped at open, ...), then the training split's when a
    /// learned prior fits on it.
    std::vector<std::string> warnings;
};

/// The split to embed: --split when given, else "train", else the dataset's only split
/// (InvalidInput naming the splits when there are several and none is "train"). Learned priors
/// fit on the train split, or on the embedded split (with a warning) when there is none.
/// InvalidInput when --prior is missing or does not parse.
Result<PriorInputs> priorInputsFromArgs(const Args& args, const std::string& datasetName,
                                        const data::OpenOptions& openOptions);

/// A Corrupt error of embedding with an undecodable image, pointing to `dataset check`.
Error withCheckHint(const Error& error, const session::PriorGraphRequest& request,
                    const std::string& datasetName);

/// Embeds the split of priorInputsFromArgs with its prior. An image that cannot be decoded stops it
/// (Corrupt naming the file, pointing to `dataset check`): no row is ever made up.
Result<EmbeddedSplit> embedFromArgs(const Args& args, const std::string& datasetName,
                                    const data::OpenOptions& openOptions);

} // namespace gps::cli
