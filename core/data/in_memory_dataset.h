#pragma once
/// A split held wholly in memory: one ImageBlock plus labels. IDX, CIFAR, STL-10 and MedMNIST
/// readers return this; image folders can be materialised into it for training.

#include "data/class_names.h"
#include "data/dataset.h"

namespace gps::data {

struct InMemoryParts {
    ImageBlock images;
    std::vector<int> labels; ///< empty when unlabelled, else one per image
    std::vector<std::string> classNames;
    std::string split;
    std::string format;
    std::vector<std::string> warnings;
};

class InMemoryDataset final : public Dataset {
public:
    /// Checks that labels match the image count and lie in [0, classNames.size()).
    explicit InMemoryDataset(InMemoryParts parts);

    std::size_t size() const override { return m_parts.images.count(); }
    cv::Mat image(std::size_t i) const override;
    int label(std::size_t i) const override;
    bool labelled() const override { return !m_parts.labels.empty(); }
    const std::vector<std::string>& classNames() const override { return m_parts.classNames; }
    ImageShape shape() const override { return m_parts.images.shape(); }
    const std::string& split() const override { return m_parts.split; }
    const std::string& format() const override { return m_parts.format; }
    std::vector<std::string> warnings() const override { return m_parts.warnings; }
    const ImageBlock* block() const override { return &m_parts.images; }

private:
    InMemoryParts m_parts;
};

} // namespace gps::data
