// PLACEHOLDER: replaced by the real reader.
#include "data/format_reader.h"
namespace gps::data {
static const FormatReader kPlaceholder{"cifar", [](const std::filesystem::path&) { return false; },
    [](const std::filesystem::path&, const OpenOptions&) -> Result<DatasetInfo> { return makeError(ErrorCode::Unsupported, "todo"); },
    [](const std::filesystem::path&, const OpenOptions&) -> Result<DatasetPtr> { return makeError(ErrorCode::Unsupported, "todo"); }};
const FormatReader& cifar10Format() { return kPlaceholder; }
const FormatReader& cifar100Format() { return kPlaceholder; }
}
