#include "data/image_check.h"

#include "common/check.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>

namespace gps::data {

namespace {

constexpr const char* kMessage = "checking images";

// Skipped files first (they have no row), then by row.
bool byRow(const UnreadableFile& a, const UnreadableFile& b) {
    const bool aSkipped = a.row == kNoRow, bSkipped = b.row == kNoRow;
    return aSkipped != bSkipped ? aSkipped : a.row < b.row;
}

} // namespace

Result<ImageCheck> checkImages(const Dataset& dataset, const ProgressFn& progress) {
    ImageCheck check;
    check.images = dataset.size();
    if (!reportProgress(progress, 0.0, kMessage))
        return makeError(ErrorCode::Cancelled, "checking images was cancelled");
    if (dataset.block()) {
        check.unreadable = dataset.unreadableFiles();
        reportProgress(progress, 1.0, kMessage);
        return check;
    }
    check.decoded = true;
    const std::size_t count = dataset.size();
    std::vector<std::string> failures(count); // empty: decoded
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> done{0};
    std::mutex progressMutex, errorMutex;
    std::exception_ptr escaped; // exceptions must not leave an OpenMP region: rethrown below
    const std::size_t reportEvery = std::max<std::size_t>(1, count / 100);

#pragma omp parallel for schedule(dynamic, 8)
    for (std::int64_t k = 0; k < std::int64_t(count); ++k) {
        if (stop.load(std::memory_order_relaxed))
            continue; // an OpenMP loop cannot break
        const auto i = std::size_t(k);
        try {
            auto image = dataset.tryImage(i);
            if (!image)
                failures[i] = image.error().message;
        } catch (const CheckFailure&) {
            std::lock_guard lock(errorMutex);
            if (!escaped)
                escaped = std::current_exception();
            stop = true;
        } catch (const std::exception& e) { // a reader that throws for bad data is bad data
            failures[i] = e.what();
        }
        const std::size_t finished = done.fetch_add(1) + 1;
        if (finished % reportEvery == 0) {
            std::unique_lock lock(progressMutex, std::try_to_lock);
            if (lock.owns_lock() && !stop &&
                !reportProgress(progress, double(finished) / double(count), kMessage))
                stop = true;
        }
    }
    if (escaped)
        std::rethrow_exception(escaped);
    if (stop)
        return makeError(ErrorCode::Cancelled, "checking images was cancelled");

    // Datasets that do not record their failures still have them listed, by row.
    check.unreadable = dataset.unreadableFiles();
    for (std::size_t i = 0; i < count; ++i) {
        if (failures[i].empty())
            continue;
        const bool listed = std::any_of(check.unreadable.begin(), check.unreadable.end(),
                                        [i](const UnreadableFile& f) { return f.row == i; });
        if (!listed)
            check.unreadable.push_back({"image " + std::to_string(i), failures[i], i});
    }
    std::stable_sort(check.unreadable.begin(), check.unreadable.end(), byRow);
    reportProgress(progress, 1.0, kMessage);
    return check;
}

} // namespace gps::data
