#include "project/run_name.h"

#include "project/project.h"
#include "project/run_dir.h"

#include <cstdio>

namespace gps::project {

namespace {

constexpr std::size_t kMaxFolderName = 80;

std::string shortNumber(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

std::string positivesText(const Project& project) {
    using train::PositiveSource;
    const PositiveSource source = project.positives.source;
    if (source == PositiveSource::Augment)
        return "augment";
    const NeighborSection& n = project.neighbors;
    const std::string radius = n.tauAuto ? "tau=auto"
                               : n.tau   ? "tau=" + shortNumber(double(*n.tau))
                                         : "k=" + std::to_string(n.k);
    std::string kind;
    if (source == PositiveSource::Semantic)
        kind = "semantic ";
    else if (source == PositiveSource::Synthetic)
        kind = "synthetic ";
    return kind + project.prior.spec + " " + radius;
}

} // namespace

std::string describeRun(const Project& project) {
    const bool neighbours = project.positives.source != train::PositiveSource::Augment;
    const std::string method = (neighbours ? "gps-" : "") + project.method.name;
    const std::string augment = project.augmentPreset.empty() ? "custom" : project.augmentPreset;
    return method + " · " + positivesText(project) + " · " + augment + " · seed " +
           std::to_string(project.train.seed);
}

std::string runFolderName(const Project& project) {
    if (!project.name.empty() && project.name != "untitled")
        return project.name;
    // runFolderStem turns every unsafe byte into '-'; runs of them read better as one.
    std::string compact;
    for (char c : runFolderStem(describeRun(project)))
        if (c != '-' || (!compact.empty() && compact.back() != '-'))
            compact += c;
    if (compact.size() > kMaxFolderName) // a torchscript: or npy: prior names a whole path
        compact.resize(kMaxFolderName);
    while (!compact.empty() && compact.back() == '-')
        compact.pop_back();
    return compact;
}

} // namespace gps::project
