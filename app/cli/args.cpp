#include "cli/args.h"

#include <charconv>
#include <cmath>

namespace gps::cli {

namespace {

std::string allowedList(const ArgSpec& spec) {
    std::string list;
    for (const auto* names : {&spec.options, &spec.flags})
        for (const auto& name : *names)
            list += (list.empty() ? "" : ", ") + name;
    return list.empty() ? "none" : list;
}

} // namespace

Result<Args> Args::parse(const std::vector<std::string>& words, const ArgSpec& spec) {
    Args args;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (word.size() < 3 || word.rfind("--", 0) != 0) {
            args.m_positional.push_back(word);
            continue;
        }
        // Accept both "--name value" and "--name=value".
        std::string name = word;
        std::optional<std::string> inlineValue;
        if (const auto eq = word.find('='); eq != std::string::npos) {
            name = word.substr(0, eq);
            inlineValue = word.substr(eq + 1);
        }
        if (spec.flags.count(name)) {
            if (inlineValue)
                return makeError(ErrorCode::InvalidInput, name + " takes no value");
            args.m_flags.insert(name);
        } else if (spec.options.count(name)) {
            if (!inlineValue && i + 1 >= words.size())
                return makeError(ErrorCode::InvalidInput, name + " needs a value");
            if (args.m_options.count(name) && !spec.repeatable.count(name))
                return makeError(ErrorCode::InvalidInput, name + " given twice");
            args.m_options.emplace(name, inlineValue ? *inlineValue : words[++i]);
        } else {
            return makeError(ErrorCode::InvalidInput, "unknown option " + name + " for '" +
                                                          spec.command + "' (expected " +
                                                          allowedList(spec) + ")");
        }
    }
    return args;
}

std::optional<std::string> Args::option(const std::string& name) const {
    const auto it = m_options.find(name);
    if (it == m_options.end())
        return std::nullopt;
    return it->second;
}

std::vector<std::string> Args::all(const std::string& name) const {
    std::vector<std::string> values;
    const auto [first, last] = m_options.equal_range(name);
    for (auto it = first; it != last; ++it)
        values.push_back(it->second);
    return values;
}

std::string Args::optionOr(const std::string& name, const std::string& fallback) const {
    return option(name).value_or(fallback);
}

Result<long long> Args::integer(const std::string& name, long long fallback, long long lo,
                                long long hi) const {
    const auto text = option(name);
    if (!text)
        return fallback;
    long long value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size())
        return makeError(ErrorCode::InvalidInput,
                         name + ": expected an integer, got '" + *text + "'");
    if (value < lo || value > hi)
        return makeError(ErrorCode::InvalidInput, name + ": must be in [" + std::to_string(lo) +
                                                      ", " + std::to_string(hi) + "], got " +
                                                      *text);
    return value;
}

Result<double> Args::number(const std::string& name, double fallback, double lo, double hi) const {
    const auto text = option(name);
    if (!text)
        return fallback;
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text->size() || !std::isfinite(value))
        return makeError(ErrorCode::InvalidInput,
                         name + ": expected a number, got '" + *text + "'");
    if (value < lo || value > hi)
        return makeError(ErrorCode::InvalidInput, name + ": must be in [" + std::to_string(lo) +
                                                      ", " + std::to_string(hi) + "], got " +
                                                      *text);
    return value;
}

} // namespace gps::cli
