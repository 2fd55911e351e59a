#include "data/label_pattern.h"

namespace gps::data {

LabelPattern inferLabelPattern(const std::map<int, std::size_t>& imagesPerLabel) {
    LabelPattern pattern;
    std::size_t total = 0, inPattern = 0, seen = 0;
    int patternEnd = -1; // the largest label that keeps the pattern
    for (const auto& [label, images] : imagesPerLabel) {
        total += images;
        seen += images;
        ++pattern.usedLabels;
        pattern.maxLabel = label;
        const int unused = label + 1 - pattern.usedLabels;
        if (unused <= pattern.usedLabels) {
            patternEnd = label;
            inPattern = seen;
        }
    }
    pattern.classCount = pattern.maxLabel + 1;
    if (patternEnd < 0 || patternEnd == pattern.maxLabel || total - inPattern >= inPattern)
        return pattern;
    pattern.classCount = patternEnd + 1;
    for (auto it = imagesPerLabel.upper_bound(patternEnd); it != imagesPerLabel.end(); ++it)
        pattern.outliers.insert(*it);
    return pattern;
}

} // namespace gps::data
