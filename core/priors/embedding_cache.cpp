#include "priors/embedding_cache.h"

#include "common/file_io.h"
#include "common/npy.h"
#include "priors/batching.h"
#include "priors/content_hash.h"
#include "priors/npy_file.h"
#include "priors/registry.h"
#include "priors/run_backbone.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <random>

namespace gps::priors {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Bump when the meaning of a cached embedding changes (a prior's algorithm, the file layout).
// 2: undecodable images of a folder are refused; entries of version 1 may hold made-up rows.
constexpr int kFormatVersion = 2;

// Reading pixels back from disk is slower than recomputing them (and a 96 px split would take
// gigabytes), and an npy: prior already is a file on disk: caching either only costs space.
bool worthCaching(const PriorSpec& spec) {
    return spec.kind != PriorKind::Pixels && spec.kind != PriorKind::Npy;
}

// Share of the progress bar given to fit(): training an autoencoder dwarfs embedding with it.
double fitShare(const PriorSpec& spec) {
    return spec.kind == PriorKind::Autoencoder || spec.kind == PriorKind::Vae ? 0.9 : 0.5;
}

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
        stamps.push_back(absolute.string() +
                         (ec ? std::string(" missing")
                             : " size=" + std::to_string(size) + " mtime=" + std::to_string(mtime)));
    }
    return stamps;
}

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

struct Entry {
    std::string key;
    fs::path npyFile, jsonFile, stateFile;
    json meta; ///< what KEY.json will say, less rows, dim and created
};

// The cache entry for a call, or nullopt (and a warning) when the folder cannot be created.
std::optional<Entry> cacheEntry(const PriorSpec& spec, const PriorOptions& options, bool fits,
                                const data::Dataset& train, const data::Dataset& target,
                                const fs::path& folder, std::vector<std::string>& warnings) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        warnings.push_back("embedding cache " + folder.string() + " cannot be created (" +
                           ec.message() + "); not caching");
        return std::nullopt;
    }
    Entry entry;
    entry.meta = {{"format_version", kFormatVersion},
                  {"spec", spec.canonical},
                  {"options", relevantOptions(spec, options)},
                  {"files", fileStamps(spec)},
                  {"train", fits ? datasetFingerprint(train) : std::string()}};
    detail::ContentHash fitHash;
    fitHash.addText(entry.meta.dump());
    const std::string fitKey = fitHash.hex();
    entry.meta["target"] = datasetFingerprint(target);
    detail::ContentHash fullHash;
    fullHash.addText(entry.meta.dump());
    entry.key = fullHash.hex();
    entry.meta["key"] = entry.key;
    entry.npyFile = folder / (entry.key + ".npy");
    entry.jsonFile = folder / (entry.key + ".json");
    entry.stateFile = folder / (fitKey + ".state");
    return entry;
}

// The rows of a cache entry, or why they cannot be trusted.
Result<Embedding> loadEntry(const Entry& entry, std::int64_t rows) {
    const fs::path& jsonFile = entry.jsonFile;
    const std::string& key = entry.key;
    auto text = readFileBytes(jsonFile);
    if (!text)
        return text.error();
    const json meta = json::parse(text->begin(), text->end(), nullptr, false);
    if (meta.is_discarded() || !meta.is_object() || meta.value("key", "") != key ||
        !meta.contains("dim") || !meta["dim"].is_number_integer())
        return makeError(ErrorCode::Corrupt, jsonFile.string() + ": not this entry's description");
    return detail::readFloat32Rows(entry.npyFile, rows, meta["dim"].get<std::int64_t>());
}

// saveState through a temporary name, so a reader never loads half a state file.
Status saveStateAtomic(const Embedder& embedder, const fs::path& file) {
    const fs::path temp = file.string() + ".tmp-" + std::to_string(std::random_device{}());
    if (auto saved = embedder.saveState(temp); !saved)
        return saved;
    std::error_code ec;
    if (!fs::exists(temp, ec))
        return Ok{}; // the prior has nothing to save
    fs::rename(temp, file, ec);
    if (ec) {
        fs::remove(temp, ec);
        return makeError(ErrorCode::Io, file.string() + ": cannot write (" + ec.message() + ")");
    }
    return Ok{};
}

// Image files named once each: the target's first, then the training split's.
std::string undecodableList(const data::Dataset& train, const data::Dataset& target) {
    std::vector<std::string> names;
    for (const data::Dataset* dataset : {&target, &train})
        for (const data::UnreadableFile& file : dataset->unreadableFiles()) {
            const std::string name = file.file + ": " + file.reason;
            if (file.row != data::kNoRow && std::find(names.begin(), names.end(), name) == names.end())
                names.push_back(name);
        }
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : "; ") + name;
    return text;
}

// An embedding has one row per image, in the split's order, so an image that cannot be decoded
// can neither be skipped nor replaced: the prior stops and names the files met so far.
Error undecodableError(const std::string& spec, const data::Dataset& train,
                       const data::Dataset& target, const data::UnreadableImageError& error) {
    const std::string files = undecodableList(train, target);
    return makeError(ErrorCode::Corrupt,
                     spec + ": " + (files.empty() ? std::string(error.what()) : files) +
                         "; remove or repair the file (an embedding has a row for every image, "
                         "so none can be skipped)");
}

Result<Embedding> computeUnchecked(const data::Dataset& train, const data::Dataset& target,
                                   const std::string& specText, const PriorOptions& options,
                                   const CacheOptions& cache, const ProgressFn& progress,
                                   EmbedReport& out);
Result<EmbedderPtr> fitUnchecked(const data::Dataset& train, const std::string& specText,
                                 const PriorOptions& options, const CacheOptions& cache,
                                 const ProgressFn& progress, EmbedReport& out);

} // namespace

bool priorLearns(const PriorSpec& spec, const PriorOptions& options) {
    return spec.kind == PriorKind::Pca || spec.kind == PriorKind::Autoencoder ||
           spec.kind == PriorKind::Vae || (spec.kind == PriorKind::Pixels && options.standardize);
}

fs::path defaultCacheFolder() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && fs::path(xdg).is_absolute())
        return fs::path(xdg) / "gps-studio";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".cache" / "gps-studio";
    std::error_code ec;
    return fs::temp_directory_path(ec) / "gps-studio-cache";
}

Result<Embedding> computeEmbedding(const data::Dataset& train, const data::Dataset& target,
                                   const std::string& specText, const PriorOptions& options,
                                   const CacheOptions& cache, const ProgressFn& progress,
                                   EmbedReport* report) {
    EmbedReport local;
    EmbedReport& out = report ? *report : local;
    out = EmbedReport{};
    try {
        return computeUnchecked(train, target, specText, options, cache, progress, out);
    } catch (const data::UnreadableImageError& error) {
        return undecodableError(out.spec.empty() ? specText : out.spec, train, target, error);
    }
}

Result<EmbedderPtr> fitPrior(const data::Dataset& train, const std::string& specText,
                             const PriorOptions& options, const CacheOptions& cache,
                             const ProgressFn& progress, EmbedReport* report) {
    EmbedReport local;
    EmbedReport& out = report ? *report : local;
    out = EmbedReport{};
    try {
        return fitUnchecked(train, specText, options, cache, progress, out);
    } catch (const data::UnreadableImageError& error) {
        return undecodableError(out.spec.empty() ? specText : out.spec, train, train, error);
    }
}

namespace {

Result<Embedding> computeUnchecked(const data::Dataset& train, const data::Dataset& target,
                                   const std::string& specText, const PriorOptions& options,
                                   const CacheOptions& cache, const ProgressFn& progress,
                                   EmbedReport& out) {
    const auto start = std::chrono::steady_clock::now();
    auto finish = [&](Result<Embedding> result) {
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return result;
    };

    auto spec = parsePriorSpec(specText);
    if (!spec)
        return finish(spec.error());
    out.spec = spec->canonical;
    if (!reportProgress(progress, 0.0, out.spec + ": starting"))
        return finish(detail::cancelled(out.spec));
    const bool fits = priorLearns(*spec, options);

    std::optional<Entry> entry;
    if (cache.enabled && worthCaching(*spec))
        entry = cacheEntry(*spec, options, fits, train, target,
                           cache.folder.empty() ? defaultCacheFolder() : cache.folder, out.warnings);
    const bool caching = entry.has_value();
    if (caching) {
        out.key = entry->key;
        out.file = entry->npyFile;
    }

    if (caching && fs::exists(entry->jsonFile)) {
        auto cached = loadEntry(*entry, std::int64_t(target.size()));
        if (cached) {
            out.hit = true;
            if (!reportProgress(progress, 1.0, out.spec + ": loaded from the cache"))
                return finish(detail::cancelled(out.spec));
            return finish(std::move(cached));
        }
        out.warnings.push_back("embedding cache entry " + out.key + " is unreadable (" +
                               cached.error().message + "); recomputing");
    }

    auto embedder = makeEmbedder(*spec, options);
    if (!embedder)
        return finish(embedder.error());
    Embedder& prior = **embedder;
    double embedFrom = 0.0;
    if (prior.needsFit()) {
        std::error_code ec;
        if (caching && fs::exists(entry->stateFile, ec)) {
            if (auto loaded = prior.loadState(entry->stateFile); loaded)
                out.stateLoaded = true;
            else
                out.warnings.push_back("cached fit " + entry->stateFile.string() +
                                       " is unreadable (" +
                                       loaded.error().message + "); fitting again");
        }
        if (!out.stateLoaded) {
            embedFrom = fitShare(*spec);
            if (auto fitted = prior.fit(train, detail::subProgress(progress, 0.0, embedFrom));
                !fitted)
                return finish(fitted.error());
            if (caching)
                if (auto saved = saveStateAtomic(prior, entry->stateFile); !saved)
                    out.warnings.push_back("cannot cache the fit: " + saved.error().message);
        }
    }
    auto embedding = prior.embed(target, detail::subProgress(progress, embedFrom, 1.0));
    if (!embedding)
        return finish(embedding.error());
    if (embedding->rows != std::int64_t(target.size()) ||
        embedding->values.size() != std::size_t(embedding->rows * embedding->dim))
        return finish(makeError(ErrorCode::Internal,
                                out.spec + ": embed gave " + std::to_string(embedding->rows) +
                                    " rows for " + std::to_string(target.size()) + " images"));

    if (caching) {
        json& meta = entry->meta;
        meta["rows"] = embedding->rows;
        meta["dim"] = embedding->dim;
        meta["created"] = utcNow();
        meta["state"] = prior.needsFit() ? entry->stateFile.filename().string() : std::string();
        Status written = writeNpy(entry->npyFile, "<f4", {embedding->rows, embedding->dim},
                                  embedding->values.data());
        if (written)
            written = writeFileAtomic(entry->jsonFile, meta.dump(2) + "\n");
        if (!written)
            out.warnings.push_back("cannot cache the embedding: " + written.error().message);
    }
    return finish(std::move(embedding));
}

Result<EmbedderPtr> fitUnchecked(const data::Dataset& train, const std::string& specText,
                                 const PriorOptions& options, const CacheOptions& cache,
                                 const ProgressFn& progress, EmbedReport& out) {
    auto spec = parsePriorSpec(specText);
    if (!spec)
        return spec.error();
    out.spec = spec->canonical;
    auto embedder = makeEmbedder(*spec, options);
    if (!embedder || !(*embedder)->needsFit() || !priorLearns(*spec, options))
        return embedder;
    std::optional<Entry> entry;
    if (cache.enabled && worthCaching(*spec))
        entry = cacheEntry(*spec, options, true, train, train,
                           cache.folder.empty() ? defaultCacheFolder() : cache.folder, out.warnings);
    Embedder& prior = **embedder;
    std::error_code ec;
    if (entry && fs::exists(entry->stateFile, ec)) {
        if (auto loaded = prior.loadState(entry->stateFile); loaded) {
            out.stateLoaded = true;
            return embedder;
        }
        out.warnings.push_back("cached fit " + entry->stateFile.string() + " is unreadable; fitting again");
    }
    if (auto fitted = prior.fit(train, progress); !fitted)
        return fitted.error();
    if (entry)
        if (auto saved = saveStateAtomic(prior, entry->stateFile); !saved)
            out.warnings.push_back("cannot cache the fit: " + saved.error().message);
    return embedder;
}

} // namespace

} // namespace gps::priors
