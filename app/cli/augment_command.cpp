// gps-studio-cli augment: the original image and N augmented views as a labelled PNG grid. View v
// of image I uses Rng(deriveSeed(seed, I, v)), the same as the studio's preview.
#include "augment/pipeline.h"
#include "augment/presets.h"
#include "cli/command.h"
#include "cli/contact_sheet.h"
#include "cli/dataset_options.h"
#include "common/file_io.h"
#include "data/dataset_open.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace gps::cli {

namespace {

Result<augment::AugmentSpec> chooseSpec(const Args& args, data::ImageShape shape) {
    const bool hasPreset = args.has("--preset"), hasSpec = args.has("--spec");
    if (hasPreset == hasSpec)
        return makeError(ErrorCode::InvalidInput, "augment: give exactly one of --preset NAME or "
                                                  "--spec FILE");
    if (hasPreset)
        return augment::presetSpec(*args.option("--preset"), shape);
    return augment::loadAugmentSpec(*args.option("--spec"));
}

} // namespace

CommandResult augmentCommand(const Words& words) {
    auto optionNames = kDatasetOptions;
    optionNames.insert({"--index", "--preset", "--spec", "--views", "--seed", "--out", "--cell"});
    const auto args = Args::parse(words, {"augment", optionNames, {"--json"}, {}});
    if (!args)
        return args.error();
    const auto datasetName = datasetArgument(*args, "augment");
    if (!datasetName)
        return datasetName.error();
    const auto options = datasetOptions(*args);
    if (!options)
        return options.error();
    const auto out = args->option("--out");
    if (!out)
        return makeError(ErrorCode::InvalidInput, "augment: --out FILE.png is required");
    if (auto target = resolveWriteTarget(*out); !target)
        return target.error();
    const auto views = args->integer("--views", 8, 1, 256);
    const auto seed = args->integer("--seed", 0, 0, std::numeric_limits<long long>::max());
    const auto cell = args->integer("--cell", 112, 16, 1024);
    for (const auto* value : {&views, &seed, &cell})
        if (!*value)
            return value->error();

    const auto dataset = data::openDataset(*datasetName, *options);
    if (!dataset)
        return dataset.error();
    const data::Dataset& images = **dataset;
    const auto index = args->integer("--index", 0, 0, static_cast<long long>(images.size()) - 1);
    if (!index)
        return index.error();
    const auto spec = chooseSpec(*args, images.shape());
    if (!spec)
        return spec.error();

    const augment::AugmentPipeline pipeline(*spec, images.shape());
    const auto anchor = static_cast<std::size_t>(*index);
    const auto decoded = images.tryImage(anchor);
    if (!decoded)
        return decoded.error();
    const cv::Mat original = *decoded;
    std::vector<SheetCell> cells{{original, imageCaption(images, anchor), false}};
    for (long long v = 0; v < *views; ++v) {
        Rng rng(
            deriveSeed(static_cast<std::uint64_t>(*seed), anchor, static_cast<std::uint64_t>(v)));
        cells.push_back({pipeline.view(original, rng), "view " + std::to_string(v + 1), false});
    }
    const auto written = writePng(*out, renderContactSheet(cells, {static_cast<int>(*cell), 8}));
    if (!written)
        return written.error();

    if (args->flag("--json"))
        printJson({{"out", *out},
                   {"index", anchor},
                   {"views", *views},
                   {"seed", *seed},
                   {"spec", nlohmann::json::parse(augment::augmentSpecToJson(*spec))}});
    else
        std::cout << "wrote " << *out << " (" << *views << " views of image " << anchor << ", "
                  << spec->name << ", seed " << *seed << ")\n";
    return kExitOk;
}

} // namespace gps::cli
