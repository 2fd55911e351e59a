// Fuzzes image decoding as image folders do it: describeDataset and openDataset on a folder
// holding the input's images, every image read through the dataset (lazy OpenCV decode, channel
// conversion, resize and centre crop), and decodeImageFile directly in grey and colour.
//
// Files: 0 = the first image, 1 = an optional second one. Options:
//   bits 0-2 extension: .png .jpg .jpeg .bmp .webp .PNG .JPG .Bmp
//   bit 3    class folders (root/a/, root/b/: labelled) instead of a flat folder
//   bits 4-5 OpenOptions::imageSize: 0 (from the first image), 1, 16 or 33
//   bit 6    inside a train/ split folder
//   bit 7    OpenOptions::limit = 1
// OpenCV itself is not instrumented: coverage guides the fuzzing through the studio's code, and
// the decoders see mutated files blindly (ASan still checks the memory they hand back).

#include "fuzz_support.h"

#include "data/dataset_open.h"
#include "data/image_folder.h"

#include <opencv2/core/utility.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    static const bool singleThreaded = (cv::setNumThreads(1), true); // one thread per input
    (void)singleThreaded;
    static const char* const kExtensions[] = {".png",  ".jpg", ".jpeg", ".bmp",
                                              ".webp", ".PNG", ".JPG",  ".Bmp"};
    static const int kSizes[] = {0, 1, 16, 33};
    const gps::fuzz::FuzzInput input = gps::fuzz::splitInput(data, size, 2);
    if (input.files.empty())
        return 0;
    const fs::path root = gps::fuzz::freshScratchDir() / "images";
    const fs::path dir = input.flag(6) ? root / "train" : root;
    const std::string extension = kExtensions[input.options & 7];
    std::vector<fs::path> files;
    for (std::size_t i = 0; i < input.files.size(); ++i) {
        const std::string name = std::string(1, char('a' + i)) + extension;
        files.push_back(input.flag(3) ? dir / std::string(1, char('a' + i)) / name : dir / name);
        gps::fuzz::writeFile(files.back(), input.files[i]);
    }

    gps::data::OpenOptions options;
    options.imageSize = kSizes[(input.options >> 4) & 3];
    options.limit = input.flag(7) ? 1 : 0;
    (void)gps::data::describeDataset(root.string(), options);
    if (const auto dataset = gps::data::openDataset(root.string(), options)) {
        gps::fuzz::exerciseDataset(**dataset, 2);
        const auto* folder = dynamic_cast<const gps::data::ImageFolderDataset*>(dataset->get());
        if (!folder)
            gps::fuzz::fail("an image folder opened as " + (*dataset)->format());
        const cv::Size expected(folder->shape().width, folder->shape().height);
        for (std::size_t i = 0; i < folder->size(); ++i)
            if (auto image = folder->tryImage(i); image && image->size() != expected)
                gps::fuzz::fail("tryImage gave another size than image()");
    }
    const int side = options.imageSize > 0 ? options.imageSize : 16;
    for (int channels : {1, 3})
        if (auto image = gps::data::decodeImageFile(files.front(), channels, side);
            image && (image->rows != side || image->cols != side || image->channels() != channels ||
                      image->depth() != CV_8U))
            gps::fuzz::fail("decodeImageFile gave " + std::to_string(image->rows) + "x" +
                            std::to_string(image->cols) + "x" + std::to_string(image->channels()));
    return 0;
}
