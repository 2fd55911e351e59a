#pragma once
/// Data and helpers shared by the learned-prior tests (ae:D, vae:D).

#include "data/in_memory_dataset.h"
#include "priors/autoencoder.h"

#include <cstdint>

namespace gps::test {

/// Image i: a bright quarter-size square in quadrant i mod 4 on a dark background, with noise.
/// Four clear groups a small autoencoder learns in a few dozen steps.
gps::data::InMemoryDataset quadrantDataset(int count, int h, int w, int c, std::uint64_t seed = 1);

/// Prior options with the given training length, seed and batch size.
gps::priors::PriorOptions options(int epochs, std::uint64_t seed = 7, int batchSize = 16);

/// fit() then embed() on `data`; a failure throws (GPS_CHECK), which Qt Test reports.
gps::priors::Embedding fitAndEmbed(gps::priors::AutoencoderPrior& prior,
                                   const gps::data::Dataset& data);

/// The lowest BCE any reconstruction can reach: the binary entropy of the targets themselves,
/// summed over pixels, averaged over images (nats per image).
double entropyFloor(const gps::data::Dataset& data);

/// Bit-identical embeddings.
bool sameFloats(const gps::priors::Embedding& a, const gps::priors::Embedding& b);

} // namespace gps::test
