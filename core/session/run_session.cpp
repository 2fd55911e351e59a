#include "session/run_session.h"

#include "augment/pipeline.h"
#include "augment/presets.h"
#include "common/npy.h"
#include "data/dataset_open.h"
#include "models/backbone.h"
#include "project/metrics_log.h"
#include "project/run_claim.h"
#include "project/run_dir.h"
#include "project/run_list.h"
#include "project/run_name.h"
#include "session/session_eval.h"
#include "session/session_observer.h"
#include "session/session_positives.h"
#include "ssl/registry.h"
#include "train/checkpoint.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>

namespace gps::session {

namespace fs = std::filesystem;
using nlohmann::json;

Result<OpenedSplits> openProjectSplits(const project::DatasetSection& section) {
    OpenedSplits out;
    data::OpenOptions options;
    options.split = section.split;
    options.limit = section.limit;
    options.imageSize = section.imageSize;
    auto train = data::openDataset(section.path, options);
    if (!train)
        return train.error();
    out.train = *train;
    if (!section.testSplit.empty()) {
        options.split = section.testSplit;
        options.limit = section.testLimit;
        auto test = data::openDataset(section.path, options);
        if (!test)
            return test.error();
        if ((*test)->labelled() && out.train->labelled())
            out.test = *test;
        else
            out.warnings.push_back("dataset." + section.testSplit +
                                   ": unlabelled, so no linear probe or kNN accuracy");
    }
    return out;
}

namespace {

// The augmentation for the dataset's real shape: presets depend on it (crop size, blur off at
// ≤ 32 px); a spec written out in the project is used as it is.
Result<augment::AugmentSpec> augmentFor(const project::Project& project, data::ImageShape shape) {
    if (!project.augmentPreset.empty())
        return augment::presetSpec(project.augmentPreset, shape);
    return project.augment;
}

// The per-channel values the views were normalised with, written out in full (NormalizeSpec
// leaves them empty for 0.5, or gives one value for every channel) so that a `run:DIR` prior
// feeds the exported backbone exactly as training did.
std::vector<float> perChannel(const std::vector<float>& values, int channels) {
    std::vector<float> out(static_cast<std::size_t>(channels), 0.5f);
    for (int c = 0; c < channels && !values.empty(); ++c)
        out[c] = values[std::min<std::size_t>(c, values.size() - 1)]; // as normalizeTable picks
    return out;
}

Status writeFeatures(const fs::path& file, const at::Tensor& features) {
    if (!features.defined())
        return Ok{};
    const at::Tensor rows = features.to(torch::kFloat32).contiguous();
    return writeNpy(file, "<f4", {rows.size(0), rows.size(1)}, rows.data_ptr<float>());
}

// What a run builds before it claims a folder: bad inputs are refused without leaving one.
struct Prepared {
    OpenedSplits splits;
    augment::AugmentSpec augmentSpec;
    int viewSize = 0;
    models::BackboneConfig backboneConfig;
    ssl::Method method;
};

Result<Prepared> prepare(const project::Project& project) {
    auto splits = openProjectSplits(project.dataset);
    if (!splits)
        return splits.error();
    const data::DatasetPtr& train = splits->train;
    auto augmentSpec = augmentFor(project, train->shape());
    if (!augmentSpec)
        return augmentSpec.error();
    const int viewSize =
        augment::AugmentPipeline(*augmentSpec, train->shape()).outputShape().height;

    models::BackboneConfig backboneConfig = project.backbone;
    backboneConfig.inChannels = train->shape().channels;
    backboneConfig.imageSize = viewSize;
    // The seed fixes the initial weights too: the same project gives the same run.
    torch::manual_seed(project.train.seed);
    auto backbone = models::makeBackbone(backboneConfig);
    if (!backbone)
        return backbone.error();
    const ssl::MethodInfo* info = ssl::findMethod(project.method.name);
    if (!info)
        return makeError(ErrorCode::InvalidInput, "method.name: unknown '" + project.method.name +
                                                      "' (expected " + ssl::methodNamesList() +
                                                      ")");
    const std::int64_t stepsPerEpoch =
        static_cast<std::int64_t>(train->size()) / std::max(1, project.train.batchSize);
    const ssl::MethodContext context{
        .batchSize = project.train.batchSize,
        .totalSteps = std::max<std::int64_t>(1, stepsPerEpoch * project.train.epochs),
        .datasetSize = static_cast<std::int64_t>(train->size())};
    ssl::Method method = info->make(*backbone, project.method.hparams, context);
    return Prepared{std::move(*splits), std::move(*augmentSpec), viewSize, backboneConfig,
                    std::move(method)};
}

// Everything a run does in its claimed folder, up to the summary; `summary` gathers what the
// run came to as it goes, so that a failure still leaves what was known.
Status trainInFolder(const project::Project& project, const SessionOptions& options,
                     Prepared& prepared, const project::ClaimedRunDir& claimed,
                     train::TrainObserver& observer, const CancelToken& cancel,
                     RunSummary& summary) {
    const data::DatasetPtr& train = prepared.splits.train;
    const augment::AugmentSpec& augmentSpec = prepared.augmentSpec;
    const int viewSize = prepared.viewSize;
    const models::BackboneConfig& backboneConfig = prepared.backboneConfig;
    ssl::Method& method = prepared.method;
    const project::RunDir& runDir = claimed.dir; // locked by the caller
    std::optional<std::int64_t> resumeStep;
    if (options.resume) {
        auto counters = train::readCheckpointCounters(runDir.checkpointFile());
        if (!counters)
            return counters.error();
        resumeStep = counters->step;
    }
    SessionObserver session(observer, runDir, resumeStep, cancel);
    if (auto opened = session.open(); !opened)
        return opened.error();
    for (const auto& line : claimed.messages)
        session.onMessage(line);
    if (!options.resume)
        if (auto saved = project::writeProjectSnapshot(runDir, project); !saved)
            return saved.error();
    for (const auto& warning : summary.warnings)
        session.onMessage("warning: " + warning);

    priors::CacheOptions cache;
    cache.folder = options.cacheFolder;
    auto positives = preparePositives(project, train, cache, options.graph,
                                      session.phase("prior and neighbours"));
    if (!positives)
        return positives.error();
    if (positives->graph && options.onGraph)
        options.onGraph(positives->graph);
    for (const auto& line : positives->messages)
        session.onMessage(line);
    summary.warnings.insert(summary.warnings.end(), positives->warnings.begin(),
                            positives->warnings.end());

    EvalInputs evalInputs{train, prepared.splits.test, {}, project.eval, project.train.seed};
    evalInputs.features.viewSize = viewSize;
    evalInputs.features.normalize = augmentSpec.normalize;
    auto baseline = probePrior(project, evalInputs, positives->trainEmbedding, cache,
                               session.phase("probing the prior"));
    if (!baseline)
        return baseline.error();
    summary.priorLinearProbeAcc = baseline->linearProbeAcc;
    summary.priorKnnAcc = baseline->knnAcc;
    session.recordPriorBaseline(baseline->linearProbeAcc, baseline->knnAcc);

    train::TrainerInputs inputs;
    inputs.train = train;
    inputs.augment = augmentSpec;
    inputs.method = method;
    inputs.positives = project.positives;
    inputs.sampler = positives->sampler;
    inputs.vae = positives->vae;
    inputs.latents = positives->trainEmbedding;
    if (project.positives.refreshEvery > 0 && positives->sampler)
        inputs.refreshSampler = makeRefreshHook(project, train, augmentSpec, viewSize);
    auto latest = std::make_shared<LatestFeatures>();
    inputs.evaluate = makeEvaluateHook(evalInputs, latest);
    inputs.evalEvery = project.eval.every;
    inputs.classes = train->labelled() ? static_cast<int>(train->classNames().size()) : 0;

    train::CheckpointOptions checkpoints;
    checkpoints.file = runDir.checkpointFile();
    if (options.resume)
        checkpoints.resumeFrom = runDir.checkpointFile();
    auto trained = train::runTraining(inputs, project.train, checkpoints, session, cancel);
    if (!trained)
        return trained.error();
    if (!trained->stopped && !trained->lastEval && inputs.evaluate) {
        // A run killed after its last checkpoint resumes with nothing left to train: evaluate
        // here so it still ends with its scores and embeddings (its metrics line is written).
        auto evaluated = inputs.evaluate(*method->backbone(), trained->epochsDone,
                                         session.phase("evaluation"), nullptr);
        if (!evaluated)
            return evaluated.error();
        trained->lastEval = *evaluated;
    }

    summary.epochs = trained->epochsDone;
    summary.stopped = trained->stopped;
    summary.finalLoss = trained->finalLoss;
    summary.onlineProbeAcc = trained->onlineProbeAcc;
    if (trained->lastEval) {
        summary.linearProbeAcc = trained->lastEval->linearProbeAcc;
        summary.knnAcc = trained->lastEval->knnAcc;
        if (trained->lastEval->onlineProbeTestAcc)
            summary.onlineProbeAcc = trained->lastEval->onlineProbeTestAcc;
    }
    summary.imagesPerSecond = trained->imagesPerSecond;
    summary.device = trained->device;

    models::BackboneImpl& encoder = *method->backbone();
    encoder.to(torch::kCPU);
    if (auto exported = models::exportBackboneTorchScript(encoder, runDir.backboneFile());
        !exported)
        return exported.error();
    if (auto written = project::writeBackboneSettings(
            runDir.path, viewSize, backboneConfig.inChannels,
            perChannel(augmentSpec.normalize.mean, backboneConfig.inChannels),
            perChannel(augmentSpec.normalize.std, backboneConfig.inChannels));
        !written)
        return written.error();
    for (const auto& [file, features] : {std::pair{runDir.trainEmbeddingsFile(), latest->train},
                                         std::pair{runDir.testEmbeddingsFile(), latest->test}})
        if (auto written = writeFeatures(file, features); !written)
            return written.error();
    return Ok{};
}

} // namespace

Result<RunSummary> runSession(const project::Project& project, const SessionOptions& options,
                              train::TrainObserver& observer, const CancelToken& cancel) {
    const auto start = std::chrono::steady_clock::now();
    auto prepared = prepare(project);
    if (!prepared)
        return prepared.error();
    RunSummary summary;
    summary.warnings = prepared->splits.warnings;
    auto claimed = options.resume ? project::claimRunDirForResume(options.runDir)
                   : options.runDir.empty()
                       ? project::claimNewRunDir(project::projectFolder(project),
                                                 project::runFolderName(project))
                       : project::claimRunDirAt(options.runDir);
    if (!claimed)
        return claimed.error();
    summary.runDir = claimed->dir.path; // locked until this function returns
    const Status trained =
        trainInFolder(project, options, *prepared, *claimed, observer, cancel, summary);
    if (auto log = project::readMetrics(claimed->dir.metricsFile())) {
        const project::MetricsDigest digest = project::digestMetrics(log->lines);
        summary.bestLinearProbeAcc = digest.bestLinearProbe;
        summary.bestKnnAcc = digest.bestKnn;
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!trained) {
        // The folder says how the run ended, so the runs table shows it failed (or stopped
        // early), not crashed. The run's own error is what the caller needs; a summary that
        // cannot be written as well changes nothing about it.
        if (trained.error().code == ErrorCode::Cancelled)
            summary.stopped = true;
        else
            summary.error = trained.error().message;
        (void)project::writeSummary(claimed->dir, summaryToJson(summary));
        return trained.error();
    }
    if (auto written = project::writeSummary(claimed->dir, summaryToJson(summary)); !written)
        return written.error();
    return summary;
}

} // namespace gps::session
