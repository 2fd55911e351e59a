#pragma once
/// Explicit, seedable random numbers. Every random operation in the studio takes an Rng&, and
/// per-item generators are derived from (seed, indices) so results do not depend on threading.

#include <cstdint>

namespace gps {

/// SplitMix64 step: a good 64-bit mix used to derive independent seeds.
constexpr std::uint64_t splitMix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// Seed for item (a, b, c) of a run seeded with `seed`; distinct tuples give unrelated streams.
constexpr std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0,
                                   std::uint64_t c = 0) {
    return splitMix64(splitMix64(splitMix64(splitMix64(seed) ^ a) ^ b) ^ c);
}

/// The streams c of deriveSeed(seed, step, row, c) for one row of a training batch. Named once
/// here because the augmentation pipeline, the batch source and the studio's pair preview (which
/// shows the pairs a run would draw) must agree on them.
namespace seed_stream {
inline constexpr std::uint64_t kFirstView = 0;  ///< DA(x)
inline constexpr std::uint64_t kSecondView = 1; ///< DA(x), or DA(x') with neighbour positives
inline constexpr std::uint64_t kPositive = 2;   ///< the sampler's draw of x'
inline constexpr std::uint64_t kExtraView = 3;  ///< the semantic and synthetic sources' x' view
} // namespace seed_stream

/// xoshiro256** generator with its own, platform-independent uniform draws (std's
/// distributions differ between standard libraries, which would break "same seed, same bytes").
class Rng {
public:
    explicit Rng(std::uint64_t seed = 0) { reseed(seed); }

    void reseed(std::uint64_t seed) {
        std::uint64_t x = seed;
        for (auto& word : m_state) {
            x = splitMix64(x);
            word = x;
        }
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform in [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Uniform integer in [0, n); n > 0.
    std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(uniform() * n) % n; }
    /// True with probability p.
    bool bernoulli(double p) { return uniform() < p; }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) {
        return (x << k) | (x >> (64 - k));
    }
    std::uint64_t m_state[4];
};

} // namespace gps
