#include "data/decode_rows.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>

namespace gps::data {

Result<std::vector<std::string>> decodeRows(std::size_t count, const DecodeRowFn& decodeRow,
                                            const ProgressFn& progress, const char* message,
                                            const std::string& cancelled) {
    std::vector<std::string> failures(count);
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> done{0};
    std::size_t reported = 0;
    std::mutex progressMutex, errorMutex;
    std::exception_ptr escaped; // exceptions must not leave an OpenMP region: rethrown below
    const std::size_t reportEvery = std::max<std::size_t>(1, count / 100);

#pragma omp parallel for schedule(dynamic, 8)
    for (std::int64_t k = 0; k < std::int64_t(count); ++k) {
        if (stop.load(std::memory_order_relaxed))
            continue; // an OpenMP loop cannot break
        const auto i = std::size_t(k);
        try {
            failures[i] = decodeRow(i);
            const std::size_t finished = done.fetch_add(1) + 1;
            if (finished % reportEvery == 0) {
                std::unique_lock lock(progressMutex, std::try_to_lock);
                // `stop` is re-read under the lock so nothing is reported after a refusal.
                if (lock.owns_lock() && !stop && finished > reported) {
                    reported = finished;
                    if (!reportProgress(progress, double(finished) / double(count), message))
                        stop = true;
                }
            }
        } catch (...) {
            const std::lock_guard lock(errorMutex);
            if (!escaped)
                escaped = std::current_exception();
            stop = true;
        }
    }
    if (escaped)
        std::rethrow_exception(escaped);
    if (stop)
        return makeError(ErrorCode::Cancelled, cancelled);
    return failures;
}

} // namespace gps::data
