#pragma once
/// The registered SSL methods with their hyper-parameter schemas (solo-learn's METHODS table).

#include "ssl/method.h"

#include <functional>
#include <string>
#include <vector>

namespace gps::ssl {

struct MethodInfo {
    std::string name;        ///< simclr, byol, nnclr, vicreg, barlow, mocov2, simsiam
    std::string title;       ///< "SimCLR"
    std::string description; ///< one line for the UI
    std::vector<HParamSpec> hparams;
    /// Optimiser defaults the recipe uses (the project may override them).
    std::string defaultOptimizer = "lars";
    double defaultLr = 0.3; ///< base lr for batch 256 (scaled by batch/256)
    double defaultWeightDecay = 1e-4;
    std::function<Method(models::Backbone, const HParams&, const MethodContext&)> make;
};

/// All methods, in the order the UI lists them.
const std::vector<MethodInfo>& methodRegistry();
/// nullptr when unknown.
const MethodInfo* findMethod(const std::string& name);
/// Names joined with ", " for error messages.
std::string methodNamesList();

} // namespace gps::ssl
