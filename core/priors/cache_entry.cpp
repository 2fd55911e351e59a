#include "priors/cache_entry.h"

#include "common/file_io.h"
#include "common/npy.h"
#include "common/time_text.h"
#include "priors/content_hash.h"
#include "priors/embedding_cache.h"
#include "priors/file_checksum.h"
#include "priors/npy_file.h"
#include "priors/run_backbone.h"

#include <ctime>
#include <random>

namespace gps::priors::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Bump when the meaning of a cached embedding changes (a prior's algorithm, the file layout).
// 2: KEY.json holds the .npy's checksum and FITKEY.sum the state's; undecodable images of a
//    folder are refused (entries of version 1 may hold made-up grey rows for them).
constexpr int kFormatVersion = 2;

// "path size=… mtime=…" for each file the spec names, so that replacing one invalidates.
std::vector<std::string> fileStamps(const PriorSpec& spec) {
    std::vector<fs::path> files;
    if (spec.kind == PriorKind::TorchScript || spec.kind == PriorKind::Npy)
        files = {spec.path};
    else if (spec.kind == PriorKind::Run)
        files = {runBackboneFile(spec.path), runBackboneSettingsFile(spec.path)};
    std::vector<std::string> stamps;
    for (const fs::path& file : files) {
        std::error_code ec;
        fs::path absolute = fs::weakly_canonical(file, ec);
        if (ec)
            absolute = file;
        const auto size = fs::file_size(file, ec);
        const auto mtime = ec ? 0 : fs::last_write_time(file, ec).time_since_epoch().count();
        stamps.push_back(absolute.string() + (ec ? std::string(" missing")
                                                 : " size=" + std::to_string(size) +
                                                       " mtime=" + std::to_string(mtime)));
    }
    return stamps;
}

std::string utcNow() {
    return utcTimeText(std::time(nullptr), "%Y-%m-%dT%H:%M:%SZ");
}

// The checksum recorded in a parsed KEY.json or FITKEY.sum; "" when it records none.
std::string recordedChecksum(const json& meta) {
    if (!meta.is_object() || !meta.contains("checksum") || !meta["checksum"].is_string())
        return {};
    return meta["checksum"].get<std::string>();
}

// Empty when `file` still has the checksum `expected`; otherwise the words for a warning.
std::string damage(const fs::path& file, const std::string& expected) {
    auto actual = fileChecksum(file);
    if (!actual)
        return "is unreadable (" + actual.error().message + ")";
    return *actual == expected ? std::string() : "was damaged (checksum mismatch)";
}

} // namespace

std::optional<CacheEntry> cacheEntry(const PriorSpec& spec, const PriorOptions& options, bool fits,
                                     const data::Dataset& train, const data::Dataset& target,
                                     const fs::path& folder, std::vector<std::string>& warnings) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        warnings.push_back("embedding cache " + folder.string() + " cannot be created (" +
                           ec.message() + "); not caching");
        return std::nullopt;
    }
    CacheEntry entry;
    entry.meta = {{"format_version", kFormatVersion},
                  {"spec", spec.canonical},
                  {"options", relevantOptions(spec, options)},
                  {"files", fileStamps(spec)},
                  {"train", fits ? datasetFingerprint(train) : std::string()}};
    ContentHash fitHash;
    fitHash.addText(entry.meta.dump());
    const std::string fitKey = fitHash.hex();
    entry.meta["target"] = datasetFingerprint(target);
    ContentHash fullHash;
    fullHash.addText(entry.meta.dump());
    entry.key = fullHash.hex();
    entry.meta["key"] = entry.key;
    entry.npyFile = folder / (entry.key + ".npy");
    entry.jsonFile = folder / (entry.key + ".json");
    entry.stateFile = folder / (fitKey + ".state");
    entry.sumFile = folder / (fitKey + ".sum");
    return entry;
}

Result<Embedding> loadEntry(const CacheEntry& entry, std::int64_t rows) {
    auto text = readFileBytes(entry.jsonFile);
    if (!text)
        return makeError(text.error().code, "is unreadable (" + text.error().message + ")");
    const json meta = json::parse(text->begin(), text->end(), nullptr, false);
    const std::string checksum = recordedChecksum(meta);
    if (checksum.empty() || !meta.contains("key") || meta["key"] != entry.key ||
        !meta.contains("dim") || !meta["dim"].is_number_integer())
        return makeError(ErrorCode::Corrupt, "is unreadable (" + entry.jsonFile.string() +
                                                 ": not this entry's description)");
    if (const std::string why = damage(entry.npyFile, checksum); !why.empty())
        return makeError(ErrorCode::Corrupt, why);
    auto embedding = readFloat32Rows(entry.npyFile, rows, meta["dim"].get<std::int64_t>());
    if (!embedding)
        return makeError(embedding.error().code,
                         "is unreadable (" + embedding.error().message + ")");
    return embedding;
}

Status saveEntry(const CacheEntry& entry, const Embedding& embedding, bool hasState) {
    const std::vector<std::uint8_t> bytes =
        encodeNpy("<f4", {embedding.rows, embedding.dim}, embedding.values.data(),
                  embedding.values.size() * sizeof(float));
    json meta = entry.meta;
    meta["rows"] = embedding.rows;
    meta["dim"] = embedding.dim;
    meta["created"] = utcNow();
    meta["state"] = hasState ? entry.stateFile.filename().string() : std::string();
    meta["checksum"] = bytesChecksum(bytes.data(), bytes.size());
    if (auto written = writeFileAtomic(entry.npyFile, bytes.data(), bytes.size()); !written)
        return written;
    return writeFileAtomic(entry.jsonFile, meta.dump(2) + "\n");
}

bool loadFit(Embedder& prior, const CacheEntry& entry, std::vector<std::string>& warnings) {
    std::error_code ec;
    if (!fs::exists(entry.stateFile, ec) || !fs::exists(entry.sumFile, ec))
        return false;
    auto text = readFileBytes(entry.sumFile);
    const std::string checksum =
        text ? recordedChecksum(json::parse(text->begin(), text->end(), nullptr, false)) : "";
    std::string why = checksum.empty()
                          ? "is unreadable (" + entry.sumFile.string() + ": no checksum)"
                          : damage(entry.stateFile, checksum);
    if (why.empty())
        if (auto loaded = prior.loadState(entry.stateFile); !loaded)
            why = "is unreadable (" + loaded.error().message + ")";
    if (!why.empty())
        warnings.push_back("cached fit " + entry.stateFile.string() + " " + why +
                           "; fitting again");
    return why.empty();
}

Status saveFit(const Embedder& prior, const CacheEntry& entry) {
    // saveState writes a path, not bytes: it goes to a private name first, then through
    // writeFileAtomic like every other cache file.
    const fs::path temp =
        entry.stateFile.string() + ".tmp-" + std::to_string(std::random_device{}());
    std::error_code ec;
    if (auto saved = prior.saveState(temp); !saved) {
        fs::remove(temp, ec);
        return saved;
    }
    if (!fs::exists(temp, ec))
        return Ok{}; // the prior has nothing to save
    auto bytes = readFileBytes(temp);
    fs::remove(temp, ec);
    if (!bytes)
        return bytes.error();
    // A stale .sum beside the new state would call it damaged; none makes it merely incomplete.
    fs::remove(entry.sumFile, ec);
    if (auto written = writeFileAtomic(entry.stateFile, bytes->data(), bytes->size()); !written)
        return written;
    const json sum = {{"file", entry.stateFile.filename().string()},
                      {"checksum", bytesChecksum(bytes->data(), bytes->size())}};
    return writeFileAtomic(entry.sumFile, sum.dump(2) + "\n");
}

} // namespace gps::priors::detail
