#pragma once
/// Dataset-opening options shared by the commands that take a DATASET argument.

#include "cli/args.h"
#include "data/dataset.h"

namespace gps::cli {

/// The options every dataset-reading command accepts.
inline const std::set<std::string> kDatasetOptions = {"--split", "--labels", "--size", "--limit"};

/// --split, --labels, --size and --limit as OpenOptions.
Result<data::OpenOptions> datasetOptions(const Args& args);

/// The one positional DATASET argument, or an error naming the command's usage.
Result<std::string> datasetArgument(const Args& args, const std::string& command);

} // namespace gps::cli
