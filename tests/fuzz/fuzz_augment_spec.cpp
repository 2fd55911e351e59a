// Fuzzes the augmentation spec parser: the input is spec JSON text. parseAugmentSpec must return
// errors, never crash or throw; a spec that parses must pass validateAugmentSpec and survive
// augmentSpecToJson -> parseAugmentSpec unchanged.

#include "fuzz_support.h"

#include "augment/spec.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gps::augment;
    const auto spec = parseAugmentSpec(std::string(reinterpret_cast<const char*>(data), size));
    if (!spec)
        return 0;
    if (const gps::Status valid = validateAugmentSpec(*spec); !valid)
        gps::fuzz::fail("a parsed spec does not validate: " + valid.error().message);
    const auto again = parseAugmentSpec(augmentSpecToJson(*spec));
    if (!again)
        gps::fuzz::fail("augmentSpecToJson output does not parse: " + again.error().message);
    if (!(*again == *spec))
        gps::fuzz::fail("augmentSpecToJson -> parseAugmentSpec changed the spec");
    return 0;
}
