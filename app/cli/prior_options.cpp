#include "cli/prior_options.h"

#include "cli/command.h"
#include "data/dataset_open.h"

#include <algorithm>

namespace gps::cli {

namespace {

// No --split: "train", else the only split there is; with several and no train, the user picks.
Result<std::string> defaultSplit(const data::DatasetInfo& info, const std::string& datasetName) {
    std::string available;
    for (const auto& split : info.splits) {
        if (split.name == "train")
            return split.name;
        available += (available.empty() ? "" : ", ") + split.name;
    }
    if (info.splits.size() == 1)
        return info.splits.front().name;
    return makeError(ErrorCode::InvalidInput, datasetName +
                                                  " has no train split; choose one with --split "
                                                  "(available: " +
                                                  available + ")");
}

bool foundUndecodable(const data::Dataset& dataset) {
    const auto files = dataset.unreadableFiles();
    return std::any_of(files.begin(), files.end(),
                       [](const data::UnreadableFile& f) { return f.row != data::kNoRow; });
}

} // namespace

const std::set<std::string> kPriorOptions = {"--prior", "--epochs", "--seed", "--batch",
                                             "--cache-dir"};
const std::set<std::string> kPriorFlags = {"--standardize", "--no-cache"};

Result<PriorInputs> priorInputsFromArgs(const Args& args, const std::string& datasetName,
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

    const auto parsed = priors::parsePriorSpec(*spec);
    if (!parsed)
        return parsed.error();
    const auto info = data::describeDataset(datasetName, openOptions);
    if (!info)
        return info.error();
    auto hasSplit = [&info](const std::string& name) {
        return std::any_of(info->splits.begin(), info->splits.end(),
                           [&name](const data::SplitInfo& s) { return s.name == name; });
    };
    data::OpenOptions targetOptions = openOptions;
    if (!args.has("--split")) {
        auto chosen = defaultSplit(*info, datasetName);
        if (!chosen)
            return chosen.error();
        targetOptions.split = *chosen;
    }
    auto target = data::openDataset(datasetName, targetOptions);
    if (!target)
        return target.error();
    std::vector<std::string> warnings = (*target)->warnings();

    // Learned priors fit on the training split, whichever split is embedded; a file without
    // one (a MedMNIST test file) fits on the split it embeds, and says so.
    data::DatasetPtr train = *target;
    if (targetOptions.split != "train" && priors::priorLearns(*parsed, prior)) {
        if (hasSplit("train")) {
            data::OpenOptions trainOptions = targetOptions;
            trainOptions.split = "train";
            auto opened = data::openDataset(datasetName, trainOptions);
            if (!opened)
                return opened.error();
            train = *opened;
            for (const auto& warning : train->warnings())
                warnings.push_back("train split: " + warning);
        } else {
            warnings.push_back(datasetName + " has no train split: " + parsed->canonical +
                               " was fitted on '" + targetOptions.split + "', the split it embeds");
        }
    }

    PriorInputs inputs;
    inputs.request.dataset = *target;
    inputs.request.fitOn = train;
    inputs.request.recipe.priorSpec = *spec;
    inputs.request.recipe.priorOptions = prior;
    inputs.request.cache = cache;
    inputs.warnings = std::move(warnings);
    return inputs;
}

Error withCheckHint(const Error& error, const session::PriorGraphRequest& request,
                    const std::string& datasetName) {
    if (error.code != ErrorCode::Corrupt ||
        !(foundUndecodable(*request.dataset) || foundUndecodable(*request.fitOn)))
        return error;
    return makeError(ErrorCode::Corrupt, error.message + "; run `gps-studio-cli dataset check " +
                                             datasetName + "` to list every unreadable file");
}

Result<EmbeddedSplit> embedFromArgs(const Args& args, const std::string& datasetName,
                                    const data::OpenOptions& openOptions) {
    auto inputs = priorInputsFromArgs(args, datasetName, openOptions);
    if (!inputs)
        return inputs.error();
    const session::PriorGraphRequest& request = inputs->request;
    EmbeddedSplit result{request.dataset, {}, {}, {}};
    const std::string label = "embed " + request.recipe.priorSpec;
    auto embedding = priors::computeEmbedding(
        *request.fitOn, *request.dataset, request.recipe.priorSpec, request.recipe.priorOptions,
        request.cache,
        [&label](double fraction, std::string_view) {
            printProgress(label, fraction);
            return true;
        },
        &result.report);
    if (!embedding)
        return withCheckHint(embedding.error(), request, datasetName);
    result.embedding = std::move(*embedding);
    result.warnings = std::move(inputs->warnings);
    result.warnings.insert(result.warnings.end(), result.report.warnings.begin(),
                           result.report.warnings.end());
    return result;
}

} // namespace gps::cli
