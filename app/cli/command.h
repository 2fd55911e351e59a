#pragma once
/// What every CLI command shares: its words after the command name, and how it reports.

#include "cli/cli.h"
#include "common/result.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace gps::cli {

using Words = std::vector<std::string>;

/// A command returns the exit code, or an Error that run() prints as one line.
using CommandResult = Result<int>;

CommandResult datasetInfoCommand(const Words& words);
CommandResult datasetCheckCommand(const Words& words);
CommandResult augmentCommand(const Words& words);
CommandResult benchAugmentCommand(const Words& words);
CommandResult benchKnnCommand(const Words& words);
CommandResult embedCommand(const Words& words);
CommandResult neighborsCommand(const Words& words);
CommandResult trainCommand(const Words& words);
CommandResult evalCommand(const Words& words);
CommandResult benchTrainCommand(const Words& words);
CommandResult exportCommand(const Words& words);

/// Prints `json` (2-space indent) to stdout followed by a newline.
void printJson(const nlohmann::json& json);

/// Progress line on stderr ("\r" updated, newline at the end) when stderr is a terminal, else
/// one line per 10 %.
void printProgress(const std::string& label, double fraction);

} // namespace gps::cli
