#pragma once
/// Small deterministic data for tests: images with a pattern that depends on the index, so a
/// reader that mixes up images or channels is caught.

#include <cstdint>
#include <vector>

namespace gps::test {

struct TinyImages {
    int count = 0, height = 0, width = 0, channels = 0, classes = 0;
    std::vector<std::uint8_t> pixels; ///< count × height × width × channels, row-major (HWC)
    std::vector<int> labels;          ///< count labels in [0, classes)

    std::uint8_t at(int i, int y, int x, int c) const {
        return pixels[((std::size_t(i) * height + y) * width + x) * channels + c];
    }
};

/// pixel(i, y, x, c) = (i * 31 + y * 7 + x * 3 + c * 101 + seed) mod 256; label = i mod classes.
TinyImages makeTinyImages(int count, int height, int width, int channels, int classes,
                          int seed = 0);

} // namespace gps::test
