// gps-studio-cli dataset info: what a dataset holds, cheaply (headers only) unless --split asks
// for one split to be opened, which also counts its classes and reports its warnings. Images are
// never decoded here, so a file that cannot be decoded is not found: `dataset check` does that.
#include "cli/command.h"
#include "cli/dataset_options.h"
#include "data/dataset_open.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace gps::cli {

namespace {

nlohmann::json infoJson(const data::DatasetInfo& info) {
    nlohmann::json splits = nlohmann::json::object();
    for (const auto& split : info.splits)
        splits[split.name] = {{"size", split.size}};
    return {{"format", info.format},
            {"path", info.path},
            {"splits", splits},
            {"num_classes", info.classNames.size()},
            {"class_names", info.classNames},
            {"height", info.shape.height},
            {"width", info.shape.width},
            {"channels", info.shape.channels},
            {"labelled", info.labelled},
            {"images_decoded", false},
            {"warnings", info.warnings}};
}

void printText(const nlohmann::json& json) {
    std::cout << "format:   " << json["format"].get<std::string>() << '\n'
              << "path:     " << json["path"].get<std::string>() << '\n'
              << "image:    " << json["height"] << " x " << json["width"] << " x "
              << json["channels"] << '\n'
              << "labelled: " << (json["labelled"].get<bool>() ? "yes" : "no") << '\n'
              << "splits:  ";
    for (const auto& [name, split] : json["splits"].items())
        std::cout << ' ' << name << " (" << split["size"] << ")";
    std::cout << "\nclasses:  " << json["num_classes"];
    if (json.contains("class_counts")) {
        std::cout << '\n';
        const auto& names = json["class_names"];
        const auto& counts = json["class_counts"];
        for (std::size_t c = 0; c < counts.size(); ++c)
            std::cout << "  " << c << ' ' << names[c].get<std::string>() << ": " << counts[c]
                      << '\n';
    } else {
        std::string names;
        for (const auto& name : json["class_names"])
            names += (names.empty() ? " (" : ", ") + name.get<std::string>();
        std::cout << names << (names.empty() ? "" : ")") << '\n';
    }
    std::cout << "note:     images not decoded; run `gps-studio-cli dataset check` to decode "
                 "every file\n";
    for (const auto& warning : json["warnings"])
        std::cout << "warning:  " << warning.get<std::string>() << '\n';
}

} // namespace

CommandResult datasetInfoCommand(const Words& words) {
    ArgSpec spec{"dataset info", kDatasetOptions, {"--json"}, {}};
    const auto args = Args::parse(words, spec);
    if (!args)
        return args.error();
    const auto dataset = datasetArgument(*args, "dataset info");
    if (!dataset)
        return dataset.error();
    const auto options = datasetOptions(*args);
    if (!options)
        return options.error();

    const auto info = data::describeDataset(*dataset, *options);
    if (!info)
        return info.error();
    nlohmann::json json = infoJson(*info);

    if (args->has("--split")) {
        const auto split = data::openDataset(*dataset, *options);
        if (!split)
            return split.error();
        const data::Dataset& opened = **split;
        json["split"] = opened.split();
        json["size"] = opened.size();
        if (opened.labelled()) {
            std::vector<std::size_t> counts(opened.classNames().size(), 0);
            for (std::size_t i = 0; i < opened.size(); ++i)
                ++counts[static_cast<std::size_t>(opened.label(i))];
            json["class_counts"] = counts;
        }
        for (const auto& warning : opened.warnings())
            json["warnings"].push_back(warning);
    }

    if (args->flag("--json"))
        printJson(json);
    else
        printText(json);
    return kExitOk;
}

} // namespace gps::cli
