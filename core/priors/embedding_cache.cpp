#include "priors/embedding_cache.h"

#include "priors/batching.h"
#include "priors/cache_entry.h"
#include "priors/non_finite.h"
#include "priors/registry.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>

namespace gps::priors {

namespace fs = std::filesystem;
using detail::CacheEntry;

namespace {

// Reading pixels back from disk is slower than recomputing them (and a 96 px split would take
// gigabytes), and an npy: prior already is a file on disk: caching either only costs space.
bool worthCaching(const PriorSpec& spec) {
    return spec.kind != PriorKind::Pixels && spec.kind != PriorKind::Npy;
}

// Share of the progress bar given to fit(): training an autoencoder dwarfs embedding with it.
double fitShare(const PriorSpec& spec) {
    return spec.kind == PriorKind::Autoencoder || spec.kind == PriorKind::Vae ? 0.9 : 0.5;
}

// Image files named once each: the target's first, then the training split's.
std::string undecodableList(const data::Dataset& train, const data::Dataset& target) {
    std::vector<std::string> names;
    for (const data::Dataset* dataset : {&target, &train})
        for (const data::UnreadableFile& file : dataset->unreadableFiles()) {
            const std::string name = file.file + ": " + file.reason;
            if (file.row != data::kNoRow &&
                std::find(names.begin(), names.end(), name) == names.end())
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
        out.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return result;
    };

    auto spec = parsePriorSpec(specText);
    if (!spec)
        return finish(spec.error());
    out.spec = spec->canonical;
    if (!reportProgress(progress, 0.0, out.spec + ": starting"))
        return finish(detail::cancelled(out.spec));
    const bool fits = priorLearns(*spec, options);

    std::optional<CacheEntry> entry;
    if (cache.enabled && worthCaching(*spec))
        entry = detail::cacheEntry(*spec, options, fits, train, target,
                                   cache.folder.empty() ? defaultCacheFolder() : cache.folder,
                                   out.warnings);
    const bool caching = entry.has_value();
    if (caching) {
        out.key = entry->key;
        out.file = entry->npyFile;
    }

    if (caching && fs::exists(entry->jsonFile)) {
        auto cached = detail::loadEntry(*entry, std::int64_t(target.size()));
        if (cached) {
            out.hit = true;
            if (!reportProgress(progress, 1.0, out.spec + ": loaded from the cache"))
                return finish(detail::cancelled(out.spec));
            return finish(std::move(cached));
        }
        out.warnings.push_back("embedding cache entry " + out.key + " " + cached.error().message +
                               "; recomputing");
    }

    auto embedder = makeEmbedder(*spec, options);
    if (!embedder)
        return finish(embedder.error());
    Embedder& prior = **embedder;
    double embedFrom = 0.0;
    if (prior.needsFit()) {
        out.stateLoaded = caching && detail::loadFit(prior, *entry, out.warnings);
        if (!out.stateLoaded) {
            embedFrom = fitShare(*spec);
            if (auto fitted = prior.fit(train, detail::subProgress(progress, 0.0, embedFrom));
                !fitted)
                return finish(fitted.error());
            if (caching)
                if (auto saved = detail::saveFit(prior, *entry); !saved)
                    out.warnings.push_back("cannot cache the fit: " + saved.error().message);
        }
    }
    auto embedding = prior.embed(target, detail::subProgress(progress, embedFrom, 1.0));
    if (!embedding) {
        Error error = embedding.error();
        if (out.stateLoaded && error.code != ErrorCode::Cancelled)
            error.message += " (with the fit cached in " + entry->stateFile.string() + ")";
        return finish(error);
    }
    if (embedding->rows != std::int64_t(target.size()) ||
        embedding->values.size() != std::size_t(embedding->rows * embedding->dim))
        return finish(makeError(ErrorCode::Internal,
                                out.spec + ": embed gave " + std::to_string(embedding->rows) +
                                    " rows for " + std::to_string(target.size()) + " images"));

    // The priors refuse NaN batch by batch; this is the last gate before the cache, whatever
    // the prior, since a cached NaN would fail every later run far from its cause.
    const auto bad = detail::countNonFinite(embedding->values.data(), embedding->values.size());
    if (bad.any())
        return finish(makeError(
            ErrorCode::InvalidInput,
            out.spec + ": the embedding has " + bad.text() +
                (out.stateLoaded ? " (with the fit cached in " + entry->stateFile.string() + ")"
                                 : std::string())));
    if (caching)
        if (auto written = detail::saveEntry(*entry, *embedding, prior.needsFit()); !written)
            out.warnings.push_back("cannot cache the embedding: " + written.error().message);
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
    std::optional<CacheEntry> entry;
    if (cache.enabled && worthCaching(*spec))
        entry = detail::cacheEntry(*spec, options, true, train, train,
                                   cache.folder.empty() ? defaultCacheFolder() : cache.folder,
                                   out.warnings);
    Embedder& prior = **embedder;
    out.stateLoaded = entry && detail::loadFit(prior, *entry, out.warnings);
    if (out.stateLoaded)
        return embedder;
    if (auto fitted = prior.fit(train, progress); !fitted)
        return fitted.error();
    if (entry)
        if (auto saved = detail::saveFit(prior, *entry); !saved)
            out.warnings.push_back("cannot cache the fit: " + saved.error().message);
    return embedder;
}

} // namespace

} // namespace gps::priors
