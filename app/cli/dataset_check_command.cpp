// gps-studio-cli dataset check: reads every image of a dataset (or of --split) and lists the
// files that cannot be used, with why. Unreadable files are the report, not a failure: exit 0
// with them listed; 2 only when the dataset cannot be opened at all.
#include "cli/command.h"
#include "cli/dataset_options.h"
#include "data/dataset_open.h"
#include "data/image_check.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace gps::cli {

namespace {

nlohmann::json fileJson(const data::UnreadableFile& file) {
    return {{"file", file.file},
            {"reason", file.reason},
            {"row", file.row == data::kNoRow ? nlohmann::json(nullptr) : nlohmann::json(file.row)}};
}

void printText(const nlohmann::json& json) {
    std::cout << "format:   " << json["format"].get<std::string>() << '\n'
              << "path:     " << json["path"].get<std::string>() << '\n';
    for (const auto& [name, split] : json["splits"].items()) {
        const auto& files = split["unreadable"];
        std::cout << name << ": " << split["images"] << " images";
        if (split["decoded"].get<bool>())
            std::cout << " decoded, " << files.size() << " unreadable file"
                      << (files.size() == 1 ? "" : "s") << '\n';
        else
            std::cout << " read in full and checked when opened (nothing left to decode)\n";
        for (const auto& file : files)
            std::cout << "  " << file["file"].get<std::string>()
                      << (file["row"].is_null() ? " (skipped)"
                                                : " (image " + file["row"].dump() + ")")
                      << ": " << file["reason"].get<std::string>() << '\n';
    }
    for (const auto& warning : json["warnings"])
        std::cout << "warning:  " << warning.get<std::string>() << '\n';
}

} // namespace

CommandResult datasetCheckCommand(const Words& words) {
    ArgSpec spec{"dataset check", kDatasetOptions, {"--json"}, {}};
    const auto args = Args::parse(words, spec);
    if (!args)
        return args.error();
    const auto dataset = datasetArgument(*args, "dataset check");
    if (!dataset)
        return dataset.error();
    const auto options = datasetOptions(*args);
    if (!options)
        return options.error();
    const auto info = data::describeDataset(*dataset, *options);
    if (!info)
        return info.error();

    std::vector<std::string> splits;
    if (args->has("--split"))
        splits.push_back(options->split);
    else
        for (const auto& split : info->splits)
            splits.push_back(split.name);

    nlohmann::json json = {{"format", info->format},
                           {"path", info->path},
                           {"splits", nlohmann::json::object()},
                           {"unreadable_count", 0}};
    std::vector<std::string> warnings = info->warnings;
    std::size_t unreadable = 0;
    for (const auto& name : splits) {
        data::OpenOptions splitOptions = *options;
        splitOptions.split = name;
        splitOptions.cacheImages = 0; // each image is decoded once: keeping it only costs memory
        const auto opened = data::openDataset(*dataset, splitOptions);
        if (!opened)
            return opened.error();
        const std::string label = "check " + name;
        const auto check = data::checkImages(**opened, [&label](double fraction, std::string_view) {
            printProgress(label, fraction);
            return true;
        });
        if (!check)
            return check.error();
        nlohmann::json files = nlohmann::json::array();
        for (const auto& file : check->unreadable)
            files.push_back(fileJson(file));
        unreadable += check->unreadable.size();
        json["splits"][name] = {
            {"images", check->images}, {"decoded", check->decoded}, {"unreadable", files}};
        for (const auto& warning : (*opened)->warnings())
            if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end())
                warnings.push_back(warning);
    }
    json["unreadable_count"] = unreadable;
    json["warnings"] = warnings;
    if (args->flag("--json"))
        printJson(json);
    else
        printText(json);
    return kExitOk;
}

} // namespace gps::cli
