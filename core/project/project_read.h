#pragma once
// Internal to core/project: typed readers for one section of a project document. Each reader
// leaves its output untouched when the key is absent (the default stands) and returns the
// first problem as an InvalidInput error whose message starts with the key's full path.

#include "common/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gps::project::detail {

using Problem = std::optional<Error>;
using Keys = std::initializer_list<std::string_view>;

/// "a", "a or b", "a, b, c" (the last form for three or more, as the messages list choices).
std::string joinChoices(const std::vector<std::string>& names);
/// The value as the user wrote it, cut short so one message stays one line.
std::string found(const nlohmann::json& value);
/// InvalidInput "<path>: <text>".
Error invalid(const std::string& path, const std::string& text);
/// Shortest decimal text that reads back as the same double ("0.3", "1e-05").
std::string formatNumber(double value);

/// The shortest decimal that reads back as the same float, so a file says 0.3 rather than
/// 0.30000001192092896 and still reads back equal.
double floatForJson(float value);

/// One object of the document and its key path ("train", "" for the root).
class Fields {
public:
    Fields(const nlohmann::json* object, std::string path)
        : m_object(object), m_path(std::move(path)) {}

    /// The section `key` of `root`: null object (every read keeps its default) when absent;
    /// a problem when present but not an object, or when it has a key outside `known`.
    static Problem section(const nlohmann::json& root, std::string_view key, Keys known,
                           Fields& out);

    bool has(std::string_view key) const { return m_object && m_object->contains(key); }
    const nlohmann::json& at(std::string_view key) const { return m_object->at(key); }
    std::string pathOf(std::string_view key) const;

    Problem checkKnown(Keys known) const;

    Problem boolean(std::string_view key, bool& out) const;
    Problem text(std::string_view key, bool allowEmpty, std::string& out) const;
    /// An integral JSON number in [lo, hi]; "must be an integer ≥ lo" or "… in [lo, hi]".
    Problem integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                    std::int64_t& out) const;
    Problem integer(std::string_view key, int lo, int hi, int& out) const;
    Problem size(std::string_view key, std::size_t& out) const;
    Problem seed(std::string_view key, std::uint64_t& out) const;
    /// A number accepted by `ok`; `rule` words the range: "> 0", "≥ 0", "in [0, 1)".
    Problem number(std::string_view key, std::string_view rule,
                   const std::function<bool(double)>& ok, double& out) const;
    Problem numberInRange(std::string_view key, double lo, double hi, double& out) const;
    Problem positive(std::string_view key, double& out) const;
    Problem nonNegative(std::string_view key, double& out) const;
    /// An array of numbers, each accepted by `ok` ("numbers > 0").
    Problem floats(std::string_view key, std::string_view expected,
                   const std::function<bool(double)>& ok, std::vector<float>& out) const;
    /// One of `names`; `index` is its position. "unknown 'far' (expected uniform or farthest)".
    Problem choice(std::string_view key, const std::vector<std::string>& names, int& index) const;

private:
    const nlohmann::json* m_object = nullptr;
    std::string m_path;
};

} // namespace gps::project::detail
