#include "project/project_read.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace gps::project::detail {

using nlohmann::json;

std::string joinChoices(const std::vector<std::string>& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            text += names.size() == 2 ? " or " : ", ";
        text += names[i];
    }
    return text;
}

std::string found(const json& value) {
    std::string text = value.dump();
    if (text.size() > 40)
        text = text.substr(0, 37) + "...";
    return text;
}

Error invalid(const std::string& path, const std::string& text) {
    return makeError(ErrorCode::InvalidInput, path + ": " + text);
}

std::string formatNumber(double value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
}

double floatForJson(float value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    double wide = value;
    std::from_chars(buffer, end, wide);
    return static_cast<float>(wide) == value ? wide : double(value);
}

std::string Fields::pathOf(std::string_view key) const {
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

Problem Fields::section(const json& root, std::string_view key, Keys known, Fields& out) {
    out = Fields(nullptr, std::string(key));
    const auto it = root.find(key);
    if (it == root.end())
        return {};
    if (!it->is_object())
        return invalid(std::string(key), "must be an object, got " + found(*it));
    out = Fields(&*it, std::string(key));
    return out.checkKnown(known);
}

Problem Fields::checkKnown(Keys known) const {
    if (!m_object)
        return {};
    for (const auto& item : m_object->items()) {
        if (std::find(known.begin(), known.end(), item.key()) != known.end())
            continue;
        std::string list;
        for (std::string_view name : known)
            list += (list.empty() ? "" : ", ") + std::string(name);
        return invalid(pathOf(item.key()), "unknown key (expected one of " + list + ")");
    }
    return {};
}

Problem Fields::boolean(std::string_view key, bool& out) const {
    if (!has(key))
        return {};
    const json& value = at(key);
    if (!value.is_boolean())
        return invalid(pathOf(key), "must be true or false, got " + found(value));
    out = value.get<bool>();
    return {};
}

Problem Fields::text(std::string_view key, bool allowEmpty, std::string& out) const {
    if (!has(key))
        return {};
    const json& value = at(key);
    if (!value.is_string() || (!allowEmpty && value.get<std::string>().empty()))
        return invalid(pathOf(key), std::string("must be a ") + (allowEmpty ? "" : "non-empty ") +
                                        "string, got " + found(value));
    out = value.get<std::string>();
    return {};
}

namespace {
// JSON integers, and floats with no fractional part (an override "1e3" reads as a float).
bool integral(const json& value) {
    if (value.is_number_integer())
        return true;
    return value.is_number_float() && std::isfinite(value.get<double>()) &&
           value.get<double>() == std::floor(value.get<double>());
}
} // namespace

Problem Fields::integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                        std::int64_t& out) const {
    if (!has(key))
        return {};
    const json& value = at(key);
    const std::string expected =
        hi == std::numeric_limits<std::int64_t>::max() || hi == std::numeric_limits<int>::max()
            ? "an integer ≥ " + std::to_string(lo)
            : "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    bool ok = integral(value);
    std::int64_t number = 0;
    if (ok && value.is_number_unsigned()) {
        const auto wide = value.get<std::uint64_t>();
        ok = wide <= std::uint64_t(std::numeric_limits<std::int64_t>::max());
        number = ok ? std::int64_t(wide) : 0;
    } else if (ok && value.is_number_integer()) {
        number = value.get<std::int64_t>();
    } else if (ok) {
        const double d = value.get<double>();
        ok = std::abs(d) < 9e18;
        number = ok ? std::int64_t(d) : 0;
    }
    if (!ok || number < lo || number > hi)
        return invalid(pathOf(key), "must be " + expected + ", got " + found(value));
    out = number;
    return {};
}

Problem Fields::integer(std::string_view key, int lo, int hi, int& out) const {
    std::int64_t wide = out;
    if (Problem problem = integer(key, std::int64_t(lo), std::int64_t(hi), wide))
        return problem;
    out = int(wide);
    return {};
}

Problem Fields::size(std::string_view key, std::size_t& out) const {
    std::int64_t wide = std::int64_t(out);
    if (Problem problem = integer(key, 0, std::numeric_limits<std::int64_t>::max(), wide))
        return problem;
    out = std::size_t(wide);
    return {};
}

Problem Fields::seed(std::string_view key, std::uint64_t& out) const {
    if (!has(key))
        return {};
    const json& value = at(key);
    if (value.is_number_unsigned()) {
        out = value.get<std::uint64_t>();
        return {};
    }
    // Negative integers and fractions fail here with the same wording as integer().
    std::int64_t wide = 0;
    if (Problem problem = integer(key, 0, std::numeric_limits<std::int64_t>::max(), wide))
        return problem;
    out = std::uint64_t(wide);
    return {};
}

Problem Fields::number(std::string_view key, std::string_view rule,
                       const std::function<bool(double)>& ok, double& out) const {
    if (!has(key))
        return {};
    const json& value = at(key);
    if (!value.is_number())
        return invalid(pathOf(key),
                       "must be a number " + std::string(rule) + ", got " + found(value));
    const double number = value.get<double>();
    if (!ok(number))
        return invalid(pathOf(key), "must be " + std::string(rule) + ", got " + found(value));
    out = number;
    return {};
}

Problem Fields::numberInRange(std::string_view key, double lo, double hi, double& out) const {
    const std::string rule = "in [" + formatNumber(lo) + ", " + formatNumber(hi) + "]";
    return number(
        key, rule, [lo, hi](double v) { return v >= lo && v <= hi; }, out);
}

Problem Fields::positive(std::string_view key, double& out) const {
    return number(
        key, "> 0", [](double v) { return v > 0; }, out);
}

Problem Fields::nonNegative(std::string_view key, double& out) const {
    return number(
        key, "≥ 0", [](double v) { return v >= 0; }, out);
}

Problem Fields::floats(std::string_view key, std::string_view expected,
                       const std::function<bool(double)>& ok, std::vector<float>& out) const {
    if (!has(key))
        return {};
    const json& value = at(key);
    const bool good = value.is_array() && std::all_of(value.begin(), value.end(), [&](auto& v) {
                          return v.is_number() && ok(v.template get<double>());
                      });
    if (!good)
        return invalid(pathOf(key),
                       "must be an array of " + std::string(expected) + ", got " + found(value));
    out.clear();
    for (const json& v : value)
        out.push_back(static_cast<float>(v.get<double>()));
    return {};
}

Problem Fields::choice(std::string_view key, const std::vector<std::string>& names,
                       int& index) const {
    if (!has(key))
        return {};
    const json& value = at(key);
    if (!value.is_string())
        return invalid(pathOf(key), "must be " + joinChoices(names) + ", got " + found(value));
    const auto it = std::find(names.begin(), names.end(), value.get<std::string>());
    if (it == names.end())
        return invalid(pathOf(key), "unknown '" + value.get<std::string>() + "' (expected " +
                                        joinChoices(names) + ")");
    index = int(it - names.begin());
    return {};
}

} // namespace gps::project::detail
