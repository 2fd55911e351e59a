#include "report/curve_math.h"

#include <algorithm>
#include <cmath>

namespace gps::report {

std::vector<double> smoothEma(const std::vector<double>& values, double weight) {
    const double w = std::clamp(std::isfinite(weight) ? weight : 0.0, 0.0, 0.999);
    std::vector<double> out;
    out.reserve(values.size());
    double last = 0;
    int finiteSeen = 0;
    for (const double y : values) {
        if (!std::isfinite(y)) {
            out.push_back(y);
            continue;
        }
        last = w * last + (1 - w) * y;
        ++finiteSeen;
        const double debias = w == 0 ? 1.0 : 1.0 - std::pow(w, finiteSeen);
        out.push_back(last / debias);
    }
    return out;
}

Curve smoothed(const Curve& curve, double weight) {
    std::vector<double> values;
    values.reserve(curve.size());
    for (const CurvePoint& point : curve)
        values.push_back(point.value);
    const std::vector<double> ema = smoothEma(values, weight);
    Curve out = curve;
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].value = ema[i];
    return out;
}

Curve decimated(const Curve& curve, std::size_t maxPoints) {
    maxPoints = std::max<std::size_t>(maxPoints, 4);
    if (curve.size() <= maxPoints)
        return curve;
    // Each bucket contributes two points; the first and last points are kept on their own.
    const std::size_t buckets = (maxPoints - 2) / 2;
    const std::size_t inner = curve.size() - 2;
    Curve out;
    out.reserve(2 * buckets + 2);
    out.push_back(curve.front());
    for (std::size_t b = 0; b < buckets; ++b) {
        const std::size_t begin = 1 + b * inner / buckets;
        const std::size_t end = 1 + (b + 1) * inner / buckets;
        if (begin >= end)
            continue;
        std::size_t low = begin;
        std::size_t high = begin;
        for (std::size_t i = begin; i < end; ++i) {
            if (curve[i].value < curve[low].value)
                low = i;
            if (curve[i].value > curve[high].value)
                high = i;
        }
        out.push_back(curve[std::min(low, high)]);
        if (low != high)
            out.push_back(curve[std::max(low, high)]);
    }
    out.push_back(curve.back());
    return out;
}

} // namespace gps::report
