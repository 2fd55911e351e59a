#pragma once
/// LruCache<Key, Value>: a bounded map that forgets the least recently used entry first.
/// Thread-safe: every method takes one internal mutex, so callers compute values outside it (two
/// threads may then compute the same value; the second put just refreshes the entry).

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace gps {

template <class Key, class Value, class Hash = std::hash<Key>> class LruCache {
public:
    /// capacity 0 disables the cache: put() stores nothing and get() always misses.
    explicit LruCache(std::size_t capacity) : m_capacity(capacity) {}

    LruCache(const LruCache&) = delete;
    LruCache& operator=(const LruCache&) = delete;

    /// A copy of the value (cheap for shared handles such as cv::Mat) and marks it most recent.
    std::optional<Value> get(const Key& key) {
        std::lock_guard lock(m_mutex);
        auto found = m_index.find(key);
        if (found == m_index.end())
            return std::nullopt;
        m_order.splice(m_order.begin(), m_order, found->second);
        return found->second->second;
    }

    /// Inserts or replaces; evicts the least recently used entries beyond capacity.
    void put(const Key& key, Value value) {
        if (m_capacity == 0)
            return;
        std::lock_guard lock(m_mutex);
        auto found = m_index.find(key);
        if (found != m_index.end()) {
            found->second->second = std::move(value);
            m_order.splice(m_order.begin(), m_order, found->second);
            return;
        }
        m_order.emplace_front(key, std::move(value));
        m_index.emplace(key, m_order.begin());
        while (m_order.size() > m_capacity) {
            m_index.erase(m_order.back().first);
            m_order.pop_back();
        }
    }

    std::size_t size() const {
        std::lock_guard lock(m_mutex);
        return m_order.size();
    }
    std::size_t capacity() const { return m_capacity; }

    void clear() {
        std::lock_guard lock(m_mutex);
        m_index.clear();
        m_order.clear();
    }

private:
    using Entry = std::pair<Key, Value>;
    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::list<Entry> m_order; // most recent first
    std::unordered_map<Key, typename std::list<Entry>::iterator, Hash> m_index;
};

} // namespace gps
