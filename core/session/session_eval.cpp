#include "session/session_eval.h"

#include "eval/linear_probe.h"
#include "eval/online_probe.h"

#include <torch/torch.h>

namespace gps::session {

namespace {

at::Tensor embeddingTensor(const priors::Embedding& embedding) {
    return torch::from_blob(const_cast<float*>(embedding.values.data()),
                            {embedding.rows, embedding.dim}, torch::kFloat32);
}

} // namespace

// The linear probe takes most of the time, so it gets most of the bar.
Result<ProbeScores> probeFeatures(const at::Tensor& trainFeatures, const at::Tensor& testFeatures,
                                  const EvalInputs& inputs, const ProgressFn& progress) {
    const at::Tensor trainLabels = eval::datasetLabels(*inputs.train);
    const at::Tensor testLabels = eval::datasetLabels(*inputs.test);
    eval::LinearProbeOptions linear;
    linear.epochs = inputs.section.probeEpochs;
    linear.seed = inputs.seed;
    auto linearAcc = eval::linearProbeAccuracy(
        trainFeatures, trainLabels, testFeatures, testLabels, linear,
        [&](double f, std::string_view m) { return reportProgress(progress, 0.8 * f, m); });
    if (!linearAcc)
        return linearAcc.error();
    eval::KnnClassifierOptions knn;
    knn.k = inputs.section.knnK;
    knn.temperature = inputs.section.knnTemperature;
    auto knnAcc = eval::knnAccuracy(
        trainFeatures, trainLabels, testFeatures, testLabels, knn,
        [&](double f, std::string_view m) { return reportProgress(progress, 0.8 + 0.2 * f, m); });
    if (!knnAcc)
        return knnAcc.error();
    return ProbeScores{*linearAcc, *knnAcc};
}

decltype(train::TrainerInputs::evaluate) makeEvaluateHook(EvalInputs inputs,
                                                          std::shared_ptr<LatestFeatures> latest) {
    return [inputs = std::move(inputs), latest = std::move(latest)](
               models::BackboneImpl& backbone, int epochsDone, const ProgressFn& progress,
               eval::OnlineProbe* onlineProbe) -> Result<train::EvalMetrics> {
        train::EvalMetrics metrics;
        metrics.epoch = epochsDone;
        eval::FeatureOptions options = inputs.features;
        if (!backbone.parameters().empty())
            options.device = backbone.parameters().front().device();
        auto trainFeatures = eval::extractFeatures(
            backbone, *inputs.train, options,
            [&](double f, std::string_view m) { return reportProgress(progress, 0.3 * f, m); });
        if (!trainFeatures)
            return trainFeatures.error();
        latest->train = *trainFeatures;
        if (!inputs.test)
            return metrics;
        auto testFeatures = eval::extractFeatures(
            backbone, *inputs.test, options, [&](double f, std::string_view m) {
                return reportProgress(progress, 0.3 + 0.1 * f, m);
            });
        if (!testFeatures)
            return testFeatures.error();
        latest->test = *testFeatures;
        const at::Tensor testLabels = eval::datasetLabels(*inputs.test);
        if (onlineProbe)
            metrics.onlineProbeTestAcc = onlineProbe->accuracy(testFeatures->to(options.device),
                                                               testLabels.to(options.device));
        auto scores =
            probeFeatures(*trainFeatures, *testFeatures, inputs, [&](double f, std::string_view m) {
                return reportProgress(progress, 0.4 + 0.6 * f, m);
            });
        if (!scores)
            return scores.error();
        metrics.linearProbeAcc = scores->linearProbeAcc;
        metrics.knnAcc = scores->knnAcc;
        return metrics;
    };
}

Result<PriorBaseline> probePrior(const project::Project& project, const EvalInputs& inputs,
                                 std::shared_ptr<const priors::Embedding> trainEmbedding,
                                 const priors::CacheOptions& cache, const ProgressFn& progress) {
    if (!inputs.test || !project.eval.priorBaseline)
        return PriorBaseline{};
    const auto& spec = project.prior.spec;
    const auto& options = project.prior.options;
    auto sub = [&](double lo, double hi) {
        return [&progress, lo, hi](double f, std::string_view m) {
            return reportProgress(progress, lo + (hi - lo) * f, m);
        };
    };
    if (!trainEmbedding) {
        auto computed = priors::computeEmbedding(*inputs.train, *inputs.train, spec, options, cache,
                                                 sub(0.0, 0.3));
        if (!computed)
            return computed.error();
        trainEmbedding = std::make_shared<const priors::Embedding>(std::move(*computed));
    }
    auto testEmbedding =
        priors::computeEmbedding(*inputs.train, *inputs.test, spec, options, cache, sub(0.3, 0.4));
    if (!testEmbedding)
        return testEmbedding.error();
    auto scores = probeFeatures(embeddingTensor(*trainEmbedding), embeddingTensor(*testEmbedding),
                                inputs, sub(0.4, 1.0));
    if (!scores)
        return scores.error();
    return PriorBaseline{scores->linearProbeAcc, scores->knnAcc};
}

} // namespace gps::session
