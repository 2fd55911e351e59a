#include "augment/spec.h"

#include "augment/spec_wording.h"
#include "common/file_io.h"
#include "common/json_checks.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <initializer_list>

namespace gps::augment {
namespace {
using detail::mustBe;
using nlohmann::json;
using Problem = std::optional<Error>;
using Keys = std::initializer_list<std::string_view>;
namespace wording = detail::wording;

std::string joinPath(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// The offending value as the user wrote it, cut short so one message stays one line.
std::string found(const json& value) {
    std::string text = value.dump();
    if (text.size() > 40)
        text = text.substr(0, 37) + "...";
    return text;
}

Problem checkKnownKeys(const json& object, const std::string& path, Keys known) {
    for (const auto& [key, value] : object.items()) {
        if (std::find(known.begin(), known.end(), key) != known.end())
            continue;
        std::string list;
        for (std::string_view name : known)
            list += (list.empty() ? "" : ", ") + std::string(name);
        return makeError(ErrorCode::InvalidInput,
                         joinPath(path, key) + ": unknown key (expected one of " + list + ")");
    }
    return {};
}

// Each reader leaves `out` untouched when the key is absent (the spec's default stands).
// Ranges are left to validateAugmentSpec, except where a value could not even be stored.

Problem readSection(const json& root, std::string_view key, Keys known, const json*& out) {
    out = nullptr;
    const auto it = root.find(key);
    if (it == root.end())
        return {};
    if (!it->is_object())
        return mustBe(std::string(key), "an object", found(*it));
    out = &*it;
    return checkKnownKeys(*it, std::string(key), known);
}

Problem readNumber(const json* section, const std::string& path, std::string_view key,
                   std::string_view expected, double& out) {
    if (!section || !section->contains(key))
        return {};
    const json& value = section->at(key);
    if (!value.is_number())
        return mustBe(joinPath(path, key), expected, found(value));
    out = value.get<double>();
    return {};
}

Problem readInt(const json* section, const std::string& path, std::string_view key,
                std::string_view expected, int lo, int hi, int& out) {
    double number = out;
    if (Problem problem = readNumber(section, path, key, expected, number))
        return problem;
    if (number != std::floor(number) || number < lo || number > hi)
        return mustBe(joinPath(path, key), expected, found(section->at(key)));
    out = static_cast<int>(number);
    return {};
}

Problem readPair(const json* section, const std::string& path, std::string_view key,
                 std::string_view expected, std::array<double, 2>& out) {
    if (!section || !section->contains(key))
        return {};
    const json& value = section->at(key);
    if (!value.is_array() || value.size() != 2 || !value[0].is_number() || !value[1].is_number())
        return mustBe(joinPath(path, key), expected, found(value));
    out = {value[0].get<double>(), value[1].get<double>()};
    return {};
}

Problem readFloats(const json* section, const std::string& path, std::string_view key,
                   std::string_view expected, std::vector<float>& out) {
    if (!section || !section->contains(key))
        return {};
    const json& value = section->at(key);
    const bool numbers = value.is_array() && std::all_of(value.begin(), value.end(),
                                                         [](auto& v) { return v.is_number(); });
    if (!numbers)
        return mustBe(joinPath(path, key), expected, found(value));
    out.clear();
    for (const json& v : value)
        out.push_back(static_cast<float>(v.get<double>()));
    return {};
}

Problem readCropKind(const json* crop, CropSpec::Kind& out) {
    if (!crop || !crop->contains("kind"))
        return {};
    const json& value = crop->at("kind");
    if (value == "resize")
        out = CropSpec::Kind::Resize;
    else if (value == "random_resized")
        out = CropSpec::Kind::RandomResized;
    else if (value.is_string())
        return makeError(ErrorCode::InvalidInput, "crop.kind: unknown '" +
                                                      value.get<std::string>() +
                                                      "' (expected resize or random_resized)");
    else
        return mustBe("crop.kind", "resize or random_resized", found(value));
    return {};
}

Result<AugmentSpec> readSpec(const json& root) {
    using namespace wording;
    if (!root.is_object())
        return mustBe("spec", "a JSON object", found(root));
    if (Problem problem = checkKnownKeys(
            root, "",
            {"name", "crop", "jitter", "grayscale", "blur", "solarize", "flip", "normalize"}))
        return *problem;
    AugmentSpec spec;
    if (root.contains("name")) {
        if (!root["name"].is_string())
            return mustBe("name", "a string", found(root["name"]));
        spec.name = root["name"].get<std::string>();
    }
    const json *crop, *jitter, *gray, *blur, *solarize, *flip, *normalize;
    const Problem problems[] = {
        readSection(root, "crop", {"kind", "size", "scale", "ratio"}, crop),
        readSection(root, "jitter", {"brightness", "contrast", "saturation", "hue", "p"}, jitter),
        readSection(root, "grayscale", {"p"}, gray),
        readSection(root, "blur", {"p", "sigma"}, blur),
        readSection(root, "solarize", {"p", "threshold"}, solarize),
        readSection(root, "flip", {"p"}, flip),
        readSection(root, "normalize", {"mean", "std"}, normalize),
        readCropKind(crop, spec.crop.kind),
        readInt(crop, "crop", "size", kSize, 0, kMaxCropSize, spec.crop.size),
        readPair(crop, "crop", "scale", kScale, spec.crop.scale),
        readPair(crop, "crop", "ratio", kRatio, spec.crop.ratio),
        readNumber(jitter, "jitter", "brightness", kStrength, spec.jitter.brightness),
        readNumber(jitter, "jitter", "contrast", kStrength, spec.jitter.contrast),
        readNumber(jitter, "jitter", "saturation", kStrength, spec.jitter.saturation),
        readNumber(jitter, "jitter", "hue", kHue, spec.jitter.hue),
        readNumber(jitter, "jitter", "p", kProbability, spec.jitter.p),
        readNumber(gray, "grayscale", "p", kProbability, spec.grayscaleP),
        readNumber(blur, "blur", "p", kProbability, spec.blur.p),
        readPair(blur, "blur", "sigma", kSigma, spec.blur.sigma),
        readNumber(solarize, "solarize", "p", kProbability, spec.solarize.p),
        readInt(solarize, "solarize", "threshold", kThreshold, 0, 256, spec.solarize.threshold),
        readNumber(flip, "flip", "p", kProbability, spec.flipP),
        readFloats(normalize, "normalize", "mean", kMean, spec.normalize.mean),
        readFloats(normalize, "normalize", "std", kStd, spec.normalize.std),
    };
    // A section that is not an object leaves its pointer null, so later readers skip it and
    // the first problem in key order is the one reported.
    for (const Problem& problem : problems)
        if (problem)
            return *problem;
    if (Status valid = validateAugmentSpec(spec); !valid)
        return valid.error();
    return spec;
}

// "line L, column C: reason" from nlohmann's "[json.exception.parse_error.101] parse error at
// line L, column C: reason" (its lexer counts lines and columns as an editor does).
std::string parseErrorWhere(const std::string& what) {
    const auto at = what.find("line ");
    return at == std::string::npos ? what : what.substr(at);
}

// The shortest decimal that reads back as the same float, so that a spec file says 0.485
// rather than 0.48500001430511475 and still round-trips exactly.
double floatForJson(float value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    double wide = value;
    std::from_chars(buffer, end, wide);
    return static_cast<float>(wide) == value ? wide : double(value);
}

nlohmann::ordered_json floatsForJson(const std::vector<float>& values) {
    auto array = nlohmann::ordered_json::array();
    for (float v : values)
        array.push_back(floatForJson(v));
    return array;
}

} // namespace

Result<AugmentSpec> parseAugmentSpec(const std::string& jsonText) {
    if (Status checked = checkJsonText(jsonText); !checked)
        return checked.error();
    json root;
    try {
        root = json::parse(jsonText, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        return makeError(ErrorCode::InvalidInput, "invalid JSON at " + parseErrorWhere(e.what()));
    }
    return readSpec(root);
}

Result<AugmentSpec> loadAugmentSpec(const std::string& path) {
    auto bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    auto spec = parseAugmentSpec(std::string(bytes->begin(), bytes->end()));
    if (!spec)
        return makeError(spec.error().code, path + ": " + spec.error().message);
    return spec;
}

std::string augmentSpecToJson(const AugmentSpec& spec) {
    using ojson = nlohmann::ordered_json;
    const bool resize = spec.crop.kind == CropSpec::Kind::Resize;
    ojson root;
    root["name"] = spec.name;
    root["crop"] = {{"kind", resize ? "resize" : "random_resized"},
                    {"size", spec.crop.size},
                    {"scale", spec.crop.scale},
                    {"ratio", spec.crop.ratio}};
    root["jitter"] = {{"brightness", spec.jitter.brightness},
                      {"contrast", spec.jitter.contrast},
                      {"saturation", spec.jitter.saturation},
                      {"hue", spec.jitter.hue},
                      {"p", spec.jitter.p}};
    root["grayscale"] = {{"p", spec.grayscaleP}};
    root["blur"] = {{"p", spec.blur.p}, {"sigma", spec.blur.sigma}};
    root["solarize"] = {{"p", spec.solarize.p}, {"threshold", spec.solarize.threshold}};
    root["flip"] = {{"p", spec.flipP}};
    root["normalize"] = {{"mean", floatsForJson(spec.normalize.mean)},
                         {"std", floatsForJson(spec.normalize.std)}};
    return root.dump(2);
}

} // namespace gps::augment
