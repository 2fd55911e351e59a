#pragma once
/// Hyper-parameters as a schema (name, type, default, range, help) that the UI renders as a form
/// and the project file validates against (solo-learn's declared defaults, docs/design.md §3).

#include "common/result.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <vector>

namespace gps::ssl {

enum class HParamType { Float, Int, Bool };

struct HParamSpec {
    std::string name; ///< key in the project file under `method.` (snake_case)
    HParamType type = HParamType::Float;
    double defaultValue = 0; ///< Bool: 0 or 1
    double min = 0;          ///< inclusive bounds for Float and Int
    double max = 0;
    std::string help; ///< one line shown as the form's tooltip
};

/// Values by name; every name of the schema is present after resolveHParams.
using HParams = std::map<std::string, double>;

/// The schema's defaults overridden by `given` (a JSON object, may be empty or null).
/// InvalidInput naming `keyPrefix + name` for an unknown key, a wrong type or a value out of
/// range, e.g. "method.temperature: must be a number in [0.01, 10], got 0".
Result<HParams> resolveHParams(const std::vector<HParamSpec>& schema, const nlohmann::json& given,
                               const std::string& keyPrefix);

/// Only the values that differ from the defaults, as a JSON object (for project files).
nlohmann::json hparamsToJson(const std::vector<HParamSpec>& schema, const HParams& values);

} // namespace gps::ssl
