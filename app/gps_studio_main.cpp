// gps-studio: the desktop studio. Usage: gps-studio [project.json | dataset], where dataset is a
// path or "fashion-mnist"; a project file opens into every tab (its dataset, prior, neighbours,
// augmentation and training settings); with no argument the embedded Fashion-MNIST opens when
// it is installed.
// --prior SPEC computes that prior's neighbour graph once the dataset is open and shows the
// neighbour inspector (with --anchor N selecting image N), for demos and screenshots.

#include "app_style.h"
#include "common/threads.h"
#include "data/dataset_open.h"
#include "main_window.h"
#include "panels/dataset_panel.h"
#include "panels/prior_panel.h"
#include "panels/training_panel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

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
    parser.addOption(priorOption);
    parser.addOption(anchorOption);
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

    const QStringList positional = parser.positionalArguments();
    const QFileInfo argument(positional.value(0));
    if (!positional.isEmpty() && argument.isFile() &&
        argument.suffix().compare(QStringLiteral("json"), Qt::CaseInsensitive) == 0) {
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
