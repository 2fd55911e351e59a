#pragma once
/// Inferring the classes of a file that stores labels but not how many classes there are (a
/// MedMNIST .npz), so that one stray label does not invent hundreds of empty classes.

#include <cstddef>
#include <map>

namespace gps::data {

/// What the labels of a file say about its classes.
struct LabelPattern {
    int classCount = 0; ///< classes 0 .. classCount - 1
    int maxLabel = -1;  ///< the largest label found
    int usedLabels = 0; ///< distinct labels found
    /// Labels at or above classCount ("out of pattern") and how many images carry each.
    std::map<int, std::size_t> outliers;
};

/// `imagesPerLabel` maps each label found (≥ 0) to the number of images carrying it.
///
/// The classes are 0 .. L, with L the largest label at which no more of the numbers 0 .. L are
/// unused than used: 0..9 plus a few 250s gives 10 classes and outliers {250}, while 0..9 with
/// 5 missing stays 10 classes. The outliers must be carried by fewer images than the classes,
/// else there is no pattern to judge them by and classCount is maxLabel + 1, with no outlier.
LabelPattern inferLabelPattern(const std::map<int, std::size_t>& imagesPerLabel);

} // namespace gps::data
