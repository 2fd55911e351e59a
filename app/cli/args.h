#pragma once
/// A small, strict command-line parser: positional words, `--name value` options and `--flag`
/// switches declared per command. Anything undeclared is an error that lists what is allowed.

#include "common/result.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gps::cli {

struct ArgSpec {
    std::string command;              ///< "dataset info", for messages
    std::set<std::string> options;    ///< take a value: "--split"
    std::set<std::string> flags;      ///< take none: "--json"
    std::set<std::string> repeatable; ///< options that may appear more than once: "--set"
};

class Args {
public:
    static Result<Args> parse(const std::vector<std::string>& words, const ArgSpec& spec);

    const std::vector<std::string>& positional() const { return m_positional; }
    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    bool has(const std::string& name) const { return m_options.count(name) > 0; }
    std::optional<std::string> option(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;
    std::string optionOr(const std::string& name, const std::string& fallback) const;

    /// Integer option in [lo, hi]; InvalidInput naming the option otherwise.
    Result<long long> integer(const std::string& name, long long fallback, long long lo,
                              long long hi) const;
    /// Number option in [lo, hi].
    Result<double> number(const std::string& name, double fallback, double lo, double hi) const;

private:
    std::vector<std::string> m_positional;
    std::multimap<std::string, std::string> m_options;
    std::set<std::string> m_flags;
};

} // namespace gps::cli
