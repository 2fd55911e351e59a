// gps-studio-cli eval: re-evaluates a finished run from its folder alone — the exported
// TorchScript backbone (fed as backbone.json says) embeds both splits of the run's project and
// the same linear probe and kNN run on them — and prints the numbers next to the recorded ones.
#include "cli/args.h"
#include "cli/command.h"
#include "priors/run_backbone.h"
#include "project/project.h"
#include "project/run_dir.h"
#include "session/run_session.h"
#include "session/session_eval.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <iostream>

namespace gps::cli {

namespace {

using nlohmann::json;

Result<at::Tensor> embedSplit(priors::Embedder& embedder, const data::Dataset& dataset,
                              const std::string& label) {
    auto embedding = embedder.embed(dataset, [&label](double fraction, std::string_view) {
        printProgress(label, fraction);
        return true;
    });
    if (!embedding)
        return embedding.error();
    return torch::from_blob(embedding->values.data(), {embedding->rows, embedding->dim},
                            torch::kFloat32)
        .clone();
}

} // namespace

CommandResult evalCommand(const Words& words) {
    static const ArgSpec spec{"eval", {"--set"}, {"--json"}, {"--set"}};
    auto args = Args::parse(words, spec);
    if (!args)
        return args.error();
    if (args->positional().size() != 1)
        return makeError(ErrorCode::InvalidInput,
                         "usage: eval RUN_DIR [--set eval.KEY=VALUE ...] [--json]");
    const auto start = std::chrono::steady_clock::now();
    const project::RunDir run{args->positional().front()};
    auto document = project::readProjectDocument(run.projectFile());
    if (!document)
        return document.error();
    for (const auto& assignment : args->all("--set"))
        if (auto applied = project::applyOverride(*document, assignment); !applied)
            return applied.error(); // it names the --set already
    auto project = project::parseProject(*document, run.projectFile());
    if (!project)
        return makeError(project.error().code,
                         run.projectFile().string() + ": " + project.error().message);
    auto splits = session::openProjectSplits(project->dataset);
    if (!splits)
        return splits.error();
    if (!splits->test)
        return makeError(ErrorCode::InvalidInput,
                         "eval: the run's dataset has no labelled test split (dataset.test_split)");
    auto embedder = priors::makeRunBackbonePrior(run.path, {}, "run:" + run.path.string());
    if (!embedder)
        return embedder.error();
    auto trainFeatures = embedSplit(**embedder, *splits->train, "embed train");
    if (!trainFeatures)
        return trainFeatures.error();
    auto testFeatures = embedSplit(**embedder, *splits->test, "embed test");
    if (!testFeatures)
        return testFeatures.error();
    session::EvalInputs inputs{splits->train, splits->test, {}, project->eval, project->train.seed};
    auto scores = session::probeFeatures(*trainFeatures, *testFeatures, inputs,
                                         [](double fraction, std::string_view) {
                                             printProgress("probes", fraction);
                                             return true;
                                         });
    if (!scores)
        return scores.error();

    json out{{"run_dir", run.path.string()},
             {"train_rows", trainFeatures->size(0)},
             {"test_rows", testFeatures->size(0)},
             {"feature_dim", trainFeatures->size(1)},
             {"linear_probe_acc", scores->linearProbeAcc},
             {"knn_acc", scores->knnAcc},
             {"seconds",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}};
    if (auto recorded = project::readSummary(run.path); recorded) {
        out["recorded_linear_probe_acc"] = recorded->value("linear_probe_acc", json());
        out["recorded_knn_acc"] = recorded->value("knn_acc", json());
    }
    if (args->flag("--json")) {
        printJson(out);
    } else {
        std::cout << "run folder: " << run.path.string() << '\n'
                  << "  linear probe accuracy: " << scores->linearProbeAcc << '\n'
                  << "  kNN accuracy (k = " << project->eval.knnK << "): " << scores->knnAcc
                  << '\n';
        if (out.contains("recorded_linear_probe_acc"))
            std::cout << "  recorded at the end of training: linear probe "
                      << out["recorded_linear_probe_acc"].dump() << ", kNN "
                      << out["recorded_knn_acc"].dump() << '\n';
    }
    return kExitOk;
}

} // namespace gps::cli
