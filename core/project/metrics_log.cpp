#include "project/metrics_log.h"

#include "common/check.h"
#include "common/file_io.h"
#include "common/json_checks.h"
#include "project/project_read.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <sys/stat.h>

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

/// Parses one line of a metrics file into `out`; the problem in words, or "" when it is a JSON
/// object.
std::string parseLine(const std::string& line, json& out) {
    if (Status checked = checkJsonText(line); !checked)
        return checked.error().message; // too deep, a repeated key, or 1e999
    try {
        out = json::parse(line);
        return out.is_object() ? std::string() : "must be a JSON object, got " + detail::found(out);
    } catch (const json::parse_error& e) {
        return "invalid JSON: " + jsonParseReason(e.what());
    }
}

} // namespace

json stepMetricsLine(const train::StepMetrics& metrics) {
    json line{{"epoch", metrics.epoch},
              {"step", metrics.step},
              {"epochs", metrics.epochs},
              {"time", metrics.seconds},
              {"loss", metrics.loss},
              {"lr", metrics.lr},
              {"images_per_second", metrics.imagesPerSecond},
              {"data_wait_share", metrics.dataWaitShare}};
    if (metrics.onlineProbeAcc > 0) // 0 until the probe has seen a labelled batch
        line["online_probe_acc"] = metrics.onlineProbeAcc;
    for (const auto& [name, value] : metrics.parts)
        line[name] = value;
    return line;
}

json evalMetricsLine(const train::EvalMetrics& metrics) {
    const auto put = [](json& line, const char* key, const std::optional<double>& value) {
        if (value)
            line[key] = *value;
    };
    if (metrics.ofPrior) {
        json line{{"epoch", 0}, {"step", 0}};
        put(line, "prior_linear_probe_acc", metrics.linearProbeAcc);
        put(line, "prior_knn_acc", metrics.knnAcc);
        return line;
    }
    json line{{"epoch", metrics.epoch}, {"step", metrics.step}};
    put(line, "linear_probe_acc", metrics.linearProbeAcc);
    put(line, "knn_acc", metrics.knnAcc);
    put(line, "online_probe_test_acc", metrics.onlineProbeTestAcc);
    return line;
}

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
        json value;
        const std::string problem = parseLine(line, value);
        if (problem.empty()) {
            log.lines.push_back(std::move(value));
            continue;
        }
        if (!complete) { // the run was killed while writing its last line
            log.warnings.push_back(where + " is cut short (the run stopped while writing it); "
                                           "ignored");
            continue;
        }
        return makeError(ErrorCode::InvalidInput, where + ": " + problem);
    }
    return log;
}

MetricsTail::MetricsTail(fs::path file) : m_file(std::move(file)) {}

Result<MetricsTail::Update> MetricsTail::poll() {
    struct stat info {};
    if (::stat(m_file.c_str(), &info) != 0)
        return makeError(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                         m_file.string() + ": " + std::strerror(errno));
    Update update;
    // A resumed run cuts the file back by writing a new one in its place (another inode), and a
    // run started again in the same folder truncates it: either way, read it from the start.
    const auto size = std::uintmax_t(info.st_size);
    if (std::uintmax_t(info.st_ino) != m_inode || size < m_offset) {
        update.restarted = m_inode != 0 || m_offset != 0;
        m_inode = std::uintmax_t(info.st_ino);
        m_offset = 0;
        m_lineNumber = 0;
    }
    if (size == m_offset)
        return update;
    std::ifstream in(m_file, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Io, m_file.string() + ": cannot open for reading");
    in.seekg(std::streamoff(m_offset));
    std::string text(std::size_t(size - m_offset), '\0');
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(std::size_t(in.gcount()));
    // Only complete lines: the writer may be in the middle of the last one.
    const std::size_t complete = text.rfind('\n');
    if (complete == std::string::npos)
        return update;
    for (std::size_t start = 0; start <= complete;) {
        const std::size_t newline = text.find('\n', start);
        std::string line = text.substr(start, newline - start);
        start = newline + 1;
        ++m_lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        json value;
        if (const std::string problem = parseLine(line, value); problem.empty())
            update.lines.push_back(std::move(value));
        else
            update.warnings.push_back(m_file.string() + ": line " + std::to_string(m_lineNumber) +
                                      ": " + problem + "; skipped");
    }
    m_offset += complete + 1;
    return update;
}

} // namespace gps::project
