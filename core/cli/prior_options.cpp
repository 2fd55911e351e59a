#include "cli/prior_options.h"

#include "cli/command.h"
#include "data/dataset_open.h"

namespace gps::cli {

const std::set<std::string> kPriorOptions = {"--prior", "--epochs", "--seed", "--batch",
                                             "--cache-dir"};
const std::set<std::string> kPriorFlags = {"--standardize", "--no-cache"};

Result<EmbeddedSplit> embedFromArgs(const Args& args, const std::string& datasetName,
                                    const data::OpenOptions& openOptions) {
    const auto spec = args.option("--prior");
    if (!spec)
        return makeError(ErrorCode::InvalidInput, "--prior SPEC is required (pixels, pca:D, hog, "
                                                  "random-cnn, ae:D, vae:D, torchscript:PATH, "
                                                  "npy:PATH, run:DIR)");
    priors::PriorOptions prior;
    prior.standardize = args.flag("--standardize");
    const auto epochs = args.integer("--epochs", prior.epochs, 1, 10000);
    const auto seed = args.integer("--seed", 0, 0, std::numeric_limits<long long>::max());
    const auto batch = args.integer("--batch", prior.batchSize, 1, 65536);
    for (const auto* value : {&epochs, &seed, &batch})
        if (!*value)
            return value->error();
    prior.epochs = static_cast<int>(*epochs);
    prior.seed = static_cast<std::uint64_t>(*seed);
    prior.batchSize = static_cast<int>(*batch);
    priors::CacheOptions cache;
    cache.enabled = !args.flag("--no-cache");
    cache.folder = args.optionOr("--cache-dir", "");

    auto target = data::openDataset(datasetName, openOptions);
    if (!target)
        return target.error();
    // Learned priors fit on the training split, whichever split is embedded.
    data::DatasetPtr train = *target;
    if (openOptions.split != "train") {
        data::OpenOptions trainOptions = openOptions;
        trainOptions.split = "train";
        auto opened = data::openDataset(datasetName, trainOptions);
        if (!opened)
            return opened.error();
        train = *opened;
    }

    EmbeddedSplit result{*target, {}, {}};
    const std::string label = "embed " + *spec;
    auto embedding = priors::computeEmbedding(
        *train, **target, *spec, prior, cache,
        [&label](double fraction, std::string_view) {
            printProgress(label, fraction);
            return true;
        },
        &result.report);
    if (!embedding)
        return embedding.error();
    result.embedding = std::move(*embedding);
    return result;
}

} // namespace gps::cli
