#include "fixtures_npz.h"

#include "common/check.h"
#include "common/npy.h"

#include <zip.h>

namespace gps::test {

void writeNpz(const std::filesystem::path& file,
              const std::vector<std::pair<std::string, std::vector<std::uint8_t>>>& entries,
              bool compressed) {
    int code = 0;
    zip_t* zip = zip_open(file.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    GPS_CHECK(zip != nullptr,
              "writeNpz: cannot create " << file.string() << " (zip error " << code << ")");
    for (const auto& [name, bytes] : entries) {
        // The buffer is read at zip_close; `entries` outlives it.
        zip_source_t* source = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
        const zip_int64_t index =
            source ? zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE) : -1;
        if (index < 0) {
            if (source)
                zip_source_free(source);
            const std::string error = zip_strerror(zip);
            zip_discard(zip);
            GPS_CHECK(false, "writeNpz: cannot add " << name << ": " << error);
        }
        zip_set_file_compression(zip, zip_uint64_t(index),
                                 compressed ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
    }
    if (zip_close(zip) != 0) {
        const std::string error = zip_strerror(zip);
        zip_discard(zip);
        GPS_CHECK(false, "writeNpz: cannot write " << file.string() << ": " << error);
    }
}

std::vector<std::uint8_t> medMnistImagesNpy(const TinyImages& images) {
    std::vector<std::int64_t> shape = {images.count, images.height, images.width};
    if (images.channels != 1)
        shape.push_back(images.channels);
    return encodeNpy("|u1", shape, images.pixels.data(), images.pixels.size());
}

std::vector<std::uint8_t> medMnistLabelsNpy(const TinyImages& images) {
    std::vector<std::uint8_t> labels(images.labels.begin(), images.labels.end());
    return encodeNpy("|u1", {images.count, 1}, labels.data(), labels.size());
}

void writeMedMnist(const std::filesystem::path& file, const TinyImages& train,
                   const TinyImages& val, const TinyImages& test, bool compressed) {
    std::vector<std::pair<std::string, std::vector<std::uint8_t>>> entries;
    const std::pair<const char*, const TinyImages*> splits[] = {
        {"train", &train}, {"val", &val}, {"test", &test}};
    for (const auto& [name, images] : splits) {
        if (images->count == 0)
            continue;
        entries.emplace_back(std::string(name) + "_images.npy", medMnistImagesNpy(*images));
        if (images->classes > 0)
            entries.emplace_back(std::string(name) + "_labels.npy", medMnistLabelsNpy(*images));
    }
    writeNpz(file, entries, compressed);
}

} // namespace gps::test
