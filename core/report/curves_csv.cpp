#include "report/curves_csv.h"

#include "common/check.h"
#include "common/file_io.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

namespace gps::report {

namespace {

constexpr std::size_t kValueColumns = 6; // loss … knn_acc, in namedCurves' order

std::string number(double value) {
    if (!std::isfinite(value))
        return "";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", value);
    return buffer;
}

// Steps are whole numbers; %.9g would turn a billionth step into an exponent.
std::string wholeOrNumber(double value) {
    if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 1e15) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
        return buffer;
    }
    return number(value);
}

struct Row {
    double epochs = 0;
    double seconds = std::nan("");
    std::array<std::optional<double>, kValueColumns> values;
};

} // namespace

std::string csvCell(const std::string& text) {
    const bool needsQuotes = text.find_first_of(",\"\r\n") != std::string::npos ||
                             (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!needsQuotes)
        return text;
    std::string out = "\"";
    for (const char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string curvesCsv(const std::vector<NamedRun>& runs) {
    std::string out = std::string(kCurvesCsvHeader) + "\n";
    for (const NamedRun& run : runs) {
        const auto curves = namedCurves(run.curves);
        GPS_CHECK(curves.size() == kValueColumns, "namedCurves no longer matches the CSV header");
        std::map<double, Row> rows;
        for (std::size_t column = 0; column < kValueColumns; ++column)
            for (const CurvePoint& point : *curves[column].curve) {
                const auto [it, added] = rows.try_emplace(point.step);
                if (added) {
                    it->second.epochs = point.epochs;
                    it->second.seconds = point.seconds;
                }
                it->second.values[column] = point.value;
            }
        const std::string name = csvCell(run.name);
        for (const auto& [step, row] : rows) {
            out += name + ',' + wholeOrNumber(step) + ',' + number(row.epochs) + ',' +
                   number(row.seconds);
            for (const auto& value : row.values)
                out += ',' + (value ? number(*value) : std::string());
            out += '\n';
        }
    }
    return out;
}

Status writeCurvesCsv(const std::filesystem::path& file, const std::vector<NamedRun>& runs) {
    return writeFileAtomic(file, curvesCsv(runs));
}

std::string tauCurvesCsv(const neighbors::TauCurves& curves) {
    GPS_CHECK(curves.purity.size() == curves.taus.size() &&
                  curves.coverage.size() == curves.taus.size() &&
                  curves.meanCandidates.size() == curves.taus.size() &&
                  curves.shareTruncated.size() == curves.taus.size(),
              "TauCurves columns differ in length");
    std::string out = "tau,purity,coverage,mean_candidates,share_truncated\n";
    for (std::size_t i = 0; i < curves.taus.size(); ++i)
        out += number(curves.taus[i]) + ',' + number(curves.purity[i]) + ',' +
               number(curves.coverage[i]) + ',' + number(curves.meanCandidates[i]) + ',' +
               number(curves.shareTruncated[i]) + '\n';
    return out;
}

Status writeTauCurvesCsv(const std::filesystem::path& file, const neighbors::TauCurves& curves) {
    return writeFileAtomic(file, tauCurvesCsv(curves));
}

std::string kCurvesCsv(const neighbors::KCurves& curves) {
    GPS_CHECK(curves.purity.size() == curves.ks.size() &&
                  curves.coverage.size() == curves.ks.size(),
              "KCurves columns differ in length");
    std::string out = "k,purity,coverage\n";
    for (std::size_t i = 0; i < curves.ks.size(); ++i)
        out += std::to_string(curves.ks[i]) + ',' + number(curves.purity[i]) + ',' +
               number(curves.coverage[i]) + '\n';
    return out;
}

Status writeKCurvesCsv(const std::filesystem::path& file, const neighbors::KCurves& curves) {
    return writeFileAtomic(file, kCurvesCsv(curves));
}

} // namespace gps::report
