// Fuzzes the IDX reader (MNIST layout) through the studio's entry points, describeDataset and
// openDataset, on a folder written from the input.
//
// Files: 0 = the image file, 1 = the label file (left out when the input has no separator),
// 2 = classes.txt. Options bits:
//   0 split test (t10k-*) instead of train     4 write the same files for the other split too
//   1 dotted names (train-images.idx3-ubyte)   5 OpenOptions::limit = 1
//   2 image file named .gz                     6 folder named "fashion" (Fashion-MNIST names)
//   3 label file named .gz                     7 open the image file's path, not the folder
// A ".gz" name holding raw bytes is read as raw (zlib passes them through), so both paths run.

#include "fuzz_support.h"

namespace {

namespace fs = std::filesystem;
using gps::fuzz::FuzzInput;

fs::path writeSplit(const fs::path& dir, const FuzzInput& input, const std::string& prefix) {
    const std::string separator = input.flag(1) ? "." : "-";
    const fs::path images =
        dir / (prefix + "-images" + separator + "idx3-ubyte" + (input.flag(2) ? ".gz" : ""));
    gps::fuzz::writeFile(images, input.file(0));
    if (input.has(1))
        gps::fuzz::writeFile(
            dir / (prefix + "-labels" + separator + "idx1-ubyte" + (input.flag(3) ? ".gz" : "")),
            input.file(1));
    return images;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const FuzzInput input = gps::fuzz::splitInput(data, size, 3);
    const fs::path dir = gps::fuzz::freshScratchDir() / (input.flag(6) ? "fashion" : "digits");
    const bool test = input.flag(0);
    const fs::path images = writeSplit(dir, input, test ? "t10k" : "train");
    if (input.flag(4))
        writeSplit(dir, input, test ? "train" : "t10k");
    if (input.has(2))
        gps::fuzz::writeFile(dir / "classes.txt", input.file(2));

    gps::data::OpenOptions options;
    options.split = test ? "test" : "train";
    options.limit = input.flag(5) ? 1 : 0;
    const std::string path = (input.flag(7) ? images : dir).string();
    gps::fuzz::describeOpenAndExercise(path, options, 8);
    return 0;
}
