// gps-studio-cli export: the curves of one or more run folders as CSV (every logged value) and
// as a figure (PNG, SVG or PDF), from their metrics.jsonl alone, so runs trained on a server
// are plotted there without the studio.
#include "cli/args.h"
#include "cli/command.h"
#include "project/run_dir.h"
#include "report/chart.h"
#include "report/curves_csv.h"
#include "report/run_figure.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

namespace gps::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kUsage = "usage: export RUN_DIR [RUN_DIR ...] (--csv FILE | --plot "
                               "FILE.png|.pdf|.svg) [--x step|epoch|time] [--smooth W] "
                               "[--log-loss] [--json]";

Result<report::XAxis> parseXAxis(const std::string& text) {
    if (text == "step")
        return report::XAxis::Step;
    if (text == "epoch")
        return report::XAxis::Epoch;
    if (text == "time")
        return report::XAxis::Time;
    return makeError(ErrorCode::InvalidInput,
                     "--x: expected step, epoch or time, got '" + text + "'");
}

// The folder's own name, also for "runs/a/", "runs/a/." or ".".
std::string runName(const fs::path& dir) {
    fs::path clean = fs::absolute(dir).lexically_normal();
    if (clean.filename().empty())
        clean = clean.parent_path();
    const std::string name = clean.filename().string();
    return name.empty() ? dir.string() : name;
}

Result<report::NamedRun> readRun(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return makeError(ErrorCode::NotFound,
                         dir.string() +
                             ": no such folder (expected a run folder holding metrics.jsonl)");
    const project::RunDir run{dir};
    if (!fs::is_regular_file(run.metricsFile(), ec))
        return makeError(ErrorCode::NotFound, run.metricsFile().string() +
                                                  ": no such file (expected a run folder "
                                                  "holding metrics.jsonl)");
    auto curves = report::readRunCurves(run.metricsFile());
    if (!curves)
        return curves.error();
    return report::NamedRun{runName(dir), std::move(*curves)};
}

std::size_t pointCount(const report::RunCurves& curves) {
    std::size_t count = 0;
    for (const auto& named : report::namedCurves(curves))
        count += named.curve->size();
    return count;
}

bool hasX(const report::RunCurves& curves, report::XAxis axis) {
    for (const auto& named : report::namedCurves(curves))
        for (const report::CurvePoint& point : *named.curve)
            if (std::isfinite(point.x(axis)))
                return true;
    return false;
}

} // namespace

CommandResult exportCommand(const Words& words) {
    static const ArgSpec spec{
        "export", {"--csv", "--plot", "--x", "--smooth"}, {"--log-loss", "--json"}, {}};
    auto args = Args::parse(words, spec);
    if (!args)
        return args.error();
    if (args->positional().empty())
        return makeError(ErrorCode::InvalidInput,
                         std::string("export: no RUN_DIR given; ") + kUsage);
    const auto csv = args->option("--csv");
    const auto plot = args->option("--plot");
    if (!csv && !plot)
        return makeError(
            ErrorCode::InvalidInput,
            std::string("export: nothing to write; give --csv FILE, --plot FILE or both; ") +
                kUsage);
    if (plot && !report::figureFormat(*plot))
        return makeError(ErrorCode::InvalidInput,
                         "--plot " + *plot + ": unknown figure format '" +
                             fs::path(*plot).extension().string() +
                             "'; expected a file ending in .png, .svg or .pdf");
    auto axis = parseXAxis(args->optionOr("--x", "step"));
    if (!axis)
        return axis.error();
    auto smoothing = args->number("--smooth", 0, 0, 1);
    if (!smoothing)
        return smoothing.error();
    if (*smoothing >= 1)
        return makeError(ErrorCode::InvalidInput,
                         "--smooth: expected an EMA weight in [0, 1) such as 0.6, got " +
                             *args->option("--smooth"));

    std::vector<report::NamedRun> runs;
    for (const std::string& dir : args->positional()) {
        auto run = readRun(dir);
        if (!run)
            return run.error();
        runs.push_back(std::move(*run));
    }
    if (plot && *axis == report::XAxis::Time &&
        std::none_of(runs.begin(), runs.end(), [](const report::NamedRun& run) {
            return hasX(run.curves, report::XAxis::Time);
        }))
        return makeError(ErrorCode::InvalidInput,
                         "--x time: none of the runs recorded training time (their metrics were "
                         "written before runs kept it); use --x step or --x epoch");

    json files = json::array();
    if (csv) {
        if (auto written = report::writeCurvesCsv(*csv, runs); !written)
            return written.error();
        files.push_back({{"path", *csv}, {"kind", "csv"}});
    }
    if (plot) {
        report::RunFigureOptions options;
        options.x = *axis;
        options.smoothing = *smoothing;
        options.logLoss = args->flag("--log-loss");
        if (auto written = report::writeFigure(report::runFigure(runs, options), *plot); !written)
            return written.error();
        files.push_back({{"path", *plot}, {"kind", *report::figureFormat(*plot)}});
    }

    json runList = json::array();
    std::size_t points = 0;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::size_t count = pointCount(runs[i].curves);
        points += count;
        runList.push_back({{"name", runs[i].name},
                           {"dir", args->positional()[i]},
                           {"points", count},
                           {"last_step", runs[i].curves.lastStep()}});
    }
    if (args->flag("--json")) {
        printJson({{"files", files}, {"runs", runList}, {"points", points}});
    } else {
        for (const auto& file : files)
            std::cout << "wrote " << file["path"].get<std::string>() << '\n';
        std::cout << runs.size() << (runs.size() == 1 ? " run, " : " runs, ") << points
                  << " points\n";
    }
    return kExitOk;
}

} // namespace gps::cli
