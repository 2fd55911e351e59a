// TrainingController: a real tiny run on the training thread delivers its metrics by queued
// signals on the GUI thread and writes its run folder; stop ends a run within a few steps and
// reports it stopped; pause holds the run and resume continues it; a project that cannot run
// reports failed with the reason; destroying the controller mid-run joins cleanly.

#include "bridge/training_worker.h"
#include "fixtures_binary.h"
#include "models/run_curves.h"
#include "project/project.h"
#include "session/run_session.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <filesystem>

using gps::session::RunSummary;
using gps::ui::TrainingController;

namespace {

constexpr int kRunTimeoutMs = 120000;

/// A tiny IDX dataset (64 train, 32 test images of 28 × 28, 4 classes) written to `dir`.
void writeTinyIdx(const std::filesystem::path& dir) {
    gps::test::writeIdxSplit(dir, "train", gps::test::makeTinyImages(64, 28, 28, 1, 4), false);
    gps::test::writeIdxSplit(dir, "t10k", gps::test::makeTinyImages(32, 28, 28, 1, 4, 7), false);
}

/// small_cnn width 8, batch 16, on the CPU; `epochs` long.
gps::project::Project tinyProject(const std::filesystem::path& dataset, int epochs) {
    nlohmann::json document = {
        {"version", 1},
        {"name", "tiny"},
        {"dataset", {{"path", dataset.string()}, {"limit", 64}, {"test_limit", 32}}},
        {"prior", {{"spec", "pixels"}}},
        {"neighbors", {{"k_max", 8}, {"k", 2}}},
        {"positives", {{"source", "augment"}}},
        {"augment", "weak"},
        {"backbone", {{"name", "small_cnn"}, {"width", 8}}},
        {"method", {{"name", "simclr"}}},
        {"train",
         {{"epochs", epochs},
          {"batch_size", 16},
          {"device", "cpu"},
          {"log_every", 1},
          {"warmup_epochs", 0},
          {"data_threads", 1}}},
        {"eval", {{"probe_epochs", 5}}},
    };
    auto project = gps::project::parseProject(document);
    if (!project)
        qFatal("tiny project does not parse: %s", project.error().message.c_str());
    return *project;
}

gps::session::SessionOptions optionsIn(const QTemporaryDir& dir, const char* run) {
    gps::session::SessionOptions options;
    options.runDir = std::filesystem::path(dir.path().toStdString()) / "runs" / run;
    options.cacheFolder = std::filesystem::path(dir.path().toStdString()) / "cache";
    return options;
}

} // namespace

class TestTrainingWorker : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_dataset;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_dataset = std::filesystem::path(m_dir.path().toStdString()) / "tiny-idx";
        writeTinyIdx(m_dataset);
    }

    void tinyRunDeliversMetricsOnTheGuiThread() {
        TrainingController controller;
        QSignalSpy stepped(&controller, &TrainingController::stepped);
        QSignalSpy epochs(&controller, &TrainingController::epochEnded);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QSignalSpy failed(&controller, &TrainingController::failed);
        bool allOnGuiThread = true;
        const auto check = [&] { allOnGuiThread &= QThread::currentThread() == thread(); };
        connect(&controller, &TrainingController::stepped, this, check);
        connect(&controller, &TrainingController::epochEnded, this, check);
        connect(&controller, &TrainingController::finished, this, check);

        const auto options = optionsIn(m_dir, "full");
        QVERIFY(controller.start(tinyProject(m_dataset, 2), options));
        QVERIFY(controller.isRunning());
        QVERIFY(!controller.start(tinyProject(m_dataset, 2), options)); // one run at a time
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kRunTimeoutMs);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(!controller.isRunning());
        QVERIFY(controller.trainingThread() != thread());
        QVERIFY(allOnGuiThread);

        QVERIFY(stepped.count() >= 1);
        QCOMPARE(epochs.count(), 2);
        const auto lastStep = stepped.last().at(0).value<gps::ui::StepBatch>().back();
        QCOMPARE(lastStep.step, lastStep.totalSteps); // the last step always goes
        // Batched, not thinned: every step arrives once, in order, whatever the throttle does.
        std::int64_t expected = 1;
        for (const QList<QVariant>& signal : stepped)
            for (const gps::train::StepMetrics& step : signal.at(0).value<gps::ui::StepBatch>())
                QCOMPARE(step.step, expected++);
        QCOMPARE(expected - 1, lastStep.totalSteps);
        QCOMPARE(lastStep.totalSteps, 2 * (64 / 16));
        QVERIFY(std::isfinite(lastStep.loss));
        QCOMPARE(epochs.last().at(0).value<gps::train::EpochMetrics>().epoch, 2);

        const auto outcome = finished.at(0).at(0).value<RunSummary>();
        QVERIFY(!outcome.stopped);
        QCOMPARE(outcome.epochs, 2);
        QVERIFY(!outcome.device.empty());
        QCOMPARE(outcome.runDir, options.runDir);
        QVERIFY(std::filesystem::exists(options.runDir / "metrics.jsonl"));
        const auto curves = gps::report::readRunCurves(options.runDir / "metrics.jsonl");
        QVERIFY(curves.ok());
        QVERIFY(!curves->loss.empty());
    }

    void stopEndsTheRunAndReportsStopped() {
        TrainingController controller;
        QSignalSpy stepped(&controller, &TrainingController::stepped);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QSignalSpy failed(&controller, &TrainingController::failed);
        QVERIFY(controller.start(tinyProject(m_dataset, 200), optionsIn(m_dir, "stopped")));
        QTRY_VERIFY_WITH_TIMEOUT(stepped.count() >= 1 || !failed.isEmpty(), kRunTimeoutMs);
        QVERIFY(failed.isEmpty());
        controller.stop();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kRunTimeoutMs);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        const auto outcome = finished.at(0).at(0).value<RunSummary>();
        QVERIFY(outcome.stopped);
        QVERIFY(outcome.epochs < 200);
        const auto last = stepped.last().at(0).value<gps::ui::StepBatch>().back();
        QVERIFY(last.step < last.totalSteps);
        QVERIFY(!controller.isRunning());
    }

    void pauseHoldsAndResumeContinues() {
        TrainingController controller;
        QSignalSpy stepped(&controller, &TrainingController::stepped);
        QSignalSpy paused(&controller, &TrainingController::paused);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QSignalSpy failed(&controller, &TrainingController::failed);
        QVERIFY(controller.start(tinyProject(m_dataset, 200), optionsIn(m_dir, "paused")));
        QTRY_VERIFY_WITH_TIMEOUT(stepped.count() >= 1 || !failed.isEmpty(), kRunTimeoutMs);
        QVERIFY(failed.isEmpty());

        controller.pause();
        QVERIFY(controller.isPaused());
        QTRY_VERIFY_WITH_TIMEOUT(paused.count() >= 1, kRunTimeoutMs);
        QCOMPARE(paused.at(0).at(0).toBool(), true);
        // Steps before the pause arrived before paused(true); none come while it waits.
        const int stepsAtPause = int(stepped.count());
        const auto atPause = stepped.last().at(0).value<gps::ui::StepBatch>().back();
        QTest::qWait(500);
        QCOMPARE(int(stepped.count()), stepsAtPause);
        QVERIFY(finished.isEmpty());

        controller.resume();
        QVERIFY(!controller.isPaused());
        QTRY_VERIFY_WITH_TIMEOUT(paused.count() >= 2, kRunTimeoutMs);
        QCOMPARE(paused.at(1).at(0).toBool(), false);
        QTRY_VERIFY_WITH_TIMEOUT(stepped.count() > stepsAtPause, kRunTimeoutMs);
        QVERIFY(stepped.last().at(0).value<gps::ui::StepBatch>().back().step > atPause.step);

        // Stop while paused wakes the run.
        controller.pause();
        QTRY_VERIFY_WITH_TIMEOUT(paused.count() >= 3, kRunTimeoutMs);
        controller.stop();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kRunTimeoutMs);
        QVERIFY(failed.isEmpty());
        QVERIFY(finished.at(0).at(0).value<RunSummary>().stopped);
    }

    void invalidProjectReportsFailed() {
        TrainingController controller;
        QSignalSpy finished(&controller, &TrainingController::finished);
        QSignalSpy failed(&controller, &TrainingController::failed);
        auto project = tinyProject(m_dataset, 1);
        project.dataset.path =
            (std::filesystem::path(m_dir.path().toStdString()) / "no-such-data").string();
        QVERIFY(controller.start(project, optionsIn(m_dir, "invalid")));
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() + finished.count() == 1, kRunTimeoutMs);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("no-such-data")), qPrintable(message));
        QVERIFY(!controller.isRunning());
        // The thread is still there for the next run.
        QVERIFY(controller.trainingThread()->isRunning());
    }

    void destroyingTheControllerMidRunJoins() {
        const auto options = optionsIn(m_dir, "destroyed");
        {
            TrainingController controller;
            QSignalSpy stepped(&controller, &TrainingController::stepped);
            QVERIFY(controller.start(tinyProject(m_dataset, 200), options));
            QTRY_VERIFY_WITH_TIMEOUT(stepped.count() >= 1, kRunTimeoutMs);
            controller.pause(); // a paused run must be woken by the destructor too
            QTest::qWait(50);
        } // ~TrainingController stops, wakes and joins
        // The session ran to its clean end on the way out: its metrics are on disk.
        QVERIFY(std::filesystem::exists(options.runDir / "metrics.jsonl"));
    }
};

QTEST_MAIN(TestTrainingWorker)
#include "tst_training_worker.moc"
