// Fuzzes the CIFAR-10 and CIFAR-100 readers through describeDataset and openDataset on a folder
// written from the input.
//
// Files: 0 = the data file, 1 = the class-name file. Options bits:
//   0 CIFAR-100 (train.bin/test.bin) instead of CIFAR-10 (data_batch_1.bin/test_batch.bin)
//   1 split test                      4 OpenOptions::limit = 1
//   2 CIFAR-100 coarse labels         5 CIFAR-10 train: a second batch file (a copy of file 0)
//   3 pad the data file to whole      6 ... numbered 3 instead of 2 (a hole in the batches)
//     records (else its size is
//     checked as given)
// Records are 3073 (CIFAR-10) or 3074 bytes, so padding lets small inputs reach the decoder.

#include "fuzz_support.h"

#include <cstdint>
#include <vector>

namespace {
constexpr std::size_t kPixelBytes = 3 * 32 * 32;
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    const gps::fuzz::FuzzInput input = gps::fuzz::splitInput(data, size, 2);
    const fs::path dir = gps::fuzz::freshScratchDir() / "cifar";
    const bool cifar100 = input.flag(0), test = input.flag(1), coarse = input.flag(2);
    const std::size_t record = kPixelBytes + (cifar100 ? 2 : 1);
    std::vector<std::uint8_t> bytes(input.file(0).begin(), input.file(0).end());
    if (input.flag(3))
        bytes = gps::fuzz::padToMultiple(bytes, record, 0);

    std::string dataName, namesName;
    if (cifar100) {
        dataName = test ? "test.bin" : "train.bin";
        namesName = coarse ? "coarse_label_names.txt" : "fine_label_names.txt";
    } else {
        dataName = test ? "test_batch.bin" : "data_batch_1.bin";
        namesName = "batches.meta.txt";
    }
    gps::fuzz::writeFile(dir / dataName, bytes);
    if (!cifar100 && !test && input.flag(5))
        gps::fuzz::writeFile(dir / (input.flag(6) ? "data_batch_3.bin" : "data_batch_2.bin"),
                             bytes);
    if (input.has(1))
        gps::fuzz::writeFile(dir / namesName, input.file(1));

    gps::data::OpenOptions options;
    options.split = test ? "test" : "train";
    options.labelSet = coarse ? "coarse" : "fine";
    options.limit = input.flag(4) ? 1 : 0;
    gps::fuzz::describeOpenAndExercise(dir.string(), options, 8);
    return 0;
}
