#pragma once
/// Internal to core/priors: a prior's learned state (means, components) as one flat float64
/// vector in a .npy file, so that it loads with numpy.load too. Each prior documents its layout;
/// the first entries are always the sizes needed to check the rest.

#include "common/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gps::priors::detail {

/// Writes `values` as a 1-D "<f8" array, atomically. InvalidInput, and nothing written, when a
/// value is NaN or infinite: a fit that produced them must not be reused.
Status saveStateVector(const std::filesystem::path& file, const std::vector<double>& values);

/// Reads a vector written by saveStateVector. `what` names the prior in errors ("pca:64 state").
/// A file of another dtype or rank, or holding NaN or infinite values, is Corrupt
/// ("pca:64 state: FILE: holds 3 NaN values (the file is damaged)").
Result<std::vector<double>> loadStateVector(const std::filesystem::path& file,
                                            const std::string& what);

/// Corrupt error "<what>: <file>: <reason>".
Error corruptState(const std::filesystem::path& file, const std::string& what,
                   const std::string& reason);

} // namespace gps::priors::detail
