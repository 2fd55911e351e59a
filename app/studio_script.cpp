#include "studio_script.h"

#include "data/dataset_open.h"
#include "main_window.h"
#include "panels/curves_panel.h"
#include "panels/dataset_panel.h"
#include "panels/map_panel.h"
#include "panels/neighbor_panel.h"
#include "panels/prior_panel.h"
#include "panels/runs_panel.h"
#include "panels/training_panel.h"
#include "studio_session.h"

#include <QApplication>
#include <QFileInfo>
#include <QTabWidget>
#include <QTimer>

#include <filesystem>

namespace gps::app {

namespace {

// Option names, each used when adding and when reading.
const QString kPrior = QStringLiteral("prior");
const QString kAnchor = QStringLiteral("anchor");
const QString kTau = QStringLiteral("tau");
const QString kTab = QStringLiteral("tab");
const QString kOverlay = QStringLiteral("overlay");
const QString kTrain = QStringLiteral("train");
const QString kPresentation = QStringLiteral("presentation");
const QString kScreenshot = QStringLiteral("screenshot");

/// Milliseconds for the coalesced plots and the thumbnails to draw before a screenshot.
constexpr int kSettleMs = 800;

void showTab(ui::MainWindow& window, const QString& tab) {
    if (tab == QLatin1String("training"))
        window.tabs()->setCurrentWidget(window.trainingPanel());
    else if (tab == QLatin1String("neighbours"))
        window.showNeighbours();
    else if (tab == QLatin1String("map"))
        window.showMap();
}

void saveScreenshot(ui::MainWindow& window, const QString& file) {
    QTimer::singleShot(kSettleMs, &window, [&window, file] {
        const bool saved = window.grab().save(file, "PNG");
        if (!saved)
            qCritical("--screenshot: cannot write %s", qPrintable(file));
        QApplication::exit(saved ? 0 : 1);
    });
}

} // namespace

void addScriptOptions(QCommandLineParser& parser) {
    parser.addOption({kPrior,
                      QStringLiteral("Compute this prior's neighbour graph once the dataset is "
                                     "open (pixels, pca:D, hog, …) and show the inspector."),
                      QStringLiteral("spec")});
    parser.addOption({kAnchor, QStringLiteral("With --prior: the image to inspect first."),
                      QStringLiteral("index"), QStringLiteral("0")});
    parser.addOption({kTau, QStringLiteral("With --prior: the radius τ the inspector starts at."),
                      QStringLiteral("value")});
    parser.addOption({kTab,
                      QStringLiteral("The tab shown first: data, neighbours, map or training."),
                      QStringLiteral("name"), QStringLiteral("data")});
    parser.addOption({kOverlay,
                      QStringLiteral("Overlay this run folder's curves on the Training tab and "
                                     "follow it while it grows (may be repeated)."),
                      QStringLiteral("run-dir")});
    parser.addOption({kTrain, QStringLiteral("Train the project once it is open (a demo run).")});
    parser.addOption({kPresentation,
                      QStringLiteral("Start in presentation mode (larger text, thicker lines).")});
    parser.addOption({kScreenshot,
                      QStringLiteral("Once everything asked for is ready (the project, the "
                                     "graph, the map, the run), save the window to this PNG "
                                     "file and quit. Works with -platform offscreen."),
                      QStringLiteral("file")});
}

std::optional<StudioScript> readScriptOptions(const QCommandLineParser& parser, QString& error) {
    StudioScript script;
    const QStringList positional = parser.positionalArguments();
    const QFileInfo argument(positional.value(0));
    if (!positional.isEmpty() && argument.isFile() &&
        argument.suffix().compare(QStringLiteral("json"), Qt::CaseInsensitive) == 0)
        script.project = argument.absoluteFilePath();
    else if (!positional.isEmpty())
        script.dataset = positional.first();
    script.prior = parser.value(kPrior);
    bool ok = true;
    script.anchor = parser.value(kAnchor).toLongLong(&ok);
    if (!ok || script.anchor < 0) {
        error = QStringLiteral("--anchor: expected an image index ≥ 0, got '%1'")
                    .arg(parser.value(kAnchor));
        return std::nullopt;
    }
    if (parser.isSet(kTau)) {
        const double tau = parser.value(kTau).toDouble(&ok);
        if (!ok || !(tau >= 0)) {
            error =
                QStringLiteral("--tau: expected a number ≥ 0, got '%1'").arg(parser.value(kTau));
            return std::nullopt;
        }
        script.tau = tau;
    }
    script.tab = parser.value(kTab);
    static const QStringList tabs = {QStringLiteral("data"), QStringLiteral("neighbours"),
                                     QStringLiteral("map"), QStringLiteral("training")};
    if (!tabs.contains(script.tab)) {
        error = QStringLiteral("--tab: expected one of %1, got '%2'")
                    .arg(tabs.join(QStringLiteral(", ")), script.tab);
        return std::nullopt;
    }
    script.overlays = parser.values(kOverlay);
    for (const QString& run : script.overlays)
        if (!QFileInfo(run).isDir()) {
            error = QStringLiteral("--overlay: %1 is not a run folder").arg(run);
            return std::nullopt;
        }
    script.train = parser.isSet(kTrain);
    if (script.train && script.project.isEmpty()) {
        error = QStringLiteral("--train: give a project file to train");
        return std::nullopt;
    }
    script.presentation = parser.isSet(kPresentation);
    script.screenshot = parser.value(kScreenshot);
    return script;
}

bool startScript(ui::MainWindow& window, const StudioScript& script, QString& error) {
    if (!script.prior.isEmpty()) {
        if (!window.priorPanel()->setSpec(script.prior)) {
            error = QStringLiteral("--prior: cannot read the spec '%1'").arg(script.prior);
            return false;
        }
        QObject::connect(
            &window, &ui::MainWindow::datasetOpened, &window,
            [&window, anchor = script.anchor] {
                window.showNeighbours();
                window.datasetPanel()->selectImage(anchor);
                window.priorPanel()->compute();
            },
            Qt::SingleShotConnection);
        QObject::connect(
            window.priorPanel(), &ui::PriorPanel::graphReady, &window,
            [&window, script] {
                if (script.tau)
                    window.neighborPanel()->setTau(*script.tau);
                if (script.tab == QLatin1String("map")) {
                    window.showMap();
                    window.mapPanel()->compute();
                }
            },
            Qt::SingleShotConnection);
    }
    showTab(window, script.tab);
    if (script.presentation)
        window.setPresentation(true);
    for (const QString& run : script.overlays)
        window.trainingPanel()->runs()->watchRunFolder(run);

    // What "ready" means for the screenshot: the last thing asked for.
    if (!script.screenshot.isEmpty()) {
        const auto shoot = [&window, file = script.screenshot] { saveScreenshot(window, file); };
        if (script.train) {
            QObject::connect(window.trainingPanel(), &ui::TrainingPanel::runFinished, &window,
                             shoot, Qt::SingleShotConnection);
            QObject::connect(window.trainingPanel(), &ui::TrainingPanel::runFailed, &window, shoot,
                             Qt::SingleShotConnection);
        } else if (!script.prior.isEmpty() && script.tab == QLatin1String("map")) {
            QObject::connect(window.mapPanel(), &ui::MapPanel::mapFinished, &window, shoot,
                             Qt::SingleShotConnection);
        } else if (!script.prior.isEmpty()) {
            QObject::connect(window.priorPanel(), &ui::PriorPanel::graphReady, &window, shoot,
                             Qt::SingleShotConnection);
        } else if (!script.project.isEmpty()) {
            QObject::connect(window.session(), &ui::StudioSession::projectSettled, &window, shoot,
                             Qt::SingleShotConnection);
        } else {
            QObject::connect(&window, &ui::MainWindow::datasetOpened, &window, shoot,
                             Qt::SingleShotConnection);
        }
    }
    if (script.train)
        QObject::connect(
            window.session(), &ui::StudioSession::projectSettled, &window,
            [&window] {
                window.tabs()->setCurrentWidget(window.trainingPanel());
                window.trainingPanel()->start();
            },
            Qt::SingleShotConnection);

    if (!script.project.isEmpty()) {
        if (!window.openProject(script.project)) {
            error = window.trainingPanel()->errorText();
            return false;
        }
    } else if (!script.dataset.isEmpty()) {
        window.openDataset(script.dataset);
    } else {
        std::error_code ec;
        if (std::filesystem::exists(data::fashionMnistDir(), ec))
            window.openDataset(QString::fromUtf8(data::kDefaultDatasetName));
    }
    return true;
}

} // namespace gps::app
