// Fuzzes the .npy parser (common/npy) in memory: the input is one .npy stream. Whatever parses
// must be self-consistent and survive encodeNpy -> parseNpy unchanged.

#include "fuzz_support.h"

#include "common/npy.h"

#include <algorithm>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    const std::string source = "fuzz.npy";

    // What a streaming reader (the .npz reader) does: the header length from the first bytes.
    const auto headerBytes =
        gps::npyHeaderBytes(bytes.first(std::min<std::size_t>(size, 12)), source);
    if (headerBytes && *headerBytes < 10)
        gps::fuzz::fail("npyHeaderBytes gave " + std::to_string(*headerBytes));

    const auto header = gps::parseNpyHeader(bytes, source);
    if (header) {
        if (!headerBytes || header->dataOffset != *headerBytes || header->dataOffset > size)
            gps::fuzz::fail("header data offset " + std::to_string(header->dataOffset) + " for " +
                            std::to_string(size) + " bytes");
        if (header->itemSize() == 0 || header->dataBytes() != header->count() * header->itemSize())
            gps::fuzz::fail("header of dtype '" + header->dtype + "' has item size " +
                            std::to_string(header->itemSize()));
    }

    const auto array = gps::parseNpy(bytes, source);
    if (!array)
        return 0;
    if (!header)
        gps::fuzz::fail("parseNpy accepted what parseNpyHeader refused");
    if (array->bytes.size() != array->count() * gps::npyItemSize(array->dtype))
        gps::fuzz::fail("array of " + std::to_string(array->count()) + " '" + array->dtype +
                        "' elements holds " + std::to_string(array->bytes.size()) + " bytes");

    const auto encoded =
        gps::encodeNpy(array->dtype, array->shape, array->bytes.data(), array->bytes.size());
    const auto again = gps::parseNpy(encoded, source);
    if (!again)
        gps::fuzz::fail("encodeNpy output does not parse: " + again.error().message);
    if (again->dtype != array->dtype || again->shape != array->shape ||
        again->bytes != array->bytes)
        gps::fuzz::fail("encodeNpy -> parseNpy changed the array of dtype '" + array->dtype + "'");
    return 0;
}
