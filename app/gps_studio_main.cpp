// gps-studio: the desktop studio. Usage: gps-studio [project.json | dataset], where dataset is a
// path or "fashion-mnist"; a project file opens into every tab (its dataset, prior, neighbours,
// augmentation and training settings); with no argument the embedded Fashion-MNIST opens when
// it is installed.
// --prior SPEC computes that prior's neighbour graph once the dataset is open and shows the
// neighbour inspector (with --anchor N selecting image N), for demos and screenshots;
// --tab map with --prior also computes the map of that prior (PCA) once the graph is ready;
// --screenshot FILE saves the window once everything asked for is ready, and quits.

#include "app_style.h"
#include "common/threads.h"
#include "data/dataset_open.h"
#include "main_window.h"
#include "panels/dataset_panel.h"
#include "panels/map_panel.h"
#include "panels/prior_panel.h"
#include "panels/training_panel.h"
#include "studio_session.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTabWidget>
#include <QTimer>

#include <filesystem>

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
    const QCommandLineOption priorOption(
        QStringLiteral("prior"),
        QStringLiteral("Compute this prior's neighbour graph once the dataset is open (pixels, "
                       "pca:D, hog, …) and show the neighbour inspector."),
        QStringLiteral("spec"));
    const QCommandLineOption anchorOption(
        QStringLiteral("anchor"), QStringLiteral("With --prior: the image to inspect first."),
        QStringLiteral("index"), QStringLiteral("0"));
    const QCommandLineOption tabOption(
        QStringLiteral("tab"),
        QStringLiteral("The tab shown first: data, neighbours, map or training."),
        QStringLiteral("name"), QStringLiteral("data"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QStringLiteral("Once the project, the dataset or --prior's graph is ready, save the "
                       "window to this PNG file and quit (documentation, checks without a "
                       "screen: works with -platform offscreen)."),
        QStringLiteral("file"));
    parser.addOption(priorOption);
    parser.addOption(anchorOption);
    parser.addOption(tabOption);
    parser.addOption(screenshotOption);
    parser.process(app);

    gps::configureThreads();
    app.setStyleSheet(gps::ui::studioStyleSheet());

    gps::ui::MainWindow window;
    window.show();

    if (parser.isSet(priorOption)) {
        const QString spec = parser.value(priorOption);
        const qint64 anchor = parser.value(anchorOption).toLongLong();
        if (!window.priorPanel()->setSpec(spec)) {
            qCritical("--prior: cannot read the spec '%s'", qPrintable(spec));
            return 2;
        }
        QObject::connect(
            &window, &gps::ui::MainWindow::datasetOpened, &window,
            [&window, anchor] {
                window.showNeighbours();
                window.datasetPanel()->selectImage(anchor);
                window.priorPanel()->compute();
            },
            Qt::SingleShotConnection);
    }

    // The map tab with a prior: its map once the graph is there (the inspector has it by then).
    if (parser.isSet(priorOption) && parser.value(tabOption) == QLatin1String("map"))
        QObject::connect(
            window.priorPanel(), &gps::ui::PriorPanel::graphReady, &window,
            [&window] {
                window.showMap();
                window.mapPanel()->compute();
            },
            Qt::SingleShotConnection);

    if (parser.value(tabOption) == QLatin1String("training"))
        window.tabs()->setCurrentWidget(window.trainingPanel());
    else if (parser.value(tabOption) == QLatin1String("neighbours"))
        window.showNeighbours();
    else if (parser.value(tabOption) == QLatin1String("map"))
        window.showMap();

    const QStringList positional = parser.positionalArguments();
    const QFileInfo argument(positional.value(0));
    const bool isProject =
        !positional.isEmpty() && argument.isFile() &&
        argument.suffix().compare(QStringLiteral("json"), Qt::CaseInsensitive) == 0;
    if (parser.isSet(screenshotOption)) {
        const QString file = parser.value(screenshotOption);
        const auto shoot = [&window, file] {
            // Half a second for the coalesced plots and the thumbnails to draw.
            QTimer::singleShot(500, &window, [&window, file] {
                const bool saved = window.grab().save(file, "PNG");
                if (!saved)
                    qCritical("--screenshot: cannot write %s", qPrintable(file));
                QApplication::exit(saved ? 0 : 1);
            });
        };
        if (isProject)
            QObject::connect(window.session(), &gps::ui::StudioSession::projectSettled, &window,
                             shoot, Qt::SingleShotConnection);
        else if (parser.isSet(priorOption) && parser.value(tabOption) == QLatin1String("map"))
            QObject::connect(window.mapPanel(), &gps::ui::MapPanel::mapFinished, &window, shoot,
                             Qt::SingleShotConnection);
        else if (parser.isSet(priorOption))
            QObject::connect(window.priorPanel(), &gps::ui::PriorPanel::graphReady, &window, shoot,
                             Qt::SingleShotConnection);
        else
            QObject::connect(&window, &gps::ui::MainWindow::datasetOpened, &window, shoot,
                             Qt::SingleShotConnection);
    }
    if (isProject) {
        if (!window.openProject(argument.absoluteFilePath())) {
            qCritical("%s", qPrintable(window.trainingPanel()->errorText()));
            return 2;
        }
    } else if (!positional.isEmpty()) {
        window.openDataset(positional.first());
    } else {
        std::error_code ec;
        if (std::filesystem::exists(gps::data::fashionMnistDir(), ec))
            window.openDataset(QString::fromUtf8(gps::data::kDefaultDatasetName));
    }
    return QApplication::exec();
}
