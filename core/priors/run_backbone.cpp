#include "priors/run_backbone.h"

#include "common/file_io.h"
#include "priors/torchscript.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace gps::priors {

namespace fs = std::filesystem;

fs::path runBackboneFile(const fs::path& dir) {
    return dir / "backbone.pt";
}
fs::path runBackboneSettingsFile(const fs::path& dir) {
    return dir / "backbone.json";
}

Result<PriorOptions> runBackboneOptions(const fs::path& dir, const PriorOptions& base,
                                        const std::string& spec) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return makeError(ErrorCode::NotFound, spec + ": no such folder");
    if (!fs::is_regular_file(runBackboneFile(dir), ec))
        return makeError(ErrorCode::NotFound, spec + ": no backbone.pt — train a run first");
    const fs::path settingsFile = runBackboneSettingsFile(dir);
    if (!fs::is_regular_file(settingsFile, ec))
        return makeError(ErrorCode::NotFound,
                         spec + ": no backbone.json next to backbone.pt (the run did not finish "
                                "saving its backbone — train it again)");
    auto bytes = readFileBytes(settingsFile);
    if (!bytes)
        return bytes.error();
    const auto settings = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
    if (settings.is_discarded() || !settings.is_object())
        return makeError(ErrorCode::InvalidInput, settingsFile.string() + ": not a JSON object");

    PriorOptions options = base;
    std::string badKey;
    auto readInt = [&](const char* key, int& out) {
        if (!settings.contains(key))
            return;
        if (settings[key].is_number_integer())
            out = settings[key].get<int>();
        else
            badKey = key;
    };
    auto readFloats = [&](const char* key, std::vector<float>& out) {
        if (!settings.contains(key))
            return;
        const auto& value = settings[key];
        const bool numbers =
            value.is_array() &&
            std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_number(); });
        if (numbers)
            out = value.get<std::vector<float>>();
        else
            badKey = key;
    };
    readInt("input_size", options.inputSize);
    readInt("input_channels", options.inputChannels);
    readFloats("mean", options.mean);
    readFloats("std", options.std);
    if (!badKey.empty())
        return makeError(
            ErrorCode::InvalidInput,
            settingsFile.string() + ": " + badKey + ": expected " +
                (badKey == "mean" || badKey == "std" ? "an array of numbers" : "an integer"));
    return options;
}

Result<EmbedderPtr> makeRunBackbonePrior(const fs::path& dir, const PriorOptions& options,
                                         const std::string& spec) {
    auto runOptions = runBackboneOptions(dir, options, spec);
    if (!runOptions)
        return runOptions.error();
    return makeTorchScriptPrior(runBackboneFile(dir), *runOptions, spec);
}

} // namespace gps::priors
