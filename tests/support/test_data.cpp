#include "test_data.h"

namespace gps::test {

TinyImages makeTinyImages(int count, int height, int width, int channels, int classes, int seed) {
    TinyImages images{count, height, width, channels, classes, {}, {}};
    images.pixels.resize(std::size_t(count) * height * width * channels);
    std::size_t k = 0;
    for (int i = 0; i < count; ++i)
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                for (int c = 0; c < channels; ++c)
                    images.pixels[k++] =
                        static_cast<std::uint8_t>((i * 31 + y * 7 + x * 3 + c * 101 + seed) & 255);
    for (int i = 0; i < count; ++i)
        images.labels.push_back(classes > 0 ? i % classes : -1);
    return images;
}

} // namespace gps::test
