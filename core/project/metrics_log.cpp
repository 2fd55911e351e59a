#include "project/metrics_log.h"

#include "common/check.h"
#include "common/file_io.h"
#include "common/json_checks.h"
#include "project/project_read.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace gps::project {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Bytes up to and including the last '\n' (0 when there is none): what stays of a file whose
// last line may have been cut short.
Result<std::uintmax_t> completeLinesSize(const fs::path& file, std::uintmax_t size) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Io, file.string() + ": cannot open for reading");
    constexpr std::uintmax_t kChunk = 4096;
    std::string buffer;
    for (std::uintmax_t end = size; end > 0;) {
        const std::uintmax_t begin = end > kChunk ? end - kChunk : 0;
        buffer.resize(std::size_t(end - begin));
        in.seekg(std::streamoff(begin));
        if (!in.read(buffer.data(), std::streamsize(buffer.size())))
            return makeError(ErrorCode::Io, file.string() + ": read failed");
        const auto newline = buffer.rfind('\n');
        if (newline != std::string::npos)
            return begin + newline + 1;
        end = begin;
    }
    return std::uintmax_t(0);
}

/// Rewrites `file` without the lines logged after `step`. Lines that do not parse are kept:
/// cutting history back must never lose what it cannot read.
Status cutAfterStep(const fs::path& file, std::int64_t step) {
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    std::string kept;
    bool cut = false;
    std::size_t begin = 0;
    const std::string text(bytes->begin(), bytes->end());
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        end = end == std::string::npos ? text.size() : end + 1;
        const std::string_view line(text.data() + begin, end - begin);
        const json value = json::parse(line, nullptr, /*allow_exceptions=*/false);
        const bool later = value.is_object() && value.contains("step") &&
                           value["step"].is_number_integer() &&
                           value["step"].get<std::int64_t>() > step;
        if (later)
            cut = true;
        else
            kept.append(line);
        begin = end;
    }
    return cut ? writeFileAtomic(file, kept) : Status(Ok{});
}

} // namespace

Result<MetricsWriter> MetricsWriter::open(const fs::path& file,
                                          std::optional<std::int64_t> keepThroughStep) {
    std::error_code ec;
    const std::uintmax_t size = fs::exists(file, ec) ? fs::file_size(file, ec) : 0;
    if (ec)
        return makeError(ErrorCode::Io, file.string() + ": " + ec.message());
    if (size > 0) {
        auto keep = completeLinesSize(file, size);
        if (!keep)
            return keep.error();
        if (*keep != size) {
            fs::resize_file(file, *keep, ec);
            if (ec)
                return makeError(ErrorCode::Io, file.string() +
                                                    ": cannot remove the cut-short "
                                                    "last line: " +
                                                    ec.message());
        }
    }
    if (size > 0 && keepThroughStep)
        if (Status cut = cutAfterStep(file, *keepThroughStep); !cut)
            return cut.error();
    std::FILE* handle = std::fopen(file.c_str(), "ab");
    if (!handle)
        return makeError(ErrorCode::Io,
                         file.string() + ": cannot open for appending: " + std::strerror(errno));
    return MetricsWriter(file, handle);
}

Status MetricsWriter::append(const json& object) {
    GPS_CHECK(object.is_object(), "a metrics line must be a JSON object");
    GPS_CHECK(m_handle, "append on a moved-from MetricsWriter");
    const std::string line = object.dump() + "\n";
    const bool written = std::fwrite(line.data(), 1, line.size(), m_handle.get()) == line.size();
    if (!written || std::fflush(m_handle.get()) != 0)
        return makeError(ErrorCode::Io,
                         m_file.string() + ": write failed: " + std::strerror(errno));
    return Ok{};
}

Result<MetricsLog> readMetrics(const fs::path& file) {
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    const std::string text(bytes->begin(), bytes->end());
    MetricsLog log;
    std::size_t lineNumber = 0;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t newline = text.find('\n', start);
        const bool complete = newline != std::string::npos;
        std::string line = text.substr(start, complete ? newline - start : std::string::npos);
        start = complete ? newline + 1 : text.size();
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        const std::string where = file.string() + ": line " + std::to_string(lineNumber);
        std::string problem;
        if (Status checked = checkJsonText(line); !checked) {
            problem = checked.error().message; // too deep, a repeated key, or 1e999
        } else {
            try {
                json value = json::parse(line);
                if (value.is_object())
                    log.lines.push_back(std::move(value));
                else
                    problem = "must be a JSON object, got " + detail::found(value);
            } catch (const json::parse_error& e) {
                problem = "invalid JSON: " + jsonParseReason(e.what());
            }
        }
        if (problem.empty())
            continue;
        if (!complete) { // the run was killed while writing its last line
            log.warnings.push_back(where + " is cut short (the run stopped while writing it); "
                                           "ignored");
            continue;
        }
        return makeError(ErrorCode::InvalidInput, where + ": " + problem);
    }
    return log;
}

} // namespace gps::project
