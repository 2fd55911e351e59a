#pragma once
/// What a run is, in one line: the name a run folder and the runs table give a run whose
/// project has no name of its own, so that a list of runs reads as the experiments they were.

#include <string>

namespace gps::project {

struct Project;

/// "gps-simclr · pixels k=5 · weak · seed 0", "simclr · augment · strong · seed 1":
/// the method (prefixed "gps-" when positives come from the prior's neighbours), the positives
/// (the prior with "tau=0.83", "tau=auto" or "k=5"; semantic and synthetic positives say so
/// before the prior), the augmentation preset or "custom", and the training seed. Pure.
std::string describeRun(const Project& project);

/// The name a new run folder of `project` starts with (before runFolderStem and the time):
/// the project's name, or, when it has none or is "untitled", describeRun made compact for a
/// folder ("gps-simclr-pixels-k-5-weak-seed-0"). Pure.
std::string runFolderName(const Project& project);

} // namespace gps::project
