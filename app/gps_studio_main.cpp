// gps-studio: the desktop studio. Usage: gps-studio [dataset], where dataset is a path or
// "fashion-mnist"; with no argument the embedded Fashion-MNIST opens when it is installed.

#include "app_style.h"
#include "common/threads.h"
#include "data/dataset_open.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>

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
        QStringLiteral("dataset"),
        QStringLiteral("Dataset to open: a folder, an .npz file, or fashion-mnist (the default "
                       "when it is installed)."),
        QStringLiteral("[dataset]"));
    parser.process(app);

    gps::configureThreads();
    app.setStyleSheet(gps::ui::studioStyleSheet());

    gps::ui::MainWindow window;
    window.show();

    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty()) {
        window.openDataset(positional.first());
    } else {
        std::error_code ec;
        if (std::filesystem::exists(gps::data::fashionMnistDir(), ec))
            window.openDataset(QString::fromUtf8(gps::data::kDefaultDatasetName));
    }
    return QApplication::exec();
}
