// gps-studio-cli bench augment: how fast the batch path makes two views of a batch, and what
// share of one training step of the small CPU backbone that is. Augmentation runs beside the
// model in training, so a share well under 1 means the model never waits for data.
#include "augment/pipeline.h"
#include "augment/presets.h"
#include "cli/command.h"
#include "cli/dataset_options.h"
#include "common/threads.h"
#include "data/dataset_open.h"
#include "models/small_cnn.h"
#include "ssl/losses/nt_xent.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <iomanip>
#include <iostream>

namespace gps::cli {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<std::size_t> randomBatch(std::size_t size, int batch, Rng& rng) {
    std::vector<std::size_t> indices(static_cast<std::size_t>(batch));
    for (auto& index : indices)
        index = rng.below(size);
    return indices;
}

/// Seconds per batch for pairBatch, median-free: total time over `iterations` after one warm-up.
double timeAugment(const augment::AugmentPipeline& pipeline, const data::Dataset& dataset,
                   int batch, int iterations, torch::Tensor& view1, torch::Tensor& view2) {
    Rng rng(1);
    for (int it = -1; it < iterations; ++it) {
        if (it == 0)
            rng.reseed(2);
        const auto anchors = randomBatch(dataset.size(), batch, rng);
        pipeline.pairBatch(dataset, anchors, anchors, 7, static_cast<std::uint64_t>(it + 1),
                           view1.data_ptr<float>(), view2.data_ptr<float>());
    }
    const auto start = Clock::now();
    for (int it = 0; it < iterations; ++it) {
        const auto anchors = randomBatch(dataset.size(), batch, rng);
        pipeline.pairBatch(dataset, anchors, anchors, 7, static_cast<std::uint64_t>(it),
                           view1.data_ptr<float>(), view2.data_ptr<float>());
    }
    return secondsSince(start) / iterations;
}

/// Seconds for one SimCLR step (forward both views, NT-Xent, backward, SGD) of the small CNN.
double timeTrainStep(const torch::Tensor& view1, const torch::Tensor& view2, int steps) {
    torch::manual_seed(0);
    models::SmallCnn backbone(models::SmallCnnOptions{static_cast<int>(view1.size(1)), 32});
    torch::nn::Sequential projector(torch::nn::Linear(backbone->featureDim(), 256),
                                    torch::nn::BatchNorm1d(256), torch::nn::ReLU(),
                                    torch::nn::Linear(256, 128));
    std::vector<torch::Tensor> parameters = backbone->parameters();
    for (const auto& p : projector->parameters())
        parameters.push_back(p);
    torch::optim::SGD optimizer(parameters, torch::optim::SGDOptions(0.1).momentum(0.9));
    auto step = [&] {
        optimizer.zero_grad();
        const auto z1 = projector->forward(backbone->forward(view1));
        const auto z2 = projector->forward(backbone->forward(view2));
        ssl::ntXentLoss(z1, z2, 0.2).backward();
        optimizer.step();
    };
    step(); // warm-up: first calls allocate
    const auto start = Clock::now();
    for (int s = 0; s < steps; ++s)
        step();
    return secondsSince(start) / steps;
}

} // namespace

CommandResult benchAugmentCommand(const Words& words) {
    auto optionNames = kDatasetOptions;
    optionNames.insert({"--preset", "--batch", "--iterations", "--train-steps"});
    const auto args = Args::parse(words, {"bench augment", optionNames, {"--json"}, {}});
    if (!args)
        return args.error();
    if (args->positional().size() > 1)
        return makeError(ErrorCode::InvalidInput, "bench augment: at most one DATASET");
    const std::string datasetName =
        args->positional().empty() ? data::kDefaultDatasetName : args->positional().front();
    const auto options = datasetOptions(*args);
    const auto batch = args->integer("--batch", 256, 1, 65536);
    const auto iterations = args->integer("--iterations", 50, 1, 100000);
    const auto trainSteps = args->integer("--train-steps", 5, 1, 1000);
    if (!options)
        return options.error();
    for (const auto* value : {&batch, &iterations, &trainSteps})
        if (!*value)
            return value->error();
    std::vector<std::string> presets = augment::presetNames();
    if (const auto preset = args->option("--preset"))
        presets = {*preset};

    const auto dataset = data::openDataset(datasetName, *options);
    if (!dataset)
        return dataset.error();
    const data::Dataset& images = **dataset;

    nlohmann::json report = {{"dataset", datasetName},
                             {"images", images.size()},
                             {"batch", *batch},
                             {"threads", at::get_num_threads()},
                             {"presets", nlohmann::json::array()}};
    torch::Tensor view1, view2;
    for (const auto& name : presets) {
        const auto spec = augment::presetSpec(name, images.shape());
        if (!spec)
            return spec.error();
        const augment::AugmentPipeline pipeline(*spec, images.shape());
        const auto out = pipeline.outputShape();
        view1 = torch::empty({*batch, out.channels, out.height, out.width});
        view2 = torch::empty_like(view1);
        std::cerr << "bench augment: " << name << "..." << std::endl;
        const double seconds = timeAugment(pipeline, images, static_cast<int>(*batch),
                                           static_cast<int>(*iterations), view1, view2);
        report["presets"].push_back({{"preset", name},
                                     {"seconds_per_batch", seconds},
                                     {"images_per_second", double(*batch) / seconds},
                                     {"views_per_second", 2.0 * double(*batch) / seconds}});
    }
    std::cerr << "bench augment: timing a small-CNN SimCLR step..." << std::endl;
    const double stepSeconds = timeTrainStep(view1, view2, static_cast<int>(*trainSteps));
    report["train_step_seconds"] = stepSeconds;
    report["train_step_model"] = "small-cnn width 32, SimCLR projector 256-128, SGD";
    for (auto& entry : report["presets"])
        entry["share_of_train_step"] = entry["seconds_per_batch"].get<double>() / stepSeconds;

    if (args->flag("--json")) {
        printJson(report);
        return kExitOk;
    }
    std::cout << "augment bench on " << datasetName << " (" << images.size() << " images), batch "
              << *batch << ", " << report["threads"] << " threads, two views per image\n"
              << std::fixed;
    for (const auto& entry : report["presets"])
        std::cout << "  " << std::left << std::setw(12) << entry["preset"].get<std::string>()
                  << std::right << std::setprecision(0) << std::setw(10)
                  << entry["images_per_second"].get<double>() << " images/s  "
                  << std::setprecision(2) << std::setw(8)
                  << 1000.0 * entry["seconds_per_batch"].get<double>() << " ms/batch  share of "
                  << "train step " << std::setprecision(3)
                  << entry["share_of_train_step"].get<double>() << '\n';
    std::cout << "  small-CNN SimCLR train step: " << std::setprecision(1) << 1000.0 * stepSeconds
              << " ms\n";
    return kExitOk;
}

} // namespace gps::cli
