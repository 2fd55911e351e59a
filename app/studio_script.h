#pragma once
// What gps-studio's command line asks the window to do once things are ready, for demos,
// documentation screenshots (scripts/screenshots.sh) and checks without a screen: compute a
// prior's graph, pick an anchor and τ, show a tab, overlay run folders, train the project once,
// switch to presentation mode, and save the window to a PNG when all of it is done.

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

namespace gps::ui {
class MainWindow;
}

namespace gps::app {

struct StudioScript {
    QString project; ///< a project file to open (empty: a dataset or the default one)
    QString dataset; ///< a dataset path or name to open when there is no project
    QString prior;   ///< compute this prior's graph once the dataset is open
    qint64 anchor = 0;
    std::optional<double> tau;
    QString tab = QStringLiteral("data"); ///< data, neighbours, map or training
    QStringList overlays;                 ///< run folders overlaid (and followed) on the curves
    bool train = false;                   ///< start the project's run once it has settled
    bool presentation = false;
    QString screenshot; ///< save the window here once everything asked for is ready, and quit
};

/// Adds the script's options to `parser`.
void addScriptOptions(QCommandLineParser& parser);
/// Reads them after parser.process(); the reason when a value is not usable.
std::optional<StudioScript> readScriptOptions(const QCommandLineParser& parser, QString& error);
/// Wires `script` into `window` and starts it (opens the project or dataset). False, with the
/// reason, when it cannot start (a bad prior spec, a project that does not open).
bool startScript(ui::MainWindow& window, const StudioScript& script, QString& error);

} // namespace gps::app
