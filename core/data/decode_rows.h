#pragma once
/// The one parallel loop over a split's rows that decodes images: used by materializeDataset
/// (copy every image into memory) and checkImages (`dataset check`).

#include "common/progress.h"
#include "common/result.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace gps::data {

/// Decodes one row; returns why it failed, or "" when it decoded. Called from OpenMP threads,
/// for distinct rows at once. An exception it lets escape (a failed GPS_CHECK: a bug, not bad
/// data) stops the loop and is rethrown by decodeRows.
using DecodeRowFn = std::function<std::string(std::size_t row)>;

/// Runs `decodeRow` for rows 0 … count − 1 on OpenMP threads and returns each row's failure
/// ("" for the rows that decoded). `progress` gets `message` about a hundred times, from one
/// thread at a time; returning false stops with Cancelled "<cancelled>".
Result<std::vector<std::string>> decodeRows(std::size_t count, const DecodeRowFn& decodeRow,
                                            const ProgressFn& progress, const char* message,
                                            const std::string& cancelled);

} // namespace gps::data
