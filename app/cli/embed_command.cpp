// gps-studio-cli embed: a prior's embedding of a split, cached, optionally written as .npy.
// Row i is image i of the split: an image that cannot be decoded stops the command (exit 2,
// naming the file) rather than being dropped, which would shift every later row against the
// dataset that neighbours and training index, or replaced by a made-up row.
#include "cli/command.h"
#include "cli/dataset_options.h"
#include "cli/prior_options.h"
#include "common/file_io.h"
#include "common/npy.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace gps::cli {

CommandResult embedCommand(const Words& words) {
    auto optionNames = kDatasetOptions;
    optionNames.insert(kPriorOptions.begin(), kPriorOptions.end());
    optionNames.insert("--out");
    auto flags = kPriorFlags;
    flags.insert("--json");
    const auto args = Args::parse(words, {"embed", optionNames, flags, {}});
    if (!args)
        return args.error();
    const auto datasetName = datasetArgument(*args, "embed");
    if (!datasetName)
        return datasetName.error();
    const auto options = datasetOptions(*args);
    if (!options)
        return options.error();

    const auto out = args->option("--out");
    if (out) // refused before the embedding is computed, not after
        if (auto target = resolveWriteTarget(*out); !target)
            return target.error();
    const auto embedded = embedFromArgs(*args, *datasetName, *options);
    if (!embedded)
        return embedded.error();
    const priors::Embedding& embedding = embedded->embedding;
    if (out) {
        const auto written =
            writeNpy(*out, "<f4", {embedding.rows, embedding.dim}, embedding.values.data());
        if (!written)
            return written.error();
    }

    const priors::EmbedReport& report = embedded->report;
    nlohmann::json json = {{"n", embedding.rows},
                           {"dim", embedding.dim},
                           {"prior", report.spec},
                           {"split", embedded->dataset->split()},
                           {"cache_hit", report.hit},
                           {"seconds", report.seconds},
                           {"cache_file", report.file.string()},
                           {"out", out.value_or("")},
                           {"warnings", embedded->warnings}};
    if (args->flag("--json")) {
        printJson(json);
        return kExitOk;
    }
    std::cout << "embedded " << embedding.rows << " images of " << *datasetName << " ("
              << embedded->dataset->split() << ") with " << report.spec << ": " << embedding.dim
              << " dimensions, " << report.seconds << " s" << (report.hit ? " (cache hit)" : "")
              << '\n';
    if (out)
        std::cout << "wrote " << *out << '\n';
    for (const auto& warning : embedded->warnings)
        std::cout << "warning: " << warning << '\n';
    return kExitOk;
}

} // namespace gps::cli
