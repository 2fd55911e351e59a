#include "cli/cli.h"

#include "cli/command.h"
#include "common/json_checks.h"
#include "common/threads.h"

#include <nlohmann/json.hpp>

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
};

const std::map<std::string, CommandEntry>& commands() {
    static const std::map<std::string, CommandEntry> all = {
        {"dataset info",
         {datasetInfoCommand, "dataset info DATASET [--split S] [--labels fine|coarse] "
                              "[--size PX] [--json]"}},
        {"dataset check",
         {datasetCheckCommand, "dataset check DATASET [--split S] [--labels fine|coarse] "
                               "[--size PX] [--json]"}},
        {"augment",
         {augmentCommand, "augment DATASET --index I (--preset NAME | --spec FILE) [--views N] "
                          "[--seed S] [--split S] --out grid.png"}},
        {"embed",
         {embedCommand, "embed DATASET --prior SPEC [--split S] [--limit N] [--out emb.npy] "
                        "[--standardize] [--epochs N] [--seed S] [--no-cache] [--json]"}},
        {"neighbors",
         {neighborsCommand,
          "neighbors DATASET --prior SPEC [--split S] [--limit N] [--k-max K] "
          "[--k K | --tau T|auto] [--rule uniform|farthest] [--metric l2|cosine] "
          "[--index auto|flat|ivf|hnsw] [--include-anchor] [--save-knn PREFIX] "
          "[--show I --out grid.png] [--json]"}},
        {"train",
         {trainCommand, "train PROJECT.json [--set key=value ...] [--run-dir DIR] "
                        "[--sweep KEY=V1,V2,...] [--cache-dir DIR] [--json]\n"
                        "  gps-studio-cli train --resume RUN_DIR [--json]"}},
        {"eval", {evalCommand, "eval RUN_DIR [--set eval.KEY=VALUE ...] [--json]"}},
        {"bench train",
         {benchTrainCommand, "bench train [DATASET] [--steps N] [--batch B] [--resnet-steps N] "
                             "[--resnet-batch B] [--only all|small|resnet] [--device D] [--json]"}},
        {"bench knn",
         {benchKnnCommand, "bench knn [DATASET] [--limit N] [--k-max K] [--json]"}},
        {"bench augment",
         {benchAugmentCommand, "bench augment [DATASET] [--preset NAME] [--batch B] "
                               "[--iterations N] [--json]"}},
    };
    return all;
}

void printUsage(std::ostream& out) {
    out << "usage: gps-studio-cli [--threads N] COMMAND ...\n\ncommands:\n";
    for (const auto& [name, entry] : commands())
        out << "  gps-studio-cli " << entry.usage << '\n';
    out << "\nDATASET is a path (IDX, CIFAR, STL-10, MedMNIST .npz, image folder) or "
           "'fashion-mnist'.\nExit codes: 0 success, 2 bad input (one line on stderr), 1 other "
           "failure.\n";
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
int maxThreadCount() { return std::max(64, 4 * hardwareThreads()); }

Result<int> parseThreadCount(const std::string& text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    const int most = maxThreadCount();
    if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > most)
        return makeError(ErrorCode::InvalidInput,
                         "--threads: expected a whole number from 1 to " + std::to_string(most) +
                             " (this machine has " + std::to_string(hardwareThreads()) +
                             " hardware threads), got '" + text + "'");
    return value;
}

} // namespace

void printJson(const nlohmann::json& json) { std::cout << json.dump(2) << std::endl; }

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
        return fail(makeError(ErrorCode::InvalidInput, "unknown option " + words.front() +
                                                           " (try --help)"));
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
        return fail(makeError(ErrorCode::InvalidInput,
                              "unknown command '" + words.front() + "' (available: " + available + ")"));
    }
    configureThreads(threads);
    try {
        const auto result = entry->second.run(Words(words.begin() + consumed, words.end()));
        return result ? *result : fail(result.error());
    } catch (const std::exception& e) {
        return fail(makeError(ErrorCode::Internal, std::string("internal error: ") + e.what()));
    }
}

} // namespace gps::cli
