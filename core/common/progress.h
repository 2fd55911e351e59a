#pragma once
/// Progress reporting and cancellation for long work. Both are safe to use across threads.

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>

namespace gps {

/// Called with the fraction done in [0, 1] and a short message; returns false to stop the work.
/// Called from the worker thread: implementations must be cheap and thread-safe.
using ProgressFn = std::function<bool(double fraction, std::string_view message)>;

/// A flag set by any thread (the GUI's cancel button) and polled by the worker.
class CancelToken {
public:
    CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { m_flag->store(true, std::memory_order_relaxed); }
    bool cancelled() const { return m_flag->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> m_flag; // shared so copies handed to workers see one flag
};

/// Calls progress if set; returns false when the work should stop.
inline bool reportProgress(const ProgressFn& progress, double fraction, std::string_view message) {
    return !progress || progress(fraction, message);
}

} // namespace gps
