#pragma once
/// One row of the runs table (RunModel): what the run folder holds, in the words and numbers
/// the table shows, read by core (project::readRunInfo) and turned into Qt values here.

#include "project/run_list.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace gps::ui {

struct RunRow {
    QString id;          ///< absolute folder path: the key of check marks and overlays
    QString folder;      ///< the folder's name
    QString displayName; ///< run.json's name, else the folder's name
    QString note;
    bool external = false; ///< watched, not under the project's runs folder
    project::RunState state = project::RunState::Crashed;
    QString error; ///< why a failed run failed
    QString method, positives, tauOrK, preset;
    int epochsDone = 0;
    int epochsPlanned = 0; ///< 0 when the snapshot did not read
    int batchSize = 0;
    std::optional<double> bestLinear, bestKnn, imagesPerSecond;
    QString device;
    QDateTime started;
    QString projectFile; ///< the snapshot's path; "" when the run has none
    QStringList warnings;
};

/// A row from what core read of one run folder.
RunRow runRow(const project::RunInfo& info, bool external = false);

/// "running", "finished", … (translated).
QString runStateText(project::RunState state);

} // namespace gps::ui
