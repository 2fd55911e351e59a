#include "cli/cli.h"

#include "cli/command.h"
#include "common/json_checks.h"
#include "common/threads.h"

#include <faiss/Index.h>
#include <nlohmann/json.hpp>
#include <opencv2/core/version.hpp>
#include <torch/version.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <unistd.h>

namespace gps::cli {

namespace {

struct CommandEntry {
    std::function<CommandResult(const Words&)> run;
    const char* usage;
    const char* summary; ///< what `COMMAND --help` says besides the usage line
};

const std::map<std::string, CommandEntry>& commands() {
    static const std::map<std::string, CommandEntry> all = {
        {"dataset info",
         {datasetInfoCommand,
          "dataset info DATASET [--split S] [--labels fine|coarse] "
          "[--size PX] [--json]",
          "What a dataset holds, read from headers and file sizes without decoding the images:\n"
          "format, splits, image shape, classes and warnings."}},
        {"dataset check",
         {datasetCheckCommand,
          "dataset check DATASET [--split S] [--labels fine|coarse] "
          "[--size PX] [--json]",
          "Decodes every image of the split with a progress bar and lists the files that cannot\n"
          "be used; exit 0 with warnings when some were skipped."}},
        {"augment",
         {augmentCommand,
          "augment DATASET --index I (--preset NAME | --spec FILE) [--views N] "
          "[--seed S] [--split S] --out grid.png",
          "Draws augmented views of image I with a preset or a spec file into a PNG grid; the\n"
          "same seed gives the same views."}},
        {"embed",
         {embedCommand,
          "embed DATASET --prior SPEC [--split S] [--limit N] [--out emb.npy] "
          "[--standardize] [--epochs N] [--seed S] [--no-cache] [--json]",
          "Computes a prior's embedding of the split (one row per image, in the split's order)\n"
          "and writes it as .npy; results are cached by dataset, prior and options."}},
        {"neighbors",
         {neighborsCommand,
          "neighbors DATASET --prior SPEC [--split S] [--limit N] [--k-max K] "
          "[--k K | --tau T|auto] [--rule uniform|farthest] [--metric l2|cosine] "
          "[--index auto|flat|ivf|hnsw] [--include-anchor] [--save-knn PREFIX] "
          "[--show I --out grid.png] [--json]",
          "Builds the kNN graph of a prior's embedding and reports the positives a radius tau\n"
          "or k nearest give: candidates per anchor, purity, share with none, truncation."}},
        {"train",
         {trainCommand,
          "train PROJECT.json [--set key=value ...] [--run-dir DIR] "
          "[--sweep KEY=V1,V2,...] [--cache-dir DIR] [--json]\n"
          "  gps-studio-cli train --resume RUN_DIR [--json]",
          "Trains a project file into a run folder (metrics.jsonl, checkpoints, the exported\n"
          "backbone, embeddings, summary); --resume continues a stopped or crashed run."}},
        {"eval",
         {evalCommand, "eval RUN_DIR [--set eval.KEY=VALUE ...] [--json]",
          "Evaluates a run's exported backbone again: linear probe and kNN on the test split."}},
        {"export",
         {exportCommand,
          "export RUN_DIR [RUN_DIR ...] (--csv FILE | --plot FILE.png|.pdf|.svg) "
          "[--x step|epoch|time] [--smooth W] [--log-loss] [--json]",
          "Writes the curves of one or more run folders (their metrics.jsonl) as CSV, one row per\n"
          "run and step, and/or as a figure: loss and learning rate, then the probe and kNN\n"
          "accuracies with the prior's own as dashed lines. --smooth W is an EMA weight in [0, "
          "1)."}},
        {"bench train",
         {benchTrainCommand,
          "bench train [DATASET] [--steps N] [--batch B] [--resnet-steps N] "
          "[--resnet-batch B] [--only all|small|resnet] [--device D] [--json]",
          "Measures training steps per second for the small CNN and ResNet-18 and prints them\n"
          "against the rates measured in the same run."}},
        {"bench knn",
         {benchKnnCommand, "bench knn [DATASET] [--limit N] [--k-max K] [--json]",
          "Times the exact kNN graph against the matrix-multiply floor measured in the same run."}},
        {"bench augment",
         {benchAugmentCommand,
          "bench augment [DATASET] [--preset NAME] [--batch B] "
          "[--iterations N] [--json]",
          "Times batch augmentation in images per second and its share of a training step."}},
    };
    return all;
}

constexpr const char* kUsageNotes =
    "DATASET is a path (IDX, CIFAR, STL-10, MedMNIST .npz, image folder) or 'fashion-mnist'.\n"
    "Exit codes: 0 success, 2 bad input (one line on stderr), 1 other failure.\n";

void printUsage(std::ostream& out) {
    out << "usage: gps-studio-cli [--threads N] [--version] COMMAND ... [--help]\n\ncommands:\n";
    for (const auto& [name, entry] : commands())
        out << "  gps-studio-cli " << entry.usage << '\n';
    out << '\n' << kUsageNotes;
}

// The libraries that decide results and speed, for bug reports and reproducibility notes.
void printVersion(std::ostream& out) {
    out << "gps-studio-cli " << GPS_STUDIO_VERSION << "\nLibTorch " << TORCH_VERSION << ", OpenCV "
        << CV_VERSION << ", FAISS " << FAISS_VERSION_MAJOR << '.' << FAISS_VERSION_MINOR << '.'
        << FAISS_VERSION_PATCH << '\n';
}

bool isBadInput(ErrorCode code) {
    return code == ErrorCode::InvalidInput || code == ErrorCode::NotFound ||
           code == ErrorCode::Corrupt || code == ErrorCode::Unsupported;
}

int fail(const Error& error) {
    std::cerr << "gps-studio-cli: " << error.message << '\n';
    return isBadInput(error.code) ? kExitBadInput : kExitFailure;
}

/// More threads than this only adds contention; a typo like 100000 would start them all.
int maxThreadCount() {
    return std::max(64, 4 * hardwareThreads());
}

Result<int> parseThreadCount(const std::string& text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    const int most = maxThreadCount();
    if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > most)
        return makeError(ErrorCode::InvalidInput, "--threads: expected a whole number from 1 to " +
                                                      std::to_string(most) + " (this machine has " +
                                                      std::to_string(hardwareThreads()) +
                                                      " hardware threads), got '" + text + "'");
    return value;
}

} // namespace

void printJson(const nlohmann::json& json) {
    std::cout << json.dump(2) << std::endl;
}

void printProgress(const std::string& label, double fraction) {
    static const bool terminal = isatty(STDERR_FILENO);
    static int lastDecile = -1;
    const int percent = static_cast<int>(fraction * 100.0 + 0.5);
    if (terminal) {
        std::fprintf(stderr, "\r%s %3d%%%s", label.c_str(), percent, fraction >= 1.0 ? "\n" : "");
    } else if (percent / 10 != lastDecile) {
        lastDecile = percent / 10;
        std::fprintf(stderr, "%s %d%%\n", label.c_str(), percent);
    }
    std::fflush(stderr);
}

int run(int argc, char** argv) {
    Words words(argv + 1, argv + argc);
    // Paths end up in JSON (output, project snapshots, run summaries), which holds only UTF-8.
    for (std::size_t i = 0; i < words.size(); ++i)
        if (!isValidUtf8(words[i]))
            return fail(makeError(ErrorCode::InvalidInput,
                                  "argument " + std::to_string(i + 1) +
                                      " is not valid UTF-8 text; GPS Studio writes paths and "
                                      "values into JSON files, which hold only UTF-8 (rename "
                                      "the file or folder)"));
    // Global options come before the command.
    int threads = 0;
    while (!words.empty() && words.front().rfind("--", 0) == 0) {
        if (words.front() == "--help" || words.front() == "-h") {
            printUsage(std::cout);
            return kExitOk;
        }
        if (words.front() == "--version") {
            printVersion(std::cout);
            return kExitOk;
        }
        if (words.front() == "--threads") {
            if (words.size() < 2)
                return fail(makeError(ErrorCode::InvalidInput, "--threads: expected a number"));
            auto parsed = parseThreadCount(words[1]);
            if (!parsed)
                return fail(parsed.error());
            threads = *parsed;
            words.erase(words.begin(), words.begin() + 2);
            continue;
        }
        return fail(makeError(ErrorCode::InvalidInput,
                              "unknown option " + words.front() + " (try --help)"));
    }
    if (words.empty() || words.front() == "help") {
        printUsage(words.empty() ? std::cerr : std::cout);
        return words.empty() ? kExitBadInput : kExitOk;
    }
    // Commands are one word ("augment") or two ("dataset info").
    auto entry = commands().find(words.front());
    std::size_t consumed = 1;
    if (entry == commands().end() && words.size() >= 2) {
        entry = commands().find(words[0] + " " + words[1]);
        consumed = 2;
    }
    if (entry == commands().end()) {
        std::string available;
        for (const auto& [name, unused] : commands())
            available += (available.empty() ? "" : ", ") + name;
        return fail(makeError(ErrorCode::InvalidInput, "unknown command '" + words.front() +
                                                           "' (available: " + available + ")"));
    }
    const Words rest(words.begin() + consumed, words.end());
    if (std::find_if(rest.begin(), rest.end(), [](const std::string& word) {
            return word == "--help" || word == "-h";
        }) != rest.end()) {
        std::cout << "usage: gps-studio-cli " << entry->second.usage << "\n\n"
                  << entry->second.summary << "\n\n"
                  << kUsageNotes;
        return kExitOk;
    }
    configureThreads(threads);
    try {
        const auto result = entry->second.run(rest);
        return result ? *result : fail(result.error());
    } catch (const std::exception& e) {
        return fail(makeError(ErrorCode::Internal, std::string("internal error: ") + e.what()));
    }
}

} // namespace gps::cli
