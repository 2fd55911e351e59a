#pragma once
/// Internal to core/priors: a fast 128-bit content hash for cache keys and dataset fingerprints.
/// Not cryptographic: it guards against stale caches, not against an adversary. Two independent
/// 64-bit lanes over 8-byte words (SplitMix64 finaliser and a multiply-rotate chain), about
/// 2 GB/s, so hashing a whole in-memory split costs milliseconds.

#include "common/rng.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace gps::priors::detail {

class ContentHash {
public:
    void addBytes(const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        std::size_t i = 0;
        for (; i + 8 <= size; i += 8) {
            std::uint64_t word;
            std::memcpy(&word, p + i, 8);
            addWord(word);
        }
        std::uint64_t tail = 0;
        std::memcpy(&tail, p + i, size - i);
        addWord(tail ^ (std::uint64_t(size - i) << 56));
        addWord(size); // so that "ab" + "c" differs from "a" + "bc"
    }
    void addText(std::string_view text) { addBytes(text.data(), text.size()); }
    void addWord(std::uint64_t word) {
        m_a = splitMix64(m_a ^ word);
        m_b = rotl(m_b ^ word, 29) * 0x9E3779B97F4A7C15ULL + 0xD6E8FEB86659FD93ULL;
    }

    /// 32 lower-case hex digits.
    std::string hex() const {
        char text[33];
        std::snprintf(text, sizeof text, "%016llx%016llx",
                      static_cast<unsigned long long>(splitMix64(m_a ^ rotl(m_b, 17))),
                      static_cast<unsigned long long>(splitMix64(m_b + m_a)));
        return text;
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) {
        return (x << k) | (x >> (64 - k));
    }
    std::uint64_t m_a = 0x243F6A8885A308D3ULL;
    std::uint64_t m_b = 0x13198A2E03707344ULL;
};

} // namespace gps::priors::detail
