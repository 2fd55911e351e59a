#include "project_fixtures.h"

#include "fixtures_binary.h"

namespace gps::test {

void writeTinyIdxDataset(const std::filesystem::path& dir) {
    writeIdxSplit(dir, "train", makeTinyImages(64, 28, 28, 1, 4), false);
    writeIdxSplit(dir, "t10k", makeTinyImages(32, 28, 28, 1, 4, 7), false);
}

nlohmann::json tinyProjectDocument(const std::filesystem::path& dataset, int epochs) {
    return {
        {"version", 1},
        {"name", "tiny"},
        {"dataset", {{"path", dataset.string()}}},
        {"prior", {{"spec", "pixels"}}},
        {"neighbors", {{"k_max", 8}, {"k", 2}}},
        {"positives", {{"source", "augment"}}},
        {"augment", "weak"},
        {"backbone", {{"name", "small_cnn"}, {"width", 8}}},
        {"method", {{"name", "simclr"}}},
        {"train",
         {{"epochs", epochs},
          {"batch_size", 16},
          {"device", "cpu"},
          {"log_every", 1},
          {"warmup_epochs", 0}}},
        {"eval", {{"probe_epochs", 5}}},
    };
}

} // namespace gps::test
