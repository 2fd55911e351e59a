// PLACEHOLDER: replaced by the real reader.
#include "data/format_reader.h"
namespace gps::data {
const FormatReader& stl10Format() {
    static const FormatReader reader{"stl10", [](const std::filesystem::path&) { return false; },
        [](const std::filesystem::path&, const OpenOptions&) -> Result<DatasetInfo> { return makeError(ErrorCode::Unsupported, "todo"); },
        [](const std::filesystem::path&, const OpenOptions&) -> Result<DatasetPtr> { return makeError(ErrorCode::Unsupported, "todo"); }};
    return reader;
}
}
