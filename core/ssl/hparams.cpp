#include "ssl/hparams.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>

namespace gps::ssl {

namespace {

std::string formatNumber(double value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
}

std::string expectation(const HParamSpec& spec) {
    // Appended piece by piece: `"[" + std::string` trips GCC 12's -Wrestrict false positive.
    std::string range = "[";
    range += formatNumber(spec.min);
    range += ", ";
    range += formatNumber(spec.max);
    range += "]";
    switch (spec.type) {
    case HParamType::Float:
        return "a number in " + range;
    case HParamType::Int:
        return "an integer in " + range;
    case HParamType::Bool:
        return "true or false (or 0/1)";
    }
    return {};
}

std::string knownKeys(const std::vector<HParamSpec>& schema) {
    std::string text;
    for (const HParamSpec& spec : schema)
        text += (text.empty() ? "" : ", ") + spec.name;
    return text;
}

/// The value `given` holds for `spec`, or nothing when it does not fit.
std::optional<double> readValue(const HParamSpec& spec, const nlohmann::json& given) {
    if (spec.type == HParamType::Bool) {
        if (given.is_boolean())
            return given.get<bool>() ? 1.0 : 0.0;
        if (given.is_number()) {
            const double v = given.get<double>();
            if (v == 0 || v == 1)
                return v;
        }
        return std::nullopt;
    }
    if (!given.is_number())
        return std::nullopt;
    const double v = given.get<double>();
    // Written so that NaN fails too.
    if (!(v >= spec.min && v <= spec.max))
        return std::nullopt;
    if (spec.type == HParamType::Int && v != std::floor(v))
        return std::nullopt;
    return v;
}

} // namespace

Result<HParams> resolveHParams(const std::vector<HParamSpec>& schema, const nlohmann::json& given,
                               const std::string& keyPrefix) {
    HParams values;
    for (const HParamSpec& spec : schema)
        values[spec.name] = spec.defaultValue;
    if (given.is_null())
        return values;
    if (!given.is_object()) {
        std::string where = keyPrefix;
        if (!where.empty() && where.back() == '.')
            where.pop_back();
        return makeError(ErrorCode::InvalidInput,
                         (where.empty() ? std::string("hyper-parameters") : where) +
                             ": must be an object, got " + given.dump());
    }
    for (const auto& [key, value] : given.items()) {
        const HParamSpec* spec = nullptr;
        for (const HParamSpec& candidate : schema)
            if (candidate.name == key)
                spec = &candidate;
        if (!spec) {
            const std::string expected =
                schema.empty() ? "this method takes none" : "expected one of " + knownKeys(schema);
            return makeError(ErrorCode::InvalidInput,
                             keyPrefix + key + ": unknown key (" + expected + ")");
        }
        const std::optional<double> read = readValue(*spec, value);
        if (!read)
            return makeError(ErrorCode::InvalidInput, keyPrefix + key + ": must be " +
                                                          expectation(*spec) + ", got " +
                                                          value.dump());
        values[key] = *read;
    }
    return values;
}

nlohmann::json hparamsToJson(const std::vector<HParamSpec>& schema, const HParams& values) {
    nlohmann::json out = nlohmann::json::object();
    for (const HParamSpec& spec : schema) {
        const auto found = values.find(spec.name);
        if (found == values.end() || found->second == spec.defaultValue)
            continue;
        switch (spec.type) {
        case HParamType::Float:
            out[spec.name] = found->second;
            break;
        case HParamType::Int:
            out[spec.name] = static_cast<std::int64_t>(std::llround(found->second));
            break;
        case HParamType::Bool:
            out[spec.name] = found->second != 0;
            break;
        }
    }
    return out;
}

} // namespace gps::ssl
