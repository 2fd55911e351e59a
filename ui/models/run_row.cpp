#include "models/run_row.h"

#include "project/project.h"

#include <chrono>

namespace gps::ui {

namespace {

QString text(const std::string& value) {
    return QString::fromStdString(value);
}

// What the snapshot says the run is: method, positives (with the prior), τ or k, preset.
void describe(const project::Project& p, RunRow& row) {
    row.method = text(p.method.name);
    static const char* const kSources[] = {"augment", "gps", "semantic", "synthetic"};
    const bool augment = p.positives.source == train::PositiveSource::Augment;
    row.positives = QString::fromLatin1(kSources[int(p.positives.source)]);
    if (!augment) {
        row.positives += u' ' + text(p.prior.spec);
        const auto& n = p.neighbors;
        row.tauOrK = n.tauAuto ? QStringLiteral("tau=auto")
                     : n.tau   ? QStringLiteral("tau=%1").arg(double(*n.tau), 0, 'g', 4)
                               : QStringLiteral("k=%1").arg(n.k);
    }
    row.preset = p.augmentPreset.empty() ? QObject::tr("custom") : text(p.augmentPreset);
    row.epochsPlanned = p.train.epochs;
    row.batchSize = p.train.batchSize;
}

} // namespace

QString runStateText(project::RunState state) {
    switch (state) {
    case project::RunState::Running:
        return QObject::tr("running");
    case project::RunState::Finished:
        return QObject::tr("finished");
    case project::RunState::Stopped:
        return QObject::tr("stopped");
    case project::RunState::Failed:
        return QObject::tr("failed");
    case project::RunState::Crashed:
        return QObject::tr("crashed");
    }
    return {};
}

RunRow runRow(const project::RunInfo& info, bool external) {
    RunRow row;
    row.id = QString::fromStdString(info.dir.path.string());
    row.folder = text(info.name);
    row.displayName = info.meta.name.empty() ? row.folder : text(info.meta.name);
    row.note = text(info.meta.note);
    row.external = external;
    row.state = info.state;
    row.error = text(info.error);
    if (info.project) {
        describe(*info.project, row);
        row.projectFile = QString::fromStdString(info.dir.projectFile().string());
    }
    row.epochsDone = info.epochsDone;
    row.bestLinear = info.bestLinearProbe;
    row.bestKnn = info.bestKnn;
    row.imagesPerSecond = info.imagesPerSecond;
    row.device = text(info.device);
    row.started =
        QDateTime::fromSecsSinceEpoch(qint64(std::chrono::system_clock::to_time_t(info.start)));
    for (const std::string& warning : info.warnings)
        row.warnings << text(warning);
    return row;
}

} // namespace gps::ui
