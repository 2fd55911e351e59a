#include "common/npy.h"

#include "common/check.h"
#include "common/file_io.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>

namespace gps {

static_assert(std::endian::native == std::endian::little,
              "npy: data is read and written in host order, which must be little-endian");

namespace {

constexpr std::uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::size_t kAlignment = 64; // numpy.lib.format.ARRAY_ALIGN

std::uint32_t readLittle(const std::uint8_t* p, int bytes) {
    std::uint32_t value = 0;
    for (int i = bytes - 1; i >= 0; --i)
        value = (value << 8) | p[i];
    return value;
}

// The header is a Python dict literal written by repr(); files from other writers vary in
// spacing, quotes and trailing commas, so this parses the literal rather than matching text.
class HeaderParser {
public:
    explicit HeaderParser(std::string_view text) : m_text(text) {}

    // True when parse() stopped at a structured dtype (a list of fields): Unsupported, not Corrupt.
    bool structured() const { return m_structured; }

    // Fills descr/fortran/shape; returns an error reason, or empty on success.
    std::string parse(NpyHeader& header, bool& sawDescr, bool& sawFortran, bool& sawShape) {
        if (!consume('{'))
            return "expected '{'";
        while (!consume('}')) {
            auto key = parseString();
            if (!key)
                return "expected a quoted key at position " + std::to_string(m_pos);
            if (!consume(':'))
                return "expected ':' after '" + *key + "'";
            if (*key == "descr") {
                if (peek() == '[') {
                    m_structured = true;
                    return "structured dtype";
                }
                auto value = parseString();
                if (!value)
                    return "'descr' is not a string";
                header.dtype = *value;
                sawDescr = true;
            } else if (*key == "fortran_order") {
                auto value = parseBool();
                if (!value)
                    return "'fortran_order' is not True or False";
                header.fortranOrder = *value;
                sawFortran = true;
            } else if (*key == "shape") {
                if (!parseShape(header.shape))
                    return "'shape' is not a tuple of non-negative integers";
                sawShape = true;
            } else {
                return "unexpected key '" + *key + "'";
            }
            if (!consume(',')) {
                if (!consume('}'))
                    return "expected ',' or '}' at position " + std::to_string(m_pos);
                break;
            }
        }
        skipSpace();
        return m_pos == m_text.size() ? std::string() : "text after the closing '}'";
    }

private:
    void skipSpace() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                         m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }
    char peek() {
        skipSpace();
        return m_pos < m_text.size() ? m_text[m_pos] : '\0';
    }
    bool consume(char c) {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    bool consumeWord(std::string_view word) {
        skipSpace();
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }
    std::optional<std::string> parseString() {
        const char quote = peek();
        if (quote != '\'' && quote != '"')
            return std::nullopt;
        const auto end = m_text.find(quote, m_pos + 1);
        if (end == std::string_view::npos)
            return std::nullopt;
        std::string value(m_text.substr(m_pos + 1, end - m_pos - 1));
        m_pos = end + 1;
        return value;
    }
    std::optional<bool> parseBool() {
        if (consumeWord("True"))
            return true;
        if (consumeWord("False"))
            return false;
        return std::nullopt;
    }
    bool parseShape(std::vector<std::int64_t>& shape) {
        shape.clear();
        if (!consume('('))
            return false;
        while (!consume(')')) {
            skipSpace();
            std::int64_t value = 0;
            std::size_t digits = 0;
            while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') {
                if (value > (std::numeric_limits<std::int64_t>::max() - 9) / 10)
                    return false;
                value = value * 10 + (m_text[m_pos++] - '0');
                ++digits;
            }
            if (digits == 0)
                return false;
            if (m_pos < m_text.size() && (m_text[m_pos] == 'L' || m_text[m_pos] == 'l'))
                ++m_pos; // Python 2 long literal
            shape.push_back(value);
            if (!consume(','))
                return consume(')');
        }
        return true;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    bool m_structured = false;
};

Error corrupt(const std::string& source, const std::string& what) {
    return makeError(ErrorCode::Corrupt, source + ": " + what);
}

// "PK\x03\x04" style rendering of a few bytes for error messages.
std::string describeBytes(std::span<const std::uint8_t> bytes) {
    static const char* hex = "0123456789abcdef";
    std::string text = "'";
    for (std::uint8_t b : bytes) {
        if (b >= 0x20 && b < 0x7f && b != '\\') {
            text += char(b);
        } else {
            text += "\\x";
            text += hex[b >> 4];
            text += hex[b & 15];
        }
    }
    return text + "'";
}

// Product of the dimensions, negative ones counted as 0 (callers reject them separately).
std::size_t elementCount(const std::vector<std::int64_t>& shape) {
    std::size_t n = 1;
    for (auto d : shape)
        n *= static_cast<std::size_t>(std::max<std::int64_t>(d, 0));
    return n;
}

std::string shapeRepr(const std::vector<std::int64_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + (shape.size() == 1 ? ",)" : ")");
}

} // namespace

std::size_t npyItemSize(const std::string& dtype) {
    if (dtype.size() < 3 || std::string_view("<>|=").find(dtype[0]) == std::string_view::npos)
        return 0;
    const std::string_view size = std::string_view(dtype).substr(2);
    const char kind = dtype[1];
    auto is = [&](std::initializer_list<std::string_view> sizes) {
        for (auto s : sizes)
            if (size == s)
                return true;
        return false;
    };
    const bool known = (kind == 'b' && is({"1"})) ||
                       ((kind == 'i' || kind == 'u') && is({"1", "2", "4", "8"})) ||
                       (kind == 'f' && is({"2", "4", "8"})) || (kind == 'c' && is({"8", "16"}));
    return known ? std::stoul(std::string(size)) : 0;
}

std::size_t NpyHeader::count() const {
    return elementCount(shape);
}
std::size_t NpyHeader::itemSize() const {
    return npyItemSize(dtype);
}
std::size_t NpyHeader::dataBytes() const {
    return count() * itemSize();
}

std::size_t NpyArray::count() const {
    return elementCount(shape);
}

Result<std::size_t> npyHeaderBytes(std::span<const std::uint8_t> prefix,
                                   const std::string& sourceName) {
    const std::size_t compared = std::min(prefix.size(), sizeof kMagic);
    if (compared > 0 && std::memcmp(prefix.data(), kMagic, compared) != 0)
        return corrupt(sourceName, "not a .npy file (bad magic: expected \\x93NUMPY, found " +
                                       describeBytes(prefix.first(compared)) + ")");
    if (prefix.size() < 10)
        return corrupt(sourceName, "not a .npy file (" + std::to_string(prefix.size()) +
                                       " bytes, expected at least 10)");
    const int major = prefix[6], minor = prefix[7];
    if (major < 1 || major > 3)
        return makeError(ErrorCode::Unsupported,
                         sourceName + ": .npy format version " + std::to_string(major) + "." +
                             std::to_string(minor) + " (expected 1.0, 2.0 or 3.0)");
    if (major == 1)
        return std::size_t(10) + readLittle(prefix.data() + 8, 2);
    if (prefix.size() < 12)
        return corrupt(sourceName, "header truncated (expected at least 12 bytes, found " +
                                       std::to_string(prefix.size()) + ")");
    return std::size_t(12) + readLittle(prefix.data() + 8, 4);
}

Result<NpyHeader> parseNpyHeader(std::span<const std::uint8_t> bytes,
                                 const std::string& sourceName) {
    auto total = npyHeaderBytes(bytes, sourceName);
    if (!total)
        return total.error();
    if (bytes.size() < *total)
        return corrupt(sourceName, "header truncated (expected " + std::to_string(*total) +
                                       " bytes, found " + std::to_string(bytes.size()) + ")");
    NpyHeader header;
    header.majorVersion = bytes[6];
    header.dataOffset = *total;
    const std::size_t textStart = header.majorVersion == 1 ? 10 : 12;
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()) + textStart,
                                *total - textStart);

    bool sawDescr = false, sawFortran = false, sawShape = false;
    HeaderParser parser(text);
    const std::string reason = parser.parse(header, sawDescr, sawFortran, sawShape);
    const auto end = text.find_last_not_of(" \n");
    const std::string quoted =
        " in header " + std::string(text.substr(0, std::min<std::size_t>(end + 1, 200)));
    if (parser.structured())
        return makeError(ErrorCode::Unsupported,
                         sourceName + ": structured dtypes are not supported (expected a plain "
                                      "numeric dtype such as <f4)");
    if (!reason.empty())
        return corrupt(sourceName, "unparsable .npy header (" + reason + ")" + quoted);
    if (!sawDescr || !sawFortran || !sawShape)
        return corrupt(sourceName, "unparsable .npy header (expected keys descr, fortran_order "
                                   "and shape)" +
                                       quoted);

    const std::size_t item = npyItemSize(header.dtype);
    if (item == 0)
        return makeError(ErrorCode::Unsupported,
                         sourceName + ": dtype '" + header.dtype +
                             "' is not supported (expected a numeric dtype such as <f4, <i8, |u1)");
    if (header.dtype[0] == '>' && item > 1)
        return makeError(ErrorCode::Unsupported,
                         sourceName + ": big-endian dtype '" + header.dtype +
                             "' is not supported (save it little-endian, e.g. astype('<" +
                             header.dtype.substr(1) + "'))");
    std::size_t elements = 1;
    for (auto d : header.shape) {
        if (d < 0)
            return corrupt(sourceName, "negative dimension in shape " + shapeRepr(header.shape));
        if (d != 0 && elements > std::numeric_limits<std::size_t>::max() / item / std::size_t(d))
            return corrupt(sourceName, "shape " + shapeRepr(header.shape) + " is too large");
        elements *= std::size_t(d);
    }
    return header;
}

Result<NpyArray> parseNpy(std::span<const std::uint8_t> bytes, const std::string& sourceName) {
    auto header = parseNpyHeader(bytes, sourceName);
    if (!header)
        return header.error();
    const std::size_t expected = header->dataBytes();
    const std::size_t found = bytes.size() - header->dataOffset;
    if (found < expected)
        return corrupt(sourceName, "data truncated (shape " + shapeRepr(header->shape) +
                                       ": expected " + std::to_string(expected) +
                                       " bytes of data, found " + std::to_string(found) + ")");
    if (header->fortranOrder && header->shape.size() > 2)
        return makeError(ErrorCode::Unsupported,
                         sourceName + ": Fortran-ordered arrays with more than 2 dimensions are "
                                      "not supported (save with numpy.ascontiguousarray)");

    NpyArray array{header->dtype, header->shape, {}};
    const std::uint8_t* data = bytes.data() + header->dataOffset;
    if (header->fortranOrder && header->shape.size() == 2) {
        // Column-major (rows × cols): element (r, c) sits at c * rows + r.
        const std::size_t rows = header->shape[0], cols = header->shape[1];
        const std::size_t item = header->itemSize();
        array.bytes.resize(expected);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < cols; ++c)
                std::memcpy(array.bytes.data() + (r * cols + c) * item,
                            data + (c * rows + r) * item, item);
    } else {
        array.bytes.assign(data, data + expected);
    }
    return array;
}

Result<NpyArray> readNpy(const std::filesystem::path& path) {
    auto bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    return parseNpy(*bytes, path.string());
}

std::vector<std::uint8_t> encodeNpy(const std::string& dtype,
                                    const std::vector<std::int64_t>& shape, const void* data,
                                    std::size_t size) {
    const std::size_t item = npyItemSize(dtype);
    GPS_CHECK(item > 0, "npy: unsupported dtype '" << dtype << "'");
    GPS_CHECK(dtype[0] != '>' || item == 1, "npy: big-endian dtype '" << dtype << "'");
    std::size_t count = 1;
    for (auto d : shape) {
        GPS_CHECK(d >= 0, "npy: negative dimension in shape " << shapeRepr(shape));
        count *= std::size_t(d);
    }
    GPS_CHECK(size == count * item, "npy: " << size << " bytes for shape " << shapeRepr(shape)
                                            << " of " << dtype << " (expected " << count * item
                                            << ")");
    GPS_CHECK(data != nullptr || size == 0, "npy: null data");

    std::string text =
        "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shapeRepr(shape) + ", }";
    // numpy pads with spaces and ends with '\n' so the data starts 64-byte aligned.
    std::size_t prefix = 10;
    if (text.size() + 1 + kAlignment > 0xFFFF)
        prefix = 12; // version 2.0: 4-byte header length
    const std::size_t padding = kAlignment - (prefix + text.size() + 1) % kAlignment;
    text.append(padding % kAlignment, ' ');
    text.push_back('\n');

    std::vector<std::uint8_t> out(prefix + text.size() + size);
    std::memcpy(out.data(), kMagic, sizeof kMagic);
    out[6] = prefix == 10 ? 1 : 2;
    out[7] = 0;
    const std::size_t length = text.size();
    for (std::size_t i = 0; i < prefix - 8; ++i)
        out[8 + i] = static_cast<std::uint8_t>(length >> (8 * i));
    std::memcpy(out.data() + prefix, text.data(), text.size());
    if (size > 0)
        std::memcpy(out.data() + prefix + text.size(), data, size);
    return out;
}

Status writeNpy(const std::filesystem::path& path, const std::string& dtype,
                const std::vector<std::int64_t>& shape, const void* data) {
    const auto bytes = encodeNpy(dtype, shape, data, elementCount(shape) * npyItemSize(dtype));
    return writeFileAtomic(path, bytes.data(), bytes.size());
}

} // namespace gps
