// gps-studio-cli train: runs a project file (with --set overrides, optionally as a sweep over one
// key) through the same session the studio's training panel uses, and prints a JSON summary.
#include "cli/args.h"
#include "cli/command.h"
#include "cli/train_progress.h"
#include "project/project.h"
#include "project/run_dir.h"
#include "session/run_session.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace gps::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Short names a sweep may use for the keys people sweep most.
std::string sweepKey(const std::string& name) {
    static const std::map<std::string, std::string> aliases = {
        {"tau", "neighbors.tau"},   {"k", "neighbors.k"},          {"lr", "train.lr"},
        {"epochs", "train.epochs"}, {"seed", "train.seed"},        {"prior", "prior.spec"},
        {"method", "method.name"},  {"source", "positives.source"}};
    const auto alias = aliases.find(name);
    return alias == aliases.end() ? name : alias->second;
}

struct Sweep {
    std::string key;                 ///< dotted key
    std::vector<std::string> values; ///< as written
};

Result<Sweep> parseSweep(const std::string& text) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
        return makeError(ErrorCode::InvalidInput,
                         "--sweep: expected KEY=V1,V2,... (e.g. tau=0.5,1,2), got '" + text + "'");
    Sweep sweep{sweepKey(text.substr(0, equals)), {}};
    std::string rest = text.substr(equals + 1);
    for (std::size_t start = 0;;) {
        const auto comma = rest.find(',', start);
        const std::string value = rest.substr(start, comma - start);
        if (value.empty())
            return makeError(ErrorCode::InvalidInput, "--sweep: empty value in '" + text + "'");
        sweep.values.push_back(value);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return sweep;
}

Result<project::Project> projectWith(const json& base, const std::vector<std::string>& sets,
                                     const fs::path& file) {
    json document = base;
    for (const auto& assignment : sets)
        if (auto applied = project::applyOverride(document, assignment); !applied)
            return applied.error(); // it names the --set already
    return project::parseProject(document, file);
}

Result<json> runOne(const project::Project& project, const session::SessionOptions& options,
                    const CancelToken& cancel) {
    TrainProgress progress;
    auto summary = session::runSession(project, options, progress, cancel);
    if (!summary)
        return summary.error();
    return session::summaryToJson(*summary);
}

void printSummary(const json& summary) {
    std::cout << "run folder: " << summary["run_dir"].get<std::string>() << '\n';
    for (const char* key :
         {"epochs", "final_loss", "online_probe_acc", "linear_probe_acc", "knn_acc",
          "prior_linear_probe_acc", "prior_knn_acc", "images_per_second", "device"})
        std::cout << "  " << key << ": " << summary[key].dump() << '\n';
    if (summary.value("stopped", false))
        std::cout << "  stopped before the end; resume with: gps-studio-cli train --resume "
                  << summary["run_dir"].get<std::string>() << '\n';
}

} // namespace

CommandResult trainCommand(const Words& words) {
    static const ArgSpec spec{"train",
                              {"--set", "--run-dir", "--sweep", "--cache-dir", "--resume"},
                              {"--json"},
                              {"--set"}};
    auto args = Args::parse(words, spec);
    if (!args)
        return args.error();
    session::SessionOptions options;
    options.cacheFolder = args->optionOr("--cache-dir", "");
    fs::path projectFile;
    if (const auto resume = args->option("--resume")) {
        if (!args->positional().empty() || args->has("--sweep") || args->has("--set"))
            return makeError(
                ErrorCode::InvalidInput,
                "--resume RUN_DIR takes the run's own project: no PROJECT, --set or --sweep");
        options.runDir = *resume;
        options.resume = true;
        projectFile = project::RunDir{*resume}.projectFile();
    } else {
        if (args->positional().size() != 1)
            return makeError(ErrorCode::InvalidInput,
                             "usage: train PROJECT.json [--set key=value ...] "
                             "[--run-dir DIR] [--sweep KEY=V1,V2,...] [--json]");
        projectFile = args->positional().front();
        options.runDir = args->optionOr("--run-dir", "");
    }
    auto document = project::readProjectDocument(projectFile);
    if (!document)
        return document.error();
    InterruptCancels interrupt;

    std::vector<std::vector<std::string>> runs(1, args->all("--set"));
    std::vector<std::string> labels{""};
    if (const auto sweepText = args->option("--sweep")) {
        auto sweep = parseSweep(*sweepText);
        if (!sweep)
            return sweep.error();
        runs.clear();
        labels.clear();
        for (const auto& value : sweep->values) {
            runs.push_back(args->all("--set"));
            runs.back().push_back(sweep->key + "=" + value);
            labels.push_back(sweep->key + "=" + value);
        }
    }
    // Validate every run of a sweep before training any.
    std::vector<project::Project> projects;
    for (const auto& sets : runs) {
        auto parsed = projectWith(*document, sets, projectFile);
        if (!parsed)
            return parsed.error();
        projects.push_back(std::move(*parsed));
    }
    json summaries = json::array();
    for (std::size_t i = 0; i < projects.size(); ++i) {
        session::SessionOptions runOptions = options;
        if (projects.size() > 1 && !options.runDir.empty())
            runOptions.runDir = options.runDir / (labels[i].substr(labels[i].rfind('.') + 1));
        if (projects.size() > 1)
            std::cerr << "sweep run " << i + 1 << "/" << projects.size() << ": " << labels[i]
                      << '\n';
        auto summary = runOne(projects[i], runOptions, interrupt.token());
        if (!summary)
            return summary.error();
        if (!labels[i].empty())
            (*summary)["sweep"] = labels[i];
        summaries.push_back(*summary);
        if (interrupt.token().cancelled())
            break;
    }
    if (args->flag("--json"))
        printJson(summaries.size() == 1 && !args->has("--sweep") ? summaries.front() : summaries);
    else
        for (const auto& summary : summaries)
            printSummary(summary);
    return kExitOk;
}

} // namespace gps::cli
