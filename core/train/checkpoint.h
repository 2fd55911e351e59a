#pragma once
/// Training checkpoints: everything a run needs to continue exactly (as dlib's
/// trainer): every parameter and buffer of the method by qualified name, the optimiser's state,
/// the online probe's state, the loop counters and running sums, and LibTorch's CPU generator.
///
/// One file, a LibTorch archive (zip; the model's tensors under "model" as a dict name → tensor,
/// so Python reads it with torch.jit.load(file).model), written atomically: a temporary file in
/// the same folder, then a rename, so a crash or a full disk never leaves a half-written
/// checkpoint in place of a good one. A checksum over the tensors catches damaged files.

#include "common/result.h"
#include "train/optimizers.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace gps::ssl {
class MethodImpl;
}
namespace gps::eval {
class OnlineProbe;
}

namespace gps::train {

/// The loop's counters and running sums at the moment of the checkpoint.
struct CheckpointCounters {
    std::int64_t step = 0;       ///< optimiser steps done = the 0-based index of the next step
    double epochLossSum = 0;     ///< sum of the losses of the current epoch's steps so far
    std::int64_t epochSteps = 0; ///< steps of the current epoch done so far
    double lastEpochLoss = 0;    ///< mean loss of the last completed epoch
    std::map<std::string, double> epochParts; ///< sums of the method's loss parts this epoch
    double seconds = 0;                       ///< training time so far (for the run's images/s)
    double waitSeconds = 0;                   ///< of which waiting for batches
    std::int64_t images = 0;                  ///< anchors trained on so far
    // What the run was started with; a resume with other values would not continue the same run.
    std::uint64_t seed = 0;
    int batchSize = 0;
    std::int64_t stepsPerEpoch = 0;
};

/// What a checkpoint holds besides the counters. `probe` may be null (no online probe).
struct CheckpointParts {
    ssl::MethodImpl& method;
    Optimizer& optimizer;
    eval::OnlineProbe* probe = nullptr;
};

/// Writes the checkpoint (tensors copied to the CPU). Io naming the file when it cannot be
/// written; the previous file at `file`, if any, is then left as it was.
Status saveCheckpoint(const std::filesystem::path& file, const CheckpointParts& parts,
                      const CheckpointCounters& counters);

/// Restores a checkpoint into `parts` (tensors copied onto their current devices) and returns
/// its counters. NotFound naming the file when it does not exist; Corrupt naming the file when
/// it is not a checkpoint, is damaged, or does not fit the method (a missing tensor or another
/// shape, named). On an error the method's tensors are unchanged.
Result<CheckpointCounters> loadCheckpoint(const std::filesystem::path& file,
                                          const CheckpointParts& parts);

/// The counters of a checkpoint without loading its tensors (what a resume would continue
/// from). Errors as loadCheckpoint, without the fit checks.
Result<CheckpointCounters> readCheckpointCounters(const std::filesystem::path& file);

} // namespace gps::train
