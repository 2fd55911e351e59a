#pragma once
/// TorchScript modules written by the tests themselves with torch::jit::Module::define (a Linear
/// module cannot be scripted from C++), for the torchscript: and run: priors and the CLI.

#include <string>

namespace gps::test {

/// Saves to `path` a module whose forward(self, x) returns `body`, one TorchScript expression
/// in x ("x.mean(dim=[2, 3])"). A body that does not compile throws (Qt Test reports it).
void saveTorchScriptModule(const std::string& path, const std::string& body);

} // namespace gps::test
