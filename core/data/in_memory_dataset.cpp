#include "data/in_memory_dataset.h"

#include "common/check.h"

namespace gps::data {

InMemoryDataset::InMemoryDataset(InMemoryParts parts) : m_parts(std::move(parts)) {
    GPS_CHECK(m_parts.labels.empty() || m_parts.labels.size() == m_parts.images.count(),
              m_parts.labels.size() << " labels for " << m_parts.images.count() << " images");
    const int classes = static_cast<int>(m_parts.classNames.size());
    for (int label : m_parts.labels)
        GPS_CHECK(label >= 0 && label < classes,
                  "label " << label << " outside [0, " << classes << ")");
}

cv::Mat InMemoryDataset::image(std::size_t i) const {
    GPS_CHECK(i < size(), "image " << i << " of " << size());
    return m_parts.images.view(i);
}

int InMemoryDataset::label(std::size_t i) const {
    GPS_CHECK(i < size(), "label " << i << " of " << size());
    return m_parts.labels.empty() ? kNoLabel : m_parts.labels[i];
}

} // namespace gps::data
