#pragma once
/// CSV exports for spreadsheets and pandas: the curves of one or more runs, and the neighbour
/// statistics over τ (or k). Numbers are written with %.9g (enough for a float exactly, and for
/// a double to nine digits); a value that was not logged, or is NaN, is an empty cell.
/// Files are written atomically (common/file_io.h); errors name the file.

#include "common/result.h"
#include "neighbors/neighbor_stats.h"
#include "report/named_run.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gps::report {

/// Header of curvesCsv: the run, the three x values of a point, then the metrics keys.
inline constexpr const char* kCurvesCsvHeader = "run,step,epochs,time,loss,lr,online_probe_acc,"
                                                "images_per_second,linear_probe_acc,knn_acc";

/// One row per (run, step) in run order then ascending step, with every value logged at that
/// step; `epochs` and `time` come from the first curve logged at the step (the step line's
/// fractional epochs before an evaluation's whole ones). Run names are quoted when they hold a
/// comma, a quote, a line break or surrounding spaces.
std::string curvesCsv(const std::vector<NamedRun>& runs);
Status writeCurvesCsv(const std::filesystem::path& file, const std::vector<NamedRun>& runs);

/// Header `tau,purity,coverage,mean_candidates,share_truncated`, one row per τ as given.
std::string tauCurvesCsv(const neighbors::TauCurves& curves);
Status writeTauCurvesCsv(const std::filesystem::path& file, const neighbors::TauCurves& curves);

/// Header `k,purity,coverage`, one row per k.
std::string kCurvesCsv(const neighbors::KCurves& curves);
Status writeKCurvesCsv(const std::filesystem::path& file, const neighbors::KCurves& curves);

/// `text` as one CSV cell: quoted (with quotes doubled) only when it needs to be.
std::string csvCell(const std::string& text);

} // namespace gps::report
