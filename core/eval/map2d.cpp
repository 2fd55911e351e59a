#include "eval/map2d.h"

#include "common/check.h"
#include "common/rng.h"
#include "priors/pca.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

namespace gps::eval {

namespace {

// The seeds of the map's random parts, derived from the config's one seed.
constexpr std::uint64_t kSampleStream = 0;
constexpr std::uint64_t kMethodStream = 1;

Error invalid(const std::string& message) {
    return makeError(ErrorCode::InvalidInput, "map: " + message);
}

// The sample's rows as one m × dim block, unit length under the cosine metric (as the graph
// measures them); false when a value is not finite.
bool gatherRows(const priors::Embedding& embedding, const std::vector<std::int64_t>& rows,
                neighbors::Metric metric, std::vector<float>& out) {
    const auto dim = std::size_t(embedding.dim);
    out.resize(rows.size() * dim);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const float* source = embedding.row(rows[i]);
        float* target = out.data() + i * dim;
        double norm = 0.0;
        for (std::size_t j = 0; j < dim; ++j) {
            if (!std::isfinite(source[j]))
                return false;
            target[j] = source[j];
            norm += double(source[j]) * source[j];
        }
        if (metric == neighbors::Metric::Cosine && norm > 0) {
            const auto scale = float(1.0 / std::sqrt(norm));
            std::for_each(target, target + dim, [scale](float& v) { v *= scale; });
        }
    }
    return true;
}

Result<std::vector<float>> pca2d(const std::vector<float>& sample, std::int64_t m, std::int64_t dim,
                                 std::uint64_t seed, const ProgressFn& progress) {
    const int components = int(std::min<std::int64_t>(2, dim));
    auto projected =
        priors::projectOnPrincipalComponents(sample.data(), m, dim, components, seed, progress);
    if (!projected)
        return projected.error();
    if (components == 2)
        return std::move(projected->values);
    std::vector<float> xy(std::size_t(2 * m), 0.0f); // one column: every point on the x axis
    for (std::int64_t i = 0; i < m; ++i)
        xy[std::size_t(2 * i)] = projected->values[std::size_t(i)];
    return xy;
}

} // namespace

std::vector<std::int64_t> sampleMapRows(std::int64_t n, std::span<const int> labels,
                                        std::int64_t maxRows,
                                        std::span<const std::int64_t> required,
                                        std::uint64_t seed) {
    GPS_CHECK(maxRows >= 1, "sampleMapRows: maxRows must be ≥ 1, got " << maxRows);
    GPS_CHECK(labels.empty() || std::int64_t(labels.size()) == n,
              "sampleMapRows: " << labels.size() << " labels for " << n << " rows");
    std::vector<std::int64_t> all(std::size_t(std::max<std::int64_t>(n, 0)));
    std::iota(all.begin(), all.end(), std::int64_t(0));
    std::vector<char> taken(all.size(), 0);
    std::vector<std::int64_t> chosen;
    for (const std::int64_t row : required) {
        GPS_CHECK(row >= 0 && row < n,
                  "sampleMapRows: required row " << row << " not in [0, " << n << ")");
        if (!taken[std::size_t(row)]) {
            taken[std::size_t(row)] = 1;
            chosen.push_back(row);
        }
    }
    if (n <= maxRows)
        return all;

    // Groups in label order (unlabelled rows as -1), so the draw does not depend on row order.
    std::map<int, std::vector<std::int64_t>> groups;
    for (const std::int64_t row : all)
        if (!taken[std::size_t(row)])
            groups[labels.empty() ? 0 : std::max(labels[std::size_t(row)], -1)].push_back(row);
    const std::int64_t free = std::max<std::int64_t>(0, maxRows - std::int64_t(chosen.size()));
    const std::int64_t rest = n - std::int64_t(chosen.size());

    // Proportional quotas, rounded down, then the places left to the largest remainders.
    struct Quota {
        std::vector<std::int64_t>* rows;
        std::int64_t count;
        std::int64_t remainder;
        int order;
    };
    std::vector<Quota> quotas;
    std::int64_t given = 0;
    for (auto& [label, rows] : groups) {
        const std::int64_t share = free * std::int64_t(rows.size());
        quotas.push_back({&rows, share / rest, share % rest, int(quotas.size())});
        given += share / rest;
    }
    std::vector<Quota*> byRemainder;
    for (Quota& q : quotas)
        byRemainder.push_back(&q);
    std::stable_sort(byRemainder.begin(), byRemainder.end(),
                     [](const Quota* a, const Quota* b) { return a->remainder > b->remainder; });
    for (std::size_t i = 0; given < free && i < byRemainder.size(); ++i, ++given)
        ++byRemainder[i]->count;

    for (const Quota& q : quotas) {
        std::vector<std::int64_t>& rows = *q.rows;
        Rng rng(deriveSeed(seed, kSampleStream, std::uint64_t(q.order)));
        // A partial Fisher–Yates shuffle: the first `count` places are a uniform draw.
        for (std::int64_t j = 0; j < q.count; ++j) {
            const auto left = std::uint64_t(std::int64_t(rows.size()) - j);
            std::swap(rows[std::size_t(j)], rows[std::size_t(j) + rng.below(left)]);
        }
        chosen.insert(chosen.end(), rows.begin(), rows.begin() + q.count);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

Result<Map2d> computeMap2d(const priors::Embedding& embedding, std::span<const int> labels,
                           const Map2dConfig& config, const ProgressFn& progress) {
    const std::int64_t n = embedding.rows;
    if (n < 2 || embedding.dim < 1)
        return invalid("needs at least 2 rows of at least 1 value, the embedding has " +
                       std::to_string(n) + " × " + std::to_string(embedding.dim));
    if (config.maxRows < 2 || config.maxRows > kMaxMapRows)
        return invalid("sample size must be in [2, " + std::to_string(kMaxMapRows) + "], got " +
                       std::to_string(config.maxRows));
    if (!labels.empty() && std::int64_t(labels.size()) != n)
        return invalid(std::to_string(labels.size()) + " labels for " + std::to_string(n) +
                       " rows");
    for (const std::int64_t row : config.required)
        if (row < 0 || row >= n)
            return invalid("row " + std::to_string(row) + " is not in the embedding (" +
                           std::to_string(n) + " rows)");

    Map2d map;
    map.method = config.method;
    map.rows = sampleMapRows(n, labels, config.maxRows, config.required, config.seed);
    std::vector<float> sample;
    if (!gatherRows(embedding, map.rows, config.metric, sample))
        return invalid("the embedding holds NaN or infinite values");
    const auto m = std::int64_t(map.rows.size());
    const std::uint64_t seed = deriveSeed(config.seed, kMethodStream);
    auto xy = config.method == MapMethod::Pca
                  ? pca2d(sample, m, embedding.dim, seed, progress)
                  : tsne2d(sample.data(), m, embedding.dim, config.tsne, seed, progress);
    if (!xy)
        return xy.error();
    map.xy = std::move(*xy);
    return map;
}

} // namespace gps::eval
