#include "common/json_checks.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>
#include <utility>
#include <vector>

namespace gps {

namespace {

using json = nlohmann::json;

/// A SAX pass that keeps only the path to the current value: one frame per open container.
class CheckingSax {
public:
    CheckingSax(int maxDepth, std::string at) : m_maxDepth(maxDepth), m_at(std::move(at)) {}

    bool null() { return value(); }
    bool boolean(bool) { return value(); }
    bool number_integer(json::number_integer_t) { return value(); }
    bool number_unsigned(json::number_unsigned_t) { return value(); }
    bool number_float(json::number_float_t number, const json::string_t& text) {
        if (!std::isfinite(number))
            return refuse(where() + ": the number " + text + " is out of range");
        return value();
    }
    bool string(json::string_t&) { return value(); }
    bool binary(json::binary_t&) { return value(); }

    bool start_object(std::size_t) { return open(true); }
    bool key(json::string_t& name) {
        Frame& frame = m_frames.back();
        frame.key = name;
        if (!frame.keys.insert(name).second)
            return refuse(where() + ": the key appears twice in one object (which one is meant?)");
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(false); }
    bool end_array() { return close(); }

    bool parse_error(std::size_t, const std::string& token, const nlohmann::detail::exception& e) {
        constexpr int kNumberOverflow = 406; // nlohmann's out_of_range id for "1e999"
        if (e.id == kNumberOverflow)
            return refuse(where() + ": the number " + token + " is out of range");
        return false; // the caller's own parse reports syntax errors with line and column
    }

    const std::string& problem() const { return m_problem; }

private:
    struct Frame {
        bool object = false;
        std::set<std::string> keys;
        std::string key;
        std::size_t index = 0;
    };

    bool open(bool object) {
        if (static_cast<int>(m_frames.size()) >= m_maxDepth)
            return refuse(where() + ": nested deeper than " + std::to_string(m_maxDepth) +
                          " levels");
        m_frames.push_back(Frame{object, {}, {}, 0});
        return true;
    }
    bool close() {
        m_frames.pop_back();
        return value();
    }
    /// A value (or a closed container) ends: the enclosing array moves to its next index.
    bool value() {
        if (!m_frames.empty() && !m_frames.back().object)
            ++m_frames.back().index;
        return true;
    }
    std::string where() const {
        std::string path = m_at;
        for (const Frame& frame : m_frames) {
            if (frame.object) {
                if (!path.empty())
                    path += '.';
                path += frame.key;
            } else {
                path += '[';
                path += std::to_string(frame.index);
                path += ']';
            }
        }
        return path.empty() ? "the document" : path;
    }
    bool refuse(std::string problem) {
        m_problem = std::move(problem);
        return false;
    }

    int m_maxDepth;
    std::string m_at;
    std::vector<Frame> m_frames;
    std::string m_problem;
};

} // namespace

Status checkJsonText(std::string_view text, int maxDepth, const std::string& at) {
    CheckingSax sax(maxDepth, at);
    json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json,
                    /*strict=*/true, /*ignore_comments=*/true);
    if (!sax.problem().empty())
        return makeError(ErrorCode::InvalidInput, sax.problem());
    return Ok{};
}

bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        int length = 0;
        char32_t code = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            code = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            code = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            code = lead & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(length) > text.size())
            return false;
        for (int k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            if ((next & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (next & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
        static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        i += static_cast<std::size_t>(length);
    }
    return true;
}

std::string jsonParseReason(const std::string& what) {
    const auto column = what.find("column ");
    const auto colon = column == std::string::npos ? column : what.find(": ", column);
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

} // namespace gps
