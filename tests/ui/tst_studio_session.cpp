// The studio's one path from the Neighbours tab to the running job, in the real window on a tiny
// IDX dataset: a run trains with the very graph on screen (and says so), freezes its settings
// while τ moves, builds and shows its own graph for a subset; a project from projects/ opens
// into every tab and round-trips unchanged; the window and `gps-studio-cli train` give the same
// numbers for the same project.

#include "cli_runner.h"
#include "common/threads.h"
#include "fixtures_binary.h"
#include "main_window.h"
#include "panels/augment_panel.h"
#include "panels/dataset_panel.h"
#include "panels/neighbor_panel.h"
#include "panels/prior_panel.h"
#include "panels/runs_panel.h"
#include "panels/training_advanced_form.h"
#include "panels/training_form.h"
#include "panels/training_panel.h"
#include "project/project.h"
#include "studio_session.h"

#include <nlohmann/json.hpp>

#include <QAbstractButton>
#include <QFile>
#include <QMessageBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <fstream>

using gps::ui::MainWindow;
using gps::ui::StudioSession;
using gps::ui::TrainingPanel;

namespace {

constexpr int kTimeoutMs = 120000;
constexpr int kImages = 96;

std::filesystem::path pathOf(const QTemporaryDir& dir) {
    return std::filesystem::path(dir.path().toStdString());
}

// A 96-image train split and a 32-image test split in IDX files under DIR/data.
QString writeData(const QTemporaryDir& dir) {
    gps::test::writeIdxSplit(pathOf(dir) / "data", "train",
                             gps::test::makeTinyImages(kImages, 28, 28, 1, 4), false);
    gps::test::writeIdxSplit(pathOf(dir) / "data", "t10k",
                             gps::test::makeTinyImages(32, 28, 28, 1, 4, 3), false);
    return dir.filePath(QStringLiteral("data"));
}

QString writeJson(const QTemporaryDir& dir, const char* name, const nlohmann::json& document) {
    const QString path = dir.filePath(QString::fromLatin1(name));
    std::ofstream(path.toStdString()) << document.dump(2);
    return path;
}

nlohmann::json readJson(const std::filesystem::path& file) {
    std::ifstream in(file);
    return nlohmann::json::parse(in);
}

/// The shipped projects/fmnist-gps-simclr-weak.json, pointed at the dataset `data`.
nlohmann::json weakProjectOn(const QString& data) {
    auto document = readJson(std::filesystem::path(GPS_SOURCE_DIR) / "projects" /
                             "fmnist-gps-simclr-weak.json");
    document["dataset"]["path"] = data.toStdString();
    return document;
}

// A run's training settings small enough for the suite: one epoch, a narrow network, a short
// probe, one data thread.
void makeTiny(TrainingPanel& panel) {
    auto* form = panel.form();
    form->epochsBox()->setValue(1);
    form->batchBox()->setValue(16);
    form->testLimitBox()->setValue(32);
    QVERIFY(form->setBackbone(QStringLiteral("small_cnn"), 8));
    auto* advanced = form->advanced();
    qobject_cast<QDoubleSpinBox*>(advanced->editor(QStringLiteral("train.warmup_epochs")))
        ->setValue(0);
    qobject_cast<QSpinBox*>(advanced->editor(QStringLiteral("eval.probe_epochs")))->setValue(5);
    qobject_cast<QSpinBox*>(advanced->editor(QStringLiteral("train.data_threads")))->setValue(1);
}

} // namespace

class TestStudioSession : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<MainWindow> m_window;

    // Opens DIR/data in the window and computes a pixels graph with `kMax` and `cosine`.
    void openAndCompute(const QString& data, int kMax, bool cosine) {
        MainWindow& window = *m_window;
        QSignalSpy opened(&window, &MainWindow::datasetOpened);
        window.openDataset(data);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
        gps::ui::PriorPanel* prior = window.priorPanel();
        QVERIFY(prior->setSpec(QStringLiteral("pixels")));
        prior->setKMax(kMax);
        prior->setCosine(cosine);
        QSignalSpy ready(prior, &gps::ui::PriorPanel::graphReady);
        prior->compute();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
        QCOMPARE(window.session()->graphState(), StudioSession::GraphState::Ready);
    }

    // Moves τ in the inspector and waits until the training project has it.
    void moveTau(double tau) {
        QSignalSpy stats(m_window->neighborPanel(), &gps::ui::NeighborPanel::statsUpdated);
        m_window->neighborPanel()->setTau(tau);
        QTRY_VERIFY_WITH_TIMEOUT(stats.count() >= 1, kTimeoutMs);
    }

    gps::session::RunSummary trainToTheEnd() {
        TrainingPanel& panel = *m_window->trainingPanel();
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        QSignalSpy failed(&panel, &TrainingPanel::runFailed);
        if (!panel.start())
            qFatal("not started: %s", qPrintable(panel.errorText()));
        if (!QTest::qWaitFor([&] { return finished.count() + failed.count() == 1; }, kTimeoutMs))
            qFatal("the run did not end");
        if (!failed.isEmpty())
            qFatal("the run failed: %s", qPrintable(panel.errorText()));
        return finished.at(0).at(0).value<gps::session::RunSummary>();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CACHE_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("cache"))));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
        QStandardPaths::setTestModeEnabled(true); // QSettings and data folders: test places
        // As gps-studio's main does, with the thread count runCli gives the CLI: the same
        // threads give the same reductions, so the window and the CLI can agree to the bit.
        gps::configureThreads(2);
    }

    void init() {
        m_window = std::make_unique<MainWindow>();
        m_window->trainingPanel()->setDefaultProjectFolder(m_home.filePath(QStringLiteral("p")));
    }

    void cleanup() { m_window.reset(); }

    // A cosine graph with k_max 32 on screen → Start: the run trains with that very graph
    // (same object), its project.json holds cosine, 32 and the inspector's τ; moving τ while it
    // runs leaves the running snapshot alone and is marked for the next run.
    void theRunTrainsWithTheGraphOnScreen() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        openAndCompute(writeData(dir), 32, true);
        MainWindow& window = *m_window;
        TrainingPanel& panel = *window.trainingPanel();
        // A graph on screen makes gps the default positive source.
        QCOMPARE(panel.form()->positiveSource(), QStringLiteral("gps"));
        const float tau = 0.75f * window.priorPanel()->graph()->suggestedTau;
        moveTau(tau);
        makeTiny(panel);

        QSignalSpy runGraph(&panel, &TrainingPanel::runGraph);
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        QVERIFY2(panel.start(), qPrintable(panel.errorText()));
        panel.togglePause(); // keeps it active while τ moves
        moveTau(0.5 * tau);
        QVERIFY(panel.runningProject());
        QCOMPARE(*panel.runningProject()->neighbors.tau, tau);
        QVERIFY2(panel.contextText().contains(QStringLiteral("apply to the next run")),
                 qPrintable(panel.contextText()));
        QCOMPARE(*panel.editedProject().neighbors.tau, float(0.5 * tau));
        panel.togglePause();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);

        QCOMPARE(runGraph.count(), 1);
        const auto used = runGraph.at(0).at(0).value<gps::session::PriorGraphPtr>();
        QVERIFY(used == window.priorPanel()->graph()->built); // the same object, not a rebuild
        QVERIFY2(panel.logText().contains(QStringLiteral("not built again")),
                 qPrintable(panel.logText()));
        const auto summary = finished.at(0).at(0).value<gps::session::RunSummary>();
        const auto snapshot = readJson(summary.runDir / "project.json");
        QCOMPARE(snapshot["neighbors"]["metric"], nlohmann::json("cosine"));
        QCOMPARE(snapshot["neighbors"]["k_max"], nlohmann::json(32));
        QCOMPARE(snapshot["neighbors"]["tau"].get<float>(), tau);
        QCOMPARE(snapshot["positives"]["source"], nlohmann::json("gps"));
        // Idle again: the header shows the next run's settings, τ as moved.
        QVERIFY(!panel.contextText().contains(QStringLiteral("Running")));
    }

    // Training on the first 48 images cannot use the 96-image graph: the run builds the
    // subset's graph, says why, and the Neighbours tab then shows that graph with the run's τ.
    void aSubsetTrainsWithItsOwnGraphAndShowsIt() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        openAndCompute(writeData(dir), 16, false);
        MainWindow& window = *m_window;
        TrainingPanel& panel = *window.trainingPanel();
        moveTau(0.9 * window.priorPanel()->graph()->suggestedTau);
        makeTiny(panel);
        panel.form()->limitBox()->setValue(48);
        QVERIFY2(window.session()->graphStateText().contains(QStringLiteral("first 48")),
                 qPrintable(window.session()->graphStateText()));

        const gps::session::PriorGraphPtr screen = window.priorPanel()->graph()->built;
        QSignalSpy runGraph(&panel, &TrainingPanel::runGraph);
        trainToTheEnd();
        QCOMPARE(runGraph.count(), 1);
        const auto used = runGraph.at(0).at(0).value<gps::session::PriorGraphPtr>();
        QVERIFY(used != screen);
        QCOMPARE(used->graph->rows, 48);
        QVERIFY2(panel.logText().contains(QStringLiteral("it was built on 96 images")),
                 qPrintable(panel.logText()));
        QVERIFY(window.priorPanel()->graph()->built == used); // shown in the Neighbours tab
        QCOMPARE(window.neighborPanel()->samplerOptions().tau,
                 panel.runningProject()->neighbors.tau);
    }

    // projects/fmnist-gps-simclr-weak.json, pointed at the fixture: opening it sets the
    // dataset, prior, k-mode, augmentation and form; once settled nothing differs from the file,
    // the title names it; an edit marks it modified and Save clears that.
    void aProjectOpensIntoEveryTabAndRoundTrips() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = writeData(dir);
        auto document = weakProjectOn(data);
        const QString file = writeJson(dir, "weak.json", document);

        MainWindow& window = *m_window;
        StudioSession& session = *window.session();
        QSignalSpy settled(&session, &StudioSession::projectSettled);
        QVERIFY2(window.openProject(file), qPrintable(window.trainingPanel()->errorText()));
        QTRY_COMPARE_WITH_TIMEOUT(settled.count(), 1, kTimeoutMs);

        const auto loaded = gps::project::loadProject(file.toStdString());
        QVERIFY(loaded.ok());
        QCOMPARE(window.datasetPanel()->source(), data);
        QCOMPARE(window.priorPanel()->spec(), QStringLiteral("pixels"));
        QCOMPARE(window.priorPanel()->graph()->knn.kMax, 64);
        QCOMPARE(window.augmentPanel()->presetName(), QStringLiteral("weak"));
        const auto options = window.neighborPanel()->samplerOptions();
        QVERIFY(!options.tau);
        QCOMPARE(options.k, 5);
        QCOMPARE(window.trainingPanel()->form()->epochsBox()->value(), 20);
        QCOMPARE(gps::project::projectToJson(window.trainingPanel()->editedProject()).dump(2),
                 gps::project::projectToJson(*loaded).dump(2));
        QVERIFY(!session.isModified());
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("weak.json")));
        QVERIFY(!window.isWindowModified());
        QCOMPARE(session.recentProjects().value(0), QFileInfo(file).absoluteFilePath());

        window.trainingPanel()->form()->epochsBox()->setValue(3);
        QVERIFY(session.isModified());
        QVERIFY(window.isWindowModified());
        QVERIFY(session.save());
        QVERIFY(!window.isWindowModified());
        QCOMPARE(readJson(file.toStdString())["train"]["epochs"], nlohmann::json(3));
    }

    // "Duplicate as new project" on a run: its snapshot sets every tab as a new project with
    // no file, modified until saved.
    void aRunSnapshotOpensAsANewUnsavedProject() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = writeData(dir);
        auto document = weakProjectOn(data);
        document["train"]["epochs"] = 7;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("runs/r")));
        const QString snapshot = writeJson(dir, "runs/r/project.json", document);

        MainWindow& window = *m_window;
        StudioSession& session = *window.session();
        QSignalSpy settled(&session, &StudioSession::projectSettled);
        Q_EMIT window.trainingPanel()->runs()->duplicateRequested(snapshot);
        QTRY_COMPARE_WITH_TIMEOUT(settled.count(), 1, kTimeoutMs);
        QVERIFY(session.projectFile().isEmpty());
        QVERIFY(session.isModified());
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("untitled")));
        QCOMPARE(window.trainingPanel()->form()->epochsBox()->value(), 7);
        QCOMPARE(window.datasetPanel()->source(), data);
        QVERIFY(session.recentProjects().isEmpty() ||
                session.recentProjects().value(0) != QFileInfo(snapshot).absoluteFilePath());
    }

    // Closing over unsaved changes asks: Cancel keeps the window open, Discard closes it.
    void closingAsksAboutUnsavedChanges() {
        MainWindow& window = *m_window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.trainingPanel()->form()->epochsBox()->setValue(42);
        QVERIFY(window.session()->isModified());
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("untitled")));
        const auto answerWith = [&window](QMessageBox::StandardButton button) {
            QTimer::singleShot(50, &window, [&window, button] {
                const auto boxes = window.findChildren<QMessageBox*>();
                QVERIFY(!boxes.isEmpty());
                QVERIFY(boxes.last()->text().contains(QStringLiteral("not saved")));
                boxes.last()->button(button)->click();
            });
        };
        answerWith(QMessageBox::Cancel);
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        answerWith(QMessageBox::Discard);
        QVERIFY(window.close());
        QVERIFY(!window.isVisible());
    }

    // The same project trained from the window and by `gps-studio-cli train` gives the same
    // linear-probe and kNN accuracy and final loss.
    void theWindowAndTheCliGiveTheSameNumbers() {
        QVERIFY2(!qEnvironmentVariable("GPS_CLI").isEmpty(), "run through CTest (GPS_CLI unset)");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = writeData(dir);
        const nlohmann::json document = {
            {"version", 1},
            {"dataset", {{"path", data.toStdString()}, {"test_limit", 32}}},
            {"prior", {{"spec", "pixels"}}},
            {"neighbors", {{"k_max", 16}, {"tau", "auto"}}},
            {"positives", {{"source", "gps"}}},
            {"backbone", {{"name", "small_cnn"}, {"width", 8}}},
            {"train",
             {{"epochs", 1},
              {"batch_size", 16},
              {"device", "cpu"},
              {"warmup_epochs", 0},
              {"data_threads", 1}}},
            {"eval", {{"probe_epochs", 5}}},
        };
        const QString file = writeJson(dir, "same.json", document);
        QSignalSpy settled(m_window->session(), &StudioSession::projectSettled);
        QVERIFY(m_window->openProject(file));
        QTRY_COMPARE_WITH_TIMEOUT(settled.count(), 1, kTimeoutMs);
        QVERIFY(!m_window->session()->isModified());
        const auto window = trainToTheEnd();

        const auto cli =
            gps::test::runCli({QStringLiteral("train"), file, QStringLiteral("--json")});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const QJsonObject summary = cli.json();
        QVERIFY(window.linearProbeAcc && window.knnAcc);
        QCOMPARE(summary.value(QStringLiteral("linear_probe_acc")).toDouble(),
                 *window.linearProbeAcc);
        QCOMPARE(summary.value(QStringLiteral("knn_acc")).toDouble(), *window.knnAcc);
        QCOMPARE(summary.value(QStringLiteral("final_loss")).toDouble(), window.finalLoss);
    }
};

QTEST_MAIN(TestStudioSession)
#include "tst_studio_session.moc"
