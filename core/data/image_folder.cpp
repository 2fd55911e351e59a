// PLACEHOLDER: replaced by the real reader.
#include "data/format_reader.h"
namespace gps::data {
const FormatReader& imageFolderFormat() {
    static const FormatReader reader{"image-folder", [](const std::filesystem::path&) { return false; },
        [](const std::filesystem::path&, const OpenOptions&) -> Result<DatasetInfo> { return makeError(ErrorCode::Unsupported, "todo"); },
        [](const std::filesystem::path&, const OpenOptions&) -> Result<DatasetPtr> { return makeError(ErrorCode::Unsupported, "todo"); }};
    return reader;
}
}
