#pragma once
/// A whole split's pixels in one contiguous uint8 buffer, N × H × W × C, row-major. Training
/// reads it directly (a zero-copy tensor view is in common/image_tensor.h), so nothing is decoded
/// twice.

#include <opencv2/core/mat.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace gps::data {

struct ImageShape {
    int height = 0;
    int width = 0;
    int channels = 0;
    std::size_t pixels() const { return std::size_t(height) * width * channels; }
    bool operator==(const ImageShape&) const = default;
};

class ImageBlock {
public:
    ImageBlock() = default;
    ImageBlock(std::size_t count, ImageShape shape)
        : m_count(count), m_shape(shape), m_bytes(count * shape.pixels()) {}

    std::size_t count() const { return m_count; }
    ImageShape shape() const { return m_shape; }
    std::size_t bytes() const { return m_bytes.size(); }
    const std::uint8_t* data() const { return m_bytes.data(); }
    std::uint8_t* data() { return m_bytes.data(); }
    std::uint8_t* imageData(std::size_t i) { return m_bytes.data() + i * m_shape.pixels(); }
    const std::uint8_t* imageData(std::size_t i) const {
        return m_bytes.data() + i * m_shape.pixels();
    }

    /// Read-only Mat header over image i (no copy).
    cv::Mat view(std::size_t i) const {
        return cv::Mat(m_shape.height, m_shape.width, CV_8UC(m_shape.channels),
                       const_cast<std::uint8_t*>(imageData(i)));
    }

    /// Keeps the images whose `keep` entry is true, in their order, and drops the others
    /// (keep.size() == count()).
    void keepOnly(const std::vector<bool>& keep) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < m_count && i < keep.size(); ++i) {
            if (!keep[i])
                continue;
            if (kept != i)
                std::memmove(imageData(kept), imageData(i), m_shape.pixels());
            ++kept;
        }
        truncate(kept);
    }

    /// Drops images past `count` (keeps the first ones).
    void truncate(std::size_t count) {
        if (count < m_count) {
            m_count = count;
            m_bytes.resize(count * m_shape.pixels());
            m_bytes.shrink_to_fit();
        }
    }

private:
    std::size_t m_count = 0;
    ImageShape m_shape;
    std::vector<std::uint8_t> m_bytes;
};

} // namespace gps::data
