#pragma once
/// Prior spec strings → Embedders. The spec grammar (docs/design.md §5):
///   pixels | pca:D | hog | random-cnn | ae:D | vae:D | torchscript:PATH | npy:PATH | run:DIR
/// The name is case-insensitive and the spec is trimmed; D is a positive integer (at most
/// kMaxPriorDim); PATH and DIR are everything after the first colon, so "npy:C:/x.npy" works.

#include "priors/embedder.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gps::priors {

inline constexpr int kMaxPriorDim = 65536;

enum class PriorKind { Pixels, Pca, Hog, RandomCnn, Autoencoder, Vae, TorchScript, Npy, Run };

/// A parsed spec. Parsing touches no file.
struct PriorSpec {
    PriorKind kind = PriorKind::Pixels;
    int dim = 0;                ///< D for pca, ae and vae; 0 otherwise
    std::filesystem::path path; ///< torchscript and npy: the file; run: the folder
    std::string canonical;      ///< "pca:64" for " PCA:064 "; paths kept as written
};

/// InvalidInput with a message that quotes the spec:
///   "unknown prior 'foo' (expected pixels, pca:D, hog, random-cnn, ae:D, vae:D,
///    torchscript:PATH, npy:PATH or run:DIR)"
///   "prior 'pca:abc': D must be a positive integer"
///   "prior 'pca': missing D (write pca:D, e.g. pca:64)"
///   "prior 'hog:3': hog takes no argument"
///   "prior 'npy:': missing PATH (write npy:PATH)"
Result<PriorSpec> parsePriorSpec(const std::string& spec);

/// The Embedder for a spec. Files are opened here: npy checks its header, torchscript loads the
/// module (and probes it when the input size and channels are set), run checks its folder.
/// Errors: those of parsePriorSpec, then NotFound / InvalidInput / Corrupt naming the file.
Result<EmbedderPtr> makeEmbedder(const std::string& spec, const PriorOptions& options);
Result<EmbedderPtr> makeEmbedder(const PriorSpec& spec, const PriorOptions& options);

/// The PriorOptions fields this kind of prior reads, as "name=value" pairs joined by spaces in a
/// fixed order ("standardize=1"; "" for hog). Two option sets that give the same text give the
/// same embedding: the embedding cache keys on it, so changing an option a prior ignores (the
/// epochs of `pixels`) does not throw its cache away.
std::string relevantOptions(const PriorSpec& spec, const PriorOptions& options);

/// One line per spec form, "spec — what it is", in the grammar's order, for the UI and --help.
std::vector<std::string> priorSpecHelp();

} // namespace gps::priors
