#include "data/image_check.h"

#include "common/check.h"
#include "data/decode_rows.h"

#include <algorithm>
#include <exception>

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
    auto decoded = decodeRows(
        count,
        [&](std::size_t i) -> std::string {
            try {
                auto image = dataset.tryImage(i);
                return image ? std::string() : image.error().message;
            } catch (const CheckFailure&) {
                throw;                          // a bug, not bad data: rethrown by decodeRows
            } catch (const std::exception& e) { // a reader that throws for bad data is bad data
                return e.what();
            }
        },
        progress, kMessage, "checking images was cancelled");
    if (!decoded)
        return decoded.error();
    const std::vector<std::string>& failures = *decoded;

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
