// The runs table's core: a run named from what it is (describeRun, runFolderName), run.json
// (the user's name and note), each run state read from the lock and the summary, and the best
// accuracies from the summary or, without them, from metrics.jsonl.

#include "project/project.h"
#include "project/run_claim.h"
#include "project/run_dir.h"
#include "project/run_list.h"
#include "project/run_meta.h"
#include "project/run_name.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

namespace fs = std::filesystem;
using gps::project::Project;
using gps::project::RunState;
using gps::train::PositiveSource;
using nlohmann::json;

namespace {

void writeText(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

Project project(PositiveSource source, const char* preset, std::uint64_t seed) {
    Project p;
    p.method.name = "simclr";
    p.positives.source = source;
    p.prior.spec = "pixels";
    p.augmentPreset = preset;
    p.train.seed = seed;
    return p;
}

const char* kMetrics = "{\"epoch\":0,\"step\":1,\"loss\":3,\"images_per_second\":100}\n"
                       "{\"epoch\":1,\"step\":1,\"linear_probe_acc\":0.5,\"knn_acc\":0.4}\n"
                       "{\"epoch\":1,\"step\":1,\"epoch_loss\":3,\"images_per_second\":120}\n"
                       "{\"epoch\":1,\"step\":2,\"loss\":2,\"images_per_second\":130}\n"
                       "{\"epoch\":2,\"step\":2,\"linear_probe_acc\":0.7,\"knn_acc\":0.3}\n"
                       "{\"epoch\":2,\"step\":2,\"epoch_loss\":2}\n";

} // namespace

class TestRunList : public QObject {
    Q_OBJECT

    static void checkStates(const fs::path& root) {
        const auto list = gps::project::listRuns(root);
        QCOMPARE(list.size(), std::size_t(6));
        std::map<std::string, gps::project::RunInfo> byName;
        for (const auto& info : list)
            byName[info.name.substr(0, info.name.find('-'))] = info;
        QVERIFY(byName["finished"].state == RunState::Finished);
        QVERIFY(byName["legacy"].state == RunState::Finished);
        QVERIFY(byName["stopped"].state == RunState::Stopped);
        QVERIFY(byName["failed"].state == RunState::Failed);
        QCOMPARE(byName["failed"].error, std::string("loss became NaN"));
        QVERIFY(byName["crashed"].state == RunState::Crashed);
        QVERIFY(byName["running"].state == RunState::Running);
        QCOMPARE(std::string(gps::project::runStateName(byName["crashed"].state)),
                 std::string("crashed"));
    }

private Q_SLOTS:
    void describesARun_data() {
        QTest::addColumn<int>("source");
        QTest::addColumn<QString>("tau");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("expected");
        QTest::newRow("gps k") << int(PositiveSource::Gps) << ""
                               << "weak"
                               << "gps-simclr · pixels k=5 · weak · seed 0";
        QTest::newRow("gps tau") << int(PositiveSource::Gps) << "0.83"
                                 << "weak"
                                 << "gps-simclr · pixels tau=0.83 · weak · seed 0";
        QTest::newRow("gps auto") << int(PositiveSource::Gps) << "auto"
                                  << "crop_flip"
                                  << "gps-simclr · pixels tau=auto · crop_flip · seed 0";
        QTest::newRow("augment") << int(PositiveSource::Augment) << ""
                                 << "strong"
                                 << "simclr · augment · strong · seed 0";
        QTest::newRow("custom") << int(PositiveSource::Semantic) << ""
                                << ""
                                << "gps-simclr · semantic pixels k=5 · custom · seed 0";
    }
    void describesARun() {
        QFETCH(int, source);
        QFETCH(QString, tau);
        QFETCH(QString, preset);
        QFETCH(QString, expected);
        Project p = project(PositiveSource(source), qPrintable(preset), 0);
        p.neighbors.k = 5;
        if (tau == QLatin1String("auto"))
            p.neighbors.tauAuto = true;
        else if (!tau.isEmpty())
            p.neighbors.tau = tau.toFloat();
        QCOMPARE(QString::fromStdString(gps::project::describeRun(p)), expected);
    }

    void namesRunFoldersFromTheDescription() {
        Project p = project(PositiveSource::Augment, "strong", 1);
        QCOMPARE(gps::project::runFolderName(p), std::string("simclr-augment-strong-seed-1"));
        p.name = "untitled";
        QCOMPARE(gps::project::runFolderName(p), std::string("simclr-augment-strong-seed-1"));
        p.name = "fmnist sweep";
        QCOMPARE(gps::project::runFolderName(p), std::string("fmnist sweep"));
        p = project(PositiveSource::Gps, "weak", 0);
        p.neighbors.tau = 0.83f;
        QCOMPARE(gps::project::runFolderName(p),
                 std::string("gps-simclr-pixels-tau-0.83-weak-seed-0"));

        // A new folder under the project, with the time after the name.
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        auto claimed = gps::project::claimNewRunDir(root, gps::project::runFolderName(p));
        QVERIFY(claimed.ok());
        QVERIFY(claimed->dir.path.filename().string().rfind(
                    "gps-simclr-pixels-tau-0.83-weak-seed-0-", 0) == 0);
    }

    void runMetaRoundTrip() {
        QTemporaryDir dir;
        const fs::path run = dir.path().toStdString();
        auto none = gps::project::readRunMeta(run);
        QVERIFY(none.ok() && none->name.empty() && none->note.empty());
        const gps::project::RunMeta meta{"baseline τ", "first line\nsecond line"};
        QVERIFY(gps::project::writeRunMeta(run, meta).ok());
        auto read = gps::project::readRunMeta(run);
        QVERIFY(read.ok());
        QVERIFY(*read == meta);

        writeText(run / "run.json", "{ \"name\": ");
        auto bad = gps::project::readRunMeta(run);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("run.json") != std::string::npos);
        writeText(run / "run.json", "{ \"name\": 3 }");
        QVERIFY(!gps::project::readRunMeta(run).ok());
    }

    void statesOfRuns() {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const fs::path runs = gps::project::runsFolder(root);
        auto make = [&](const std::string& name, const char* summary) {
            const fs::path folder = runs / name;
            writeText(folder / "metrics.jsonl", kMetrics);
            if (summary)
                writeText(folder / "summary.json", summary);
            return folder;
        };
        make("finished-20240101-000001", R"({"state":"finished","stopped":false})");
        make("legacy-20240101-000002", R"({"stopped":false,"epochs":2})");
        make("stopped-20240101-000003", R"({"stopped":true})");
        make("failed-20240101-000004", R"({"state":"failed","error":"loss became NaN"})");
        make("crashed-20240101-000005", nullptr);
        const fs::path running = make("running-20240101-000006", nullptr);
        {
            auto lock = gps::project::RunLock::acquire(running);
            QVERIFY(lock.ok());
            checkStates(root);
        }
        // Its process gone, a run without a summary crashed.
        QVERIFY(gps::project::readRunInfo(running).state == RunState::Crashed);
    }

    void bestAccuracies() {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const fs::path older = root / "older";
        writeText(older / "metrics.jsonl", kMetrics);
        writeText(older / "summary.json", R"({"stopped":false,"epochs":2,"linear_probe_acc":0.7})");
        auto info = gps::project::readRunInfo(older);
        QCOMPARE(info.bestLinearProbe, std::optional<double>(0.7));
        QCOMPARE(info.bestKnn, std::optional<double>(0.4)); // the first point, not the last
        QCOMPARE(info.epochsDone, 2);

        const fs::path crashed = root / "crashed";
        writeText(crashed / "metrics.jsonl", std::string(kMetrics) + "{\"epoch\":2,\"st");
        info = gps::project::readRunInfo(crashed);
        QCOMPARE(info.bestLinearProbe, std::optional<double>(0.7));
        QCOMPARE(info.epochsDone, 2);
        QCOMPARE(info.imagesPerSecond, std::optional<double>(130));

        const fs::path recorded = root / "recorded";
        writeText(recorded / "summary.json",
                  R"({"state":"finished","epochs":9,"best_linear_probe_acc":0.9,)"
                  R"("best_knn_acc":null,"images_per_second":55,"device":"cpu"})");
        info = gps::project::readRunInfo(recorded); // no metrics file needed
        QCOMPARE(info.bestLinearProbe, std::optional<double>(0.9));
        QVERIFY(!info.bestKnn);
        QCOMPARE(info.epochsDone, 9);
        QCOMPARE(info.device, std::string("cpu"));
        QVERIFY(info.warnings.empty());
    }

    void aBadRunJsonIsReportedAndTheRunListed() {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const fs::path run = gps::project::runsFolder(root) / "p-20240101-000000";
        writeText(run / "metrics.jsonl", kMetrics);
        writeText(run / "run.json", "not json");
        const auto list = gps::project::listRuns(root);
        QCOMPARE(list.size(), std::size_t(1));
        QCOMPARE(list[0].warnings.size(), std::size_t(1));
        QVERIFY(list[0].warnings[0].find("run.json") != std::string::npos);
        QVERIFY(list[0].meta.name.empty());
    }
};

QTEST_APPLESS_MAIN(TestRunList)
#include "tst_run_list.moc"
