#include "priors/state_file.h"

#include "common/npy.h"
#include "priors/non_finite.h"

#include <cstring>

namespace gps::priors::detail {

Status saveStateVector(const std::filesystem::path& file, const std::vector<double>& values) {
    if (const NonFinite bad = countNonFinite(values.data(), values.size()); bad.any())
        return makeError(ErrorCode::InvalidInput,
                         file.string() + ": the fit has " + bad.text() + "; not saved");
    return writeNpy(file, "<f8", {std::int64_t(values.size())}, values.data());
}

Result<std::vector<double>> loadStateVector(const std::filesystem::path& file,
                                            const std::string& what) {
    auto array = readNpy(file);
    if (!array)
        return array.error();
    if (array->dtype != "<f8" || array->shape.size() != 1)
        return corruptState(file, what,
                            "expected a 1-D float64 array, found dtype " + array->dtype + " with " +
                                std::to_string(array->shape.size()) + " dimensions");
    std::vector<double> values(array->count());
    std::memcpy(values.data(), array->bytes.data(), values.size() * sizeof(double));
    if (const NonFinite bad = countNonFinite(values.data(), values.size()); bad.any())
        return corruptState(file, what, "holds " + bad.text() + " (the file is damaged)");
    return values;
}

Error corruptState(const std::filesystem::path& file, const std::string& what,
                   const std::string& reason) {
    return makeError(ErrorCode::Corrupt, what + ": " + file.string() + ": " + reason);
}

} // namespace gps::priors::detail
