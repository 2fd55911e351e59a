#pragma once
/// A run's curves with the name a legend or a CSV row gives it (its folder's name), the input of
/// the figure and CSV exports.

#include "report/run_curves.h"

#include <string>

namespace gps::report {

struct NamedRun {
    std::string name;
    RunCurves curves;
};

} // namespace gps::report
