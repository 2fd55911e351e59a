#pragma once
// Internal to core/project: one reader per section of the project document (project.h). Each
// fills its part of `out` (defaults stay where keys are absent) or returns the first problem.

#include "project/project.h"
#include "project/project_read.h"
#include "ssl/registry.h"

#include <filesystem>

namespace gps::project::detail {

/// `folder` is the project file's folder (absolute, or empty when the document has no file).
Problem readDataset(const nlohmann::json& root, const std::filesystem::path& folder,
                    DatasetSection& out);
Problem readPrior(const nlohmann::json& root, const std::filesystem::path& folder,
                  PriorSection& out);
Problem readNeighbors(const nlohmann::json& root, NeighborSection& out);
/// Sets `info` to the method's registry entry (never null on success).
Problem readMethod(const nlohmann::json& root, MethodSection& out, const ssl::MethodInfo*& info);
Problem readPositives(const nlohmann::json& root, const ssl::MethodInfo& method,
                      train::PositiveConfig& out);
Problem readAugment(const nlohmann::json& root, augment::AugmentSpec& out, std::string& preset);
Problem readBackbone(const nlohmann::json& root, models::BackboneConfig& out);
/// Optimiser fields start from the method's recipe defaults.
Problem readTrain(const nlohmann::json& root, const ssl::MethodInfo& method,
                  train::TrainConfig& out);
Problem readEval(const nlohmann::json& root, EvalSection& out);

/// Names as the file writes them, in enum order.
const std::vector<std::string>& optimizerNames(); ///< sgd, lars, adamw
const std::vector<std::string>& sourceNames();    ///< augment, gps, semantic, synthetic
const std::vector<std::string>& deviceNames();    ///< auto, cpu, cuda

/// The shape a preset name is expanded for in the project (runSession re-expands it).
inline constexpr data::ImageShape kPresetShape{28, 28, 1};

} // namespace gps::project::detail
