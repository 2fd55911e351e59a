#include "report/chart.h"

#include "common/file_io.h"
#include "report/chart_scene.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

namespace gps::report {

namespace {

constexpr double kPadding = 0.05; // share of the span added on each side of the data
constexpr int kMinSide = 200;
constexpr int kMaxSide = 10000;

std::string lowerCase(std::string text) {
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

AxisRange paddedLinear(double lo, double hi) {
    double newLo = lo;
    double newHi = hi;
    if (hi - lo <= 1e-12 * std::max(1.0, std::abs(hi))) {
        // One distinct value: a range around it, as wide as a tenth of the value (1 for 0).
        const double spread = lo == 0 ? 1.0 : std::abs(lo) * 0.1;
        newLo = lo - spread;
        newHi = hi + spread;
    } else {
        const double pad = kPadding * (hi - lo);
        newLo = lo - pad;
        newHi = hi + pad;
    }
    // Padding must not invent negative learning rates or losses.
    // (A lone 0 keeps the range above it.)
    if (lo >= 0 && newLo < 0)
        newLo = 0;
    else if (hi <= 0 && newHi > 0)
        newHi = 0;
    return {newLo, newHi};
}

AxisRange paddedLog(double lo, double hi) {
    double a = std::log10(lo);
    double b = std::log10(hi);
    if (b - a < 1e-9) {
        a -= 0.5;
        b += 0.5;
    } else {
        const double pad = kPadding * (b - a);
        a -= pad;
        b += pad;
    }
    return {std::pow(10.0, a), std::pow(10.0, b)};
}

// The mantissa and exponent of printf's %e without the noise: "2.50e-05" -> "2.5e-5".
std::string tidyScientific(const std::string& text) {
    const auto e = text.find('e');
    if (e == std::string::npos)
        return text;
    std::string mantissa = text.substr(0, e);
    if (mantissa.find('.') != std::string::npos) {
        while (mantissa.back() == '0')
            mantissa.pop_back();
        if (mantissa.back() == '.')
            mantissa.pop_back();
    }
    return mantissa + "e" + std::to_string(std::stoi(text.substr(e + 1)));
}

} // namespace

Rgb lightened(Rgb colour, double amount) {
    const double t = std::clamp(amount, 0.0, 1.0);
    const auto mix = [t](std::uint8_t c) {
        return static_cast<std::uint8_t>(std::lround(c + (255.0 - c) * t));
    };
    return {mix(colour.r), mix(colour.g), mix(colour.b)};
}

AxisRange axisRange(const std::vector<double>& values, bool log, std::optional<AxisRange> atLeast) {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const double v : values)
        if (std::isfinite(v) && (!log || v > 0)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    const bool haveData = lo <= hi;
    if (atLeast && log && atLeast->lo <= 0)
        atLeast.reset(); // a log axis cannot show 0
    if (atLeast && (!haveData || (lo >= atLeast->lo && hi <= atLeast->hi)))
        return *atLeast;
    if (!haveData)
        return log ? AxisRange{1, 10} : AxisRange{0, 1};
    AxisRange range = log ? paddedLog(lo, hi) : paddedLinear(lo, hi);
    if (atLeast) {
        range.lo = std::min(range.lo, atLeast->lo);
        range.hi = std::max(range.hi, atLeast->hi);
    }
    return range;
}

std::vector<double> niceTicks(double lo, double hi, int target) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || hi <= lo)
        return {lo};
    const double raw = (hi - lo) / std::max(1, target);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double residual = raw / magnitude;
    const double step = magnitude * (residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10);
    std::vector<double> ticks;
    for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1) {
        const double value = k * step;
        ticks.push_back(std::abs(value) < step * 1e-9 ? 0.0 : value);
    }
    return ticks;
}

std::vector<double> logTicks(double lo, double hi) {
    if (!(lo > 0) || !(hi > lo))
        return {lo};
    const int first = static_cast<int>(std::floor(std::log10(lo)));
    const int last = static_cast<int>(std::ceil(std::log10(hi)));
    const auto inside = [lo, hi](double v) { return v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9); };
    std::vector<double> ticks;
    const int stride = std::max(1, (last - first) / 8); // at most about eight decades labelled
    for (int k = first; k <= last; k += stride)
        if (inside(std::pow(10.0, k)))
            ticks.push_back(std::pow(10.0, k));
    if (ticks.size() < 3) {
        ticks.clear();
        for (int k = first; k <= last; ++k)
            for (const double m : {1.0, 2.0, 5.0})
                if (inside(m * std::pow(10.0, k)))
                    ticks.push_back(m * std::pow(10.0, k));
    }
    if (ticks.size() < 2) {
        ticks.clear();
        for (const double v : niceTicks(lo, hi, 4))
            if (v > 0)
                ticks.push_back(v);
    }
    return ticks;
}

std::string tickLabel(double value, double step) {
    step = std::abs(step);
    if (!std::isfinite(value) || !(step > 0))
        return std::isfinite(value) ? tidyScientific(std::to_string(value)) : "";
    if (std::abs(value) < step * 1e-9)
        return "0";
    char buffer[64];
    if (step >= 1e-3 && std::abs(value) < 1e6) {
        const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
        std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
        return buffer;
    }
    const int digits = std::clamp(static_cast<int>(std::floor(std::log10(std::abs(value)))) -
                                      static_cast<int>(std::floor(std::log10(step))),
                                  0, 6);
    std::snprintf(buffer, sizeof buffer, "%.*e", digits, value);
    return tidyScientific(buffer);
}

std::optional<std::string> figureFormat(const std::filesystem::path& file) {
    const std::string extension = lowerCase(file.extension().string());
    if (extension == ".png" || extension == ".svg" || extension == ".pdf")
        return extension.substr(1);
    return std::nullopt;
}

Status writeFigure(const Figure& figure, const std::filesystem::path& file, FigureSize size) {
    const auto format = figureFormat(file);
    if (!format)
        return makeError(ErrorCode::InvalidInput,
                         file.string() + ": unknown figure format '" + file.extension().string() +
                             "'; expected a file ending in .png, .svg or .pdf");
    if (size.width < kMinSide || size.width > kMaxSide || size.height < kMinSide ||
        size.height > kMaxSide)
        return makeError(ErrorCode::InvalidInput,
                         file.string() + ": figure size " + std::to_string(size.width) + "x" +
                             std::to_string(size.height) + " outside " + std::to_string(kMinSide) +
                             "–" + std::to_string(kMaxSide) + " pixels a side");
    const Scene scene = layoutScene(figure, size);
    if (*format == "svg")
        return writeFileAtomic(file, sceneSvg(scene));
    if (*format == "pdf")
        return writeFileAtomic(file, scenePdf(scene));
    auto png = scenePng(scene);
    if (!png)
        return makeError(png.error().code, file.string() + ": " + png.error().message);
    return writeFileAtomic(file, png->data(), png->size());
}

} // namespace gps::report
