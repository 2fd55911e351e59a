#include "torchscript_fixtures.h"

#include <torch/script.h>

namespace gps::test {

void saveTorchScriptModule(const std::string& path, const std::string& body) {
    torch::jit::Module module("Encoder");
    module.define("def forward(self, x):\n    return " + body + "\n");
    module.save(path);
}

} // namespace gps::test
