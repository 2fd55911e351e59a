// gps-studio: the desktop studio. Usage: gps-studio [project.json | dataset], where dataset is a
// path or "fashion-mnist"; a project file opens into every tab (its dataset, prior, neighbours,
// augmentation and training settings); with no argument the embedded Fashion-MNIST opens when
// it is installed.
// The options of studio_script.h (--prior, --anchor, --tau, --tab, --overlay, --train,
// --presentation, --screenshot) drive the window for demos, screenshots and checks.

#include "app_style.h"
#include "common/threads.h"
#include "main_window.h"
#include "studio_script.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("GPS Studio"));
    QApplication::setApplicationVersion(QStringLiteral(GPS_STUDIO_VERSION));
    QApplication::setOrganizationName(QStringLiteral("gps-studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("GPS Studio: browse a dataset, preview augmentations, train SSL methods."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("project-or-dataset"),
        QStringLiteral("A project file (.json) to open into every tab, or a dataset to open: a "
                       "folder, an .npz file, or fashion-mnist (the default when it is "
                       "installed)."),
        QStringLiteral("[project.json | dataset]"));
    gps::app::addScriptOptions(parser);
    parser.process(app);
    QString error;
    const auto script = gps::app::readScriptOptions(parser, error);
    if (!script) {
        qCritical("%s", qPrintable(error));
        return 2;
    }

    gps::configureThreads();
    app.setStyleSheet(gps::ui::studioStyleSheet());

    gps::ui::MainWindow window;
    window.show();
    if (!gps::app::startScript(window, *script, error)) {
        qCritical("%s", qPrintable(error));
        return 2;
    }
    return QApplication::exec();
}
