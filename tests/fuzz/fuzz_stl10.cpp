// Fuzzes the STL-10 reader through describeDataset and openDataset on a folder written from the
// input, in memory and lazily (pread on demand).
//
// Files: 0 = the images (*_X.bin), 1 = the labels (*_y.bin), 2 = class_names.txt. Options:
//   bits 0-1 split: train, test, unlabeled, or "unlabelled" (the other spelling)
//   bit 2    pad the images to whole 27648-byte images (else the size is checked as given)
//   bit 3    make the labels one byte per image (repeating file 1, or 1s when it is empty)
//   bit 4    memory budget 0: the split is read lazily, image by image
//   bit 5    OpenOptions::limit = 1
//   bit 6    also write unlabeled_X.bin (a copy of the images)
//   bit 7    with bit 2, one more (zero) image

#include "fuzz_support.h"

#include "data/stl10_reader.h"

#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    using gps::data::kStl10ImageBytes;
    const gps::fuzz::FuzzInput input = gps::fuzz::splitInput(data, size, 3);
    const fs::path dir = gps::fuzz::freshScratchDir() / "stl10";
    static const char* const kSplits[] = {"train", "test", "unlabeled", "unlabelled"};
    const std::string split = kSplits[input.options & 3];
    const std::string stem = split == "unlabelled" ? "unlabeled" : split;

    std::vector<std::uint8_t> images(input.file(0).begin(), input.file(0).end());
    if (input.flag(2)) {
        images = gps::fuzz::padToMultiple(images, kStl10ImageBytes, 0);
        if (input.flag(7))
            images.resize(images.size() + kStl10ImageBytes, 0);
    }
    gps::fuzz::writeFile(dir / (stem + "_X.bin"), images);
    if (input.flag(6) && stem != "unlabeled")
        gps::fuzz::writeFile(dir / "unlabeled_X.bin", images);
    if (input.has(1) || input.flag(3)) {
        std::vector<std::uint8_t> labels(input.file(1).begin(), input.file(1).end());
        if (input.flag(3)) {
            const std::size_t count = images.size() / kStl10ImageBytes, given = labels.size();
            for (std::size_t i = given; i < count; ++i)
                labels.push_back(given == 0 ? 1 : labels[i % given]);
            labels.resize(count);
        }
        if (stem != "unlabeled")
            gps::fuzz::writeFile(dir / (stem + "_y.bin"), labels);
    }
    if (input.has(2))
        gps::fuzz::writeFile(dir / "class_names.txt", input.file(2));

    gps::data::OpenOptions options;
    options.split = split;
    options.limit = input.flag(5) ? 1 : 0;
    if (input.flag(4))
        options.memoryBudgetBytes = 0;
    gps::fuzz::describeOpenAndExercise(dir.string(), options, 4);
    return 0;
}
