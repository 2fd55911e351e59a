#include "ssl/registry.h"

#include "ssl/barlow.h"
#include "ssl/byol.h"
#include "ssl/mocov2.h"
#include "ssl/nnclr.h"
#include "ssl/simclr.h"
#include "ssl/simsiam.h"
#include "ssl/vicreg.h"

namespace gps::ssl {

namespace {

/// Wraps a method's factory so that keys missing from the given values take the schema's
/// defaults (callers may pass a partial or empty HParams).
MethodInfo withDefaults(MethodInfo info) {
    auto make = std::move(info.make);
    info.make = [schema = info.hparams, make](models::Backbone backbone, const HParams& values,
                                              const MethodContext& context) {
        HParams complete = values;
        for (const HParamSpec& spec : schema)
            complete.emplace(spec.name, spec.defaultValue);
        return make(std::move(backbone), complete, context);
    };
    return info;
}

std::vector<MethodInfo> buildRegistry() {
    std::vector<MethodInfo> methods;
    for (MethodInfo (*entry)() :
         {simClrMethodInfo, byolMethodInfo, nnclrMethodInfo, vicRegMethodInfo, barlowMethodInfo,
          mocoV2MethodInfo, simSiamMethodInfo})
        methods.push_back(withDefaults(entry()));
    return methods;
}

} // namespace

const std::vector<MethodInfo>& methodRegistry() {
    static const std::vector<MethodInfo> methods = buildRegistry();
    return methods;
}

const MethodInfo* findMethod(const std::string& name) {
    for (const MethodInfo& info : methodRegistry())
        if (info.name == name)
            return &info;
    return nullptr;
}

std::string methodNamesList() {
    std::string text;
    for (const MethodInfo& info : methodRegistry())
        text += (text.empty() ? "" : ", ") + info.name;
    return text;
}

} // namespace gps::ssl
