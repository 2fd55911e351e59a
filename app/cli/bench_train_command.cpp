// gps-studio-cli bench train: images per second of SimCLR training steps with `augment` and with
// `gps` positives, for the small backbone on Fashion-MNIST and ResNet-18 (CIFAR stem) at 32 px,
// the share of a step spent waiting for data, and the GPS overhead as a ratio of the two speeds
// measured in the same run (aim: under 1.03). The kNN graph GPS samples from is built before
// the clock starts: it is computed once per dataset, not per step.
#include "augment/presets.h"
#include "cli/args.h"
#include "cli/command.h"
#include "cli/dataset_options.h"
#include "cli/train_progress.h"
#include "data/dataset_open.h"
#include "project/project.h"
#include "session/prior_graph.h"
#include "ssl/registry.h"
#include "train/trainer.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <optional>

namespace gps::cli {

namespace {

using nlohmann::json;

struct BenchCase {
    std::string backbone;
    int viewSize = 0; ///< 0 = the dataset's
    int batch = 0;
    int steps = 0;
};

struct Timing {
    double imagesPerSecond = 0;
    double dataWaitShare = 0;
    std::string device;
};

// The GPS arm's positives: the pixels prior with τ auto, built as a run builds them (no cache:
// the bench times training, and pixels are never cached anyway).
Result<std::shared_ptr<const neighbors::PositiveSampler>> pixelSampler(data::DatasetPtr dataset) {
    session::PriorGraphRequest request;
    request.dataset = std::move(dataset);
    request.recipe.knn.kMax = 20;
    request.cache.enabled = false;
    auto built = session::buildPriorGraph(request, nullptr);
    if (!built)
        return built.error();
    project::NeighborSection neighbors;
    neighbors.tauAuto = true;
    return session::makeSampler(built->graph, neighbors);
}

Result<Timing> timeTraining(const BenchCase& bench, data::DatasetPtr dataset,
                            std::shared_ptr<const neighbors::PositiveSampler> sampler,
                            const std::string& device) {
    auto spec = augment::presetSpec("weak", dataset->shape());
    if (!spec)
        return spec.error();
    if (bench.viewSize > 0) {
        spec->crop.size = bench.viewSize;
    }
    models::BackboneConfig config;
    config.name = bench.backbone;
    config.inChannels = dataset->shape().channels;
    config.imageSize = bench.viewSize > 0 ? bench.viewSize : dataset->shape().height;
    torch::manual_seed(0);
    auto backbone = models::makeBackbone(config);
    if (!backbone)
        return backbone.error();
    const ssl::MethodInfo* simclr = ssl::findMethod("simclr");
    auto hparams = ssl::resolveHParams(simclr->hparams, json::object(), "method.");
    if (!hparams)
        return hparams.error();
    train::TrainerInputs inputs;
    inputs.train = dataset;
    inputs.augment = *spec;
    inputs.method = simclr->make(*backbone, *hparams, {bench.batch, bench.steps});
    inputs.positives.source = sampler ? train::PositiveSource::Gps : train::PositiveSource::Augment;
    inputs.sampler = std::move(sampler);
    inputs.classes = dataset->labelled() ? static_cast<int>(dataset->classNames().size()) : 0;
    train::TrainConfig config2;
    config2.epochs = 1;
    config2.batchSize = bench.batch;
    config2.device = device;
    config2.optimizer.kind = train::OptimizerKind::Lars;
    config2.schedule.warmupEpochs = 0;
    config2.logEvery = 0;
    TrainProgress quiet(true);
    auto result = train::runTraining(inputs, config2, {}, quiet, CancelToken{});
    if (!result)
        return result.error();
    return Timing{result->imagesPerSecond, result->dataWaitShare, result->device};
}

} // namespace

CommandResult benchTrainCommand(const Words& words) {
    static const ArgSpec spec{
        "bench train",
        {"--steps", "--batch", "--resnet-steps", "--resnet-batch", "--device", "--only"},
        {"--json"},
        {}};
    auto args = Args::parse(words, spec);
    if (!args)
        return args.error();
    const std::string datasetName =
        args->positional().empty() ? std::string("fashion-mnist") : args->positional().front();
    const auto steps = args->integer("--steps", 20, 2, 100000);
    const auto batch = args->integer("--batch", 256, 2, 65536);
    const auto resnetSteps = args->integer("--resnet-steps", 6, 2, 100000);
    const auto resnetBatch = args->integer("--resnet-batch", 64, 2, 65536);
    for (const auto* value : {&steps, &batch, &resnetSteps, &resnetBatch})
        if (!*value)
            return value->error();
    const std::string only = args->optionOr("--only", "all");
    if (only != "all" && only != "small" && only != "resnet")
        return makeError(ErrorCode::InvalidInput,
                         "--only: expected all, small or resnet, got '" + only + "'");
    std::vector<BenchCase> cases;
    if (only != "resnet")
        cases.push_back({"small_cnn", 0, int(*batch), int(*steps)});
    if (only != "small")
        cases.push_back({"resnet18_cifar", 32, int(*resnetBatch), int(*resnetSteps)});

    json rows = json::array();
    for (const auto& bench : cases) {
        data::OpenOptions open;
        open.limit = static_cast<std::size_t>(bench.batch) * bench.steps;
        auto dataset = data::openDataset(datasetName, open);
        if (!dataset)
            return dataset.error();
        auto sampler = pixelSampler(*dataset);
        if (!sampler)
            return sampler.error();
        std::cerr << "bench train: " << bench.backbone << ", " << bench.steps << " steps of "
                  << bench.batch << " pairs, augment and gps twice each\n";
        // Alternate the two twice and keep each one's faster run, so that a burst of other load
        // on the machine does not decide the ratio.
        std::optional<Timing> plain, gps;
        for (int round = 0; round < 2; ++round)
            for (auto* best : {&plain, &gps}) {
                auto timing = timeTraining(bench, *dataset, best == &gps ? *sampler : nullptr,
                                           args->optionOr("--device", "auto"));
                if (!timing)
                    return timing.error();
                if (!*best || timing->imagesPerSecond > (*best)->imagesPerSecond)
                    *best = *timing;
            }
        rows.push_back(
            {{"backbone", bench.backbone},
             {"view_size", bench.viewSize > 0 ? bench.viewSize : (*dataset)->shape().height},
             {"batch", bench.batch},
             {"steps", bench.steps},
             {"device", plain->device},
             {"augment_images_per_second", plain->imagesPerSecond},
             {"gps_images_per_second", gps->imagesPerSecond},
             {"augment_data_wait_share", plain->dataWaitShare},
             {"gps_data_wait_share", gps->dataWaitShare},
             {"gps_overhead_ratio", plain->imagesPerSecond / gps->imagesPerSecond}});
    }
    if (args->flag("--json")) {
        printJson(json{{"dataset", datasetName}, {"runs", rows}});
        return kExitOk;
    }
    std::cout << std::fixed << std::setprecision(3);
    for (const auto& row : rows)
        std::cout << row["backbone"].get<std::string>() << " @ " << row["view_size"].get<int>()
                  << " px, batch " << row["batch"].get<int>() << ", "
                  << row["device"].get<std::string>() << ":\n  augment " << std::setprecision(1)
                  << row["augment_images_per_second"].get<double>() << " img/s (waiting for data "
                  << std::setprecision(3) << row["augment_data_wait_share"].get<double>()
                  << " of a step)\n  gps     " << std::setprecision(1)
                  << row["gps_images_per_second"].get<double>() << " img/s (waiting for data "
                  << std::setprecision(3) << row["gps_data_wait_share"].get<double>()
                  << ")\n  GPS overhead ratio " << row["gps_overhead_ratio"].get<double>()
                  << " (aim: under 1.03)\n";
    return kExitOk;
}

} // namespace gps::cli
