// Fuzzes the MedMNIST .npz reader through describeDataset and openDataset.
//
// Options bit 0 picks how the input becomes an archive:
//   set:   file 0 is the whole .npz (zip structure, CRCs and all are fuzzed)
//   clear: files 0-5 become the entries train_images.npy, train_labels.npy, val_images.npy,
//          val_labels.npy, test_images.npy, test_labels.npy of an archive written here (an
//          empty or missing file: no entry), so the fuzzing reaches the .npy checks
// Other bits: 1 deflate the entries (else stored); 2-3 split: train, val, test, or "none" (not
// in any archive); 4 OpenOptions::limit = 1; 5 memory budget of 64 bytes; 6 name it ".NPZ".

#include "fuzz_support.h"

#include "fixtures_npz.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    static const char* const kEntries[] = {"train_images.npy", "train_labels.npy",
                                           "val_images.npy",   "val_labels.npy",
                                           "test_images.npy",  "test_labels.npy"};
    static const char* const kSplits[] = {"train", "val", "test", "none"};
    const bool raw = (size > 0 && (data[0] & 1));
    const gps::fuzz::FuzzInput input = gps::fuzz::splitInput(data, size, raw ? 1 : 6);
    const fs::path file = gps::fuzz::freshScratchDir() / (input.flag(6) ? "med.NPZ" : "med.npz");
    if (raw) {
        gps::fuzz::writeFile(file, input.file(0));
    } else {
        std::vector<std::pair<std::string, std::vector<std::uint8_t>>> entries;
        for (std::size_t i = 0; i < input.files.size(); ++i)
            if (!input.files[i].empty())
                entries.emplace_back(kEntries[i], std::vector<std::uint8_t>(input.files[i].begin(),
                                                                            input.files[i].end()));
        gps::test::writeNpz(file, entries, input.flag(1));
    }

    gps::data::OpenOptions options;
    options.split = kSplits[(input.options >> 2) & 3];
    options.limit = input.flag(4) ? 1 : 0;
    if (input.flag(5))
        options.memoryBudgetBytes = 64;
    gps::fuzz::describeOpenAndExercise(file.string(), options, 8);
    return 0;
}
