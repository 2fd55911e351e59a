#include "cli/dataset_options.h"

namespace gps::cli {

Result<data::OpenOptions> datasetOptions(const Args& args) {
    data::OpenOptions options;
    options.split = args.optionOr("--split", options.split);
    options.labelSet = args.optionOr("--labels", options.labelSet);
    const auto size = args.integer("--size", 0, 8, 4096);
    if (!size)
        return size.error();
    options.imageSize = static_cast<int>(*size);
    const auto limit = args.integer("--limit", 0, 0, 1LL << 40);
    if (!limit)
        return limit.error();
    options.limit = static_cast<std::size_t>(*limit);
    return options;
}

Result<std::string> datasetArgument(const Args& args, const std::string& command) {
    if (args.positional().size() != 1)
        return makeError(ErrorCode::InvalidInput,
                         command + ": expected one DATASET (a path or 'fashion-mnist'), got " +
                             std::to_string(args.positional().size()) + " arguments");
    return args.positional().front();
}

} // namespace gps::cli
