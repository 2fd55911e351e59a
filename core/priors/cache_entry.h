#pragma once
/// Internal to core/priors: the files of one embedding-cache entry (layout in embedding_cache.h).
/// Every file is written with writeFileAtomic, its checksum recorded beside it, and read back
/// only when the checksum still matches; the caller never hands it non-finite values.

#include "data/dataset.h"
#include "priors/embedder.h"
#include "priors/registry.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gps::priors::detail {

struct CacheEntry {
    std::string key;
    std::filesystem::path npyFile;   ///< KEY.npy, the rows
    std::filesystem::path jsonFile;  ///< KEY.json, what they are and their checksum
    std::filesystem::path stateFile; ///< FITKEY.state, a learned prior's fit
    std::filesystem::path sumFile;   ///< FITKEY.sum, the fit's checksum
    nlohmann::json meta;             ///< what KEY.json will say, less rows, dim and created
};

/// The cache entry for embedding `target` with `spec`, fitted on `train` when `fits`; nullopt
/// (and a warning) when `folder` cannot be created.
std::optional<CacheEntry> cacheEntry(const PriorSpec& spec, const PriorOptions& options, bool fits,
                                     const data::Dataset& train, const data::Dataset& target,
                                     const std::filesystem::path& folder,
                                     std::vector<std::string>& warnings);

/// The entry's rows × dim values. An error's message is what follows "embedding cache entry
/// KEY " in a warning: "was damaged (checksum mismatch)", or "is unreadable (<why>)".
Result<Embedding> loadEntry(const CacheEntry& entry, std::int64_t rows);

/// Writes KEY.npy, then KEY.json (last, so an entry without it is ignored) with the .npy's
/// checksum. `hasState` records FITKEY.state as the fit the rows came from. Io errors.
Status saveEntry(const CacheEntry& entry, const Embedding& embedding, bool hasState);

/// Loads the cached fit into `prior` when FITKEY.state and FITKEY.sum agree and loadState takes
/// it. A fit that is damaged, unreadable or refused gives a warning ending "fitting again" and
/// false; a state without its .sum (a write cut short) is ignored without one.
bool loadFit(Embedder& prior, const CacheEntry& entry, std::vector<std::string>& warnings);

/// Writes the prior's fit to FITKEY.state and its checksum to FITKEY.sum. Nothing is written for
/// a prior with nothing to save. Errors: those of saveState, then Io.
Status saveFit(const Embedder& prior, const CacheEntry& entry);

} // namespace gps::priors::detail
