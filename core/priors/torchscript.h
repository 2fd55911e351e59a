#pragma once
/// The `torchscript:PATH` prior: any image encoder saved as TorchScript (torch.jit.script or
/// torch.jit.trace, then torch.jit.save), e.g. an exported CLIP image tower or a ResNet-50.
///
/// Input: one float tensor N × C × S × S on the CPU. S = PriorOptions::inputSize (0 = the
/// dataset's own height × width); C = PriorOptions::inputChannels (0 = the dataset's; grey is
/// repeated when 3 are asked, RGB turned grey when 1 is); values in [0, 1], then (x − mean) / std
/// per channel when PriorOptions::mean / std are given (one value, or one per channel).
/// Output: the forward's tensor (or the first tensor of a returned tuple or list); a 4-D output
/// N × C × h × w is global-average-pooled to N × C; anything else is flattened to N × d.
/// Runs in eval mode under c10::InferenceMode, PriorOptions::batchSize images per forward.
///
/// The module is probed with one all-zero image before the first batch: a module that cannot
/// take the input gives InvalidInput naming the file and the input shape it was given.
/// An output the embedding cannot be built from is InvalidInput naming the model and the batch,
/// never an embedding: one that is not one row per image (a first dimension other than N, a
/// single number, a count of values that N does not divide), 0 features per image, a width that
/// changes between batches, NaN or infinite values, or rows × d floats over the memory limit of
/// detail::checkEmbeddingSize (half the physical memory), which is checked before allocating.

#include "priors/embedder.h"

namespace gps::priors {

/// Loads `file`. NotFound when there is no such file; InvalidInput when it is not a TorchScript
/// archive (a state_dict or pickled model is not) or the input options are inconsistent (mean
/// and std counts, channels other than 1 or 3). When both inputSize and inputChannels are set the
/// probe runs here, so dim() is known at once; otherwise it runs in the first embed() and dim()
/// is 0 until then. `spec` names the prior in messages and is what spec() returns.
Result<EmbedderPtr> makeTorchScriptPrior(const std::filesystem::path& file,
                                         const PriorOptions& options, const std::string& spec);

} // namespace gps::priors
