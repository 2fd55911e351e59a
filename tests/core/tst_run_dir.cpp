// Run folders: unique names, metrics.jsonl written line by line and read back (a cut-short last
// line tolerated, a bad middle line named), the runs list, and backbone.json as the run: prior
// reads it.
#include "common/check.h"
#include "common/npy.h"
#include "priors/run_backbone.h"
#include "project/metrics_log.h"
#include "project/project.h"
#include "project/run_claim.h"
#include "project/run_dir.h"
#include "project/run_list.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <ctime>
#include <fstream>
#include <iterator>

#include <sys/types.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using gps::project::RunDir;
using nlohmann::json;
using std::chrono::system_clock;

namespace {

QString u8(const char* text) {
    return QString::fromUtf8(text);
}

void writeText(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

std::string stamp(system_clock::time_point time) {
    const std::time_t seconds = system_clock::to_time_t(time);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
    return text;
}

// A fixed, whole-second start time, so folder names are predictable.
system_clock::time_point fixedTime() {
    return system_clock::from_time_t(1'700'000'000);
}

} // namespace

class TestRunDir : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void folderStems_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("stem");
        QTest::newRow("plain") << u8("fmnist-gps_simclr.v2") << u8("fmnist-gps_simclr.v2");
        QTest::newRow("spaces and slashes") << u8("my run/x") << u8("my-run-x");
        QTest::newRow("empty") << u8("") << u8("run");
        QTest::newRow("dots") << u8("..") << u8("run");
        QTest::newRow("non-ascii") << u8("τ") << u8("--");
    }
    void folderStems() {
        QFETCH(QString, name);
        QFETCH(QString, stem);
        QCOMPARE(QString::fromStdString(gps::project::runFolderStem(name.toStdString())), stem);
    }

    void runFoldersAreUnique() {
        QTemporaryDir dir;
        const fs::path project = dir.path().toStdString();
        const std::string base = "my-run-" + stamp(fixedTime());
        std::vector<std::string> names;
        for (int i = 0; i < 3; ++i) {
            const auto run = gps::project::createRunDir(project, "my run", fixedTime());
            QVERIFY2(run.ok(), run.ok() ? "" : run.error().message.c_str());
            QVERIFY(fs::is_directory(run->path));
            QCOMPARE(run->path.parent_path(), project / "runs");
            names.push_back(run->path.filename().string());
        }
        QCOMPARE(names, (std::vector<std::string>{base, base + "-2", base + "-3"}));
        // A later second gets its own name again.
        const auto later = gps::project::createRunDir(project, "my run", fixedTime() + 1s);
        QVERIFY(later.ok());
        QCOMPARE(later->path.filename().string(), "my-run-" + stamp(fixedTime() + 1s));
    }

    void explicitRunFolder() {
        QTemporaryDir dir;
        const fs::path target = fs::path(dir.path().toStdString()) / "a" / "b";
        gps::project::RunDir run;
        {
            auto claimed = gps::project::claimRunDirAt(target);
            QVERIFY2(claimed.ok(), claimed.ok() ? "" : claimed.error().message.c_str());
            QVERIFY(fs::is_directory(target));
            run = claimed->dir;
        } // the claim's lock is released here
        // An empty existing folder is fine; one holding a checkpoint is not.
        QVERIFY(gps::project::claimRunDirAt(target).ok());
        writeText(run.checkpointFile(), "x");
        const auto again = gps::project::claimRunDirAt(target);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, gps::ErrorCode::InvalidInput);
        QCOMPARE(again.error().message,
                 target.string() + ": already holds a run (resume it, or choose another folder)");
        fs::remove(run.checkpointFile());

        const auto notRun = gps::project::openRunDir(target);
        QVERIFY(!notRun.ok());
        QCOMPARE(notRun.error().code, gps::ErrorCode::NotFound);
        gps::project::Project project;
        QVERIFY(gps::project::writeProjectSnapshot(run, project).ok());
        QVERIFY(gps::project::openRunDir(target).ok());
        const auto snapshot = gps::project::loadProject(run.projectFile());
        QVERIFY2(snapshot.ok(), snapshot.ok() ? "" : snapshot.error().message.c_str());
        QCOMPARE(snapshot->train.epochs, project.train.epochs);
    }

    void metricsAppendAndRead() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "metrics.jsonl";
        const std::vector<json> lines{{{"epoch", 0}, {"step", 10}, {"loss", 5.5}, {"lr", 0.01}},
                                      {{"epoch", 0}, {"step", 20}, {"loss", 5.25}},
                                      {{"epoch", 1}, {"step", 30}, {"knn_acc", 0.7}}};
        {
            auto writer = gps::project::MetricsWriter::open(file);
            QVERIFY2(writer.ok(), writer.ok() ? "" : writer.error().message.c_str());
            for (std::size_t i = 0; i < lines.size(); ++i) {
                QVERIFY(writer->append(lines[i]).ok());
                // Each line is on disk as soon as append returns (the writer is still open).
                const auto read = gps::project::readMetrics(file);
                QVERIFY(read.ok());
                QCOMPARE(read->lines.size(), i + 1);
                QCOMPARE(read->lines.back(), lines[i]);
            }
        }
        // Reopening appends (resume).
        auto writer = gps::project::MetricsWriter::open(file);
        QVERIFY(writer.ok());
        QVERIFY(writer->append({{"epoch", 2}, {"step", 40}}).ok());
        const auto read = gps::project::readMetrics(file);
        QVERIFY(read.ok());
        QCOMPARE(read->lines.size(), std::size_t(4));
        QCOMPARE(read->lines[2], lines[2]);
        QCOMPARE(read->lines[3]["step"], json(40));
        QVERIFY(read->warnings.empty());
    }

    void cutShortLastLineIsTolerated() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "metrics.jsonl";
        writeText(file, "{\"step\": 1}\n\n{\"step\": 2}\n{\"step\": 3, \"lo");
        const auto read = gps::project::readMetrics(file);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().message.c_str());
        QCOMPARE(read->lines.size(), std::size_t(2));
        QCOMPARE(read->warnings.size(), std::size_t(1));
        QVERIFY2(read->warnings[0].find(file.string() + ": line 4 is cut short") == 0,
                 read->warnings[0].c_str());
        // Resuming drops the partial line, so the next line starts clean.
        auto writer = gps::project::MetricsWriter::open(file);
        QVERIFY(writer.ok());
        QVERIFY(writer->append({{"step", 3}}).ok());
        const auto resumed = gps::project::readMetrics(file);
        QVERIFY(resumed.ok());
        QCOMPARE(resumed->lines.size(), std::size_t(3));
        QCOMPARE(resumed->lines[2], json({{"step", 3}}));
        QVERIFY(resumed->warnings.empty());
    }

    void badLinesAreNamed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad middle line")
            << u8("{\"step\": 1}\n{\"step\":\n{\"step\": 3}\n") << u8("line 2: invalid JSON: ");
        QTest::newRow("bad last complete line")
            << u8("{\"step\": 1}\n{\"step\":\n") << u8("line 2: invalid JSON: ");
        QTest::newRow("not an object")
            << u8("\n[1]\n") << u8("line 2: must be a JSON object, got [1]");
        // Before the checks these escaped as exceptions (out_of_range) or overflowed the stack.
        QTest::newRow("number out of range")
            << u8("{\"step\": 1, \"loss\": 1e99999}\n") << u8("line 1: loss: the number");
        QTest::newRow("nested too deep")
            << QString::fromStdString("{\"a\": " + std::string(100000, '[') + "\n")
            << u8("line 1: a");
    }
    void badLinesAreNamed() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "metrics.jsonl";
        writeText(file, text.toStdString());
        const auto read = gps::project::readMetrics(file);
        QVERIFY(!read.ok());
        QCOMPARE(read.error().code, gps::ErrorCode::InvalidInput);
        const std::string expected = file.string() + ": " + message.toStdString();
        QVERIFY2(read.error().message.rfind(expected, 0) == 0, read.error().message.c_str());
    }

    void missingMetricsFile() {
        const auto read = gps::project::readMetrics("/no/such/metrics.jsonl");
        QVERIFY(!read.ok());
        QCOMPARE(read.error().code, gps::ErrorCode::NotFound);
    }

    void aClaimedFolderRefusesASecondRun() {
        QTemporaryDir dir;
        const fs::path target = dir.path().toStdString();
        writeText(gps::project::RunDir{target}.checkpointFile(), "x"); // something to resume
        writeText(gps::project::RunDir{target}.projectFile(), "{}");
        {
            auto first = gps::project::claimRunDirForResume(target);
            QVERIFY(first.ok());
            QVERIFY(gps::project::runLockHolder(target).has_value());
            for (const auto& second : {gps::project::claimRunDirAt(target),
                                       gps::project::claimRunDirForResume(target)}) {
                QVERIFY(!second.ok());
                QCOMPARE(second.error().code, gps::ErrorCode::InvalidInput);
                const std::string expected = target.string() +
                                             ": another run is using this folder (pid " +
                                             std::to_string(::getpid()) + " on ";
                QVERIFY2(second.error().message.rfind(expected, 0) == 0,
                         second.error().message.c_str());
            }
        }
        QVERIFY(!gps::project::runLockHolder(target).has_value());
        QVERIFY(gps::project::claimRunDirForResume(target).ok());
    }

    void aKilledRunReleasesItsLock() {
        // A process holding the folder's lock, killed with SIGKILL: the kernel drops the lock.
        QTemporaryDir dir;
        const fs::path target = dir.path().toStdString();
        QProcess holder;
        holder.start(QStringLiteral("sh"),
                     {QStringLiteral("-c"),
                      QStringLiteral("exec 9>\"$0/.lock\" && flock -x 9 && echo locked && "
                                     "exec sleep 60"),
                      dir.path()});
        QVERIFY(holder.waitForReadyRead(10000));
        QCOMPARE(holder.readAll().trimmed(), QByteArray("locked"));
        QVERIFY(gps::project::runLockHolder(target).has_value());
        QVERIFY(!gps::project::claimRunDirAt(target).ok());
        ::kill(pid_t(holder.processId()), SIGKILL);
        QVERIFY(holder.waitForFinished(10000));
        QVERIFY(!gps::project::runLockHolder(target).has_value());
        QVERIFY(gps::project::claimRunDirAt(target).ok());
    }

    void aRunThatNeverCheckpointedCanStartAgain() {
        QTemporaryDir dir;
        const fs::path target = dir.path().toStdString();
        const gps::project::RunDir run{target};
        writeText(run.projectFile(), "{}");
        writeText(run.metricsFile(), "{\"epoch\":0,\"step\":0}\n");
        writeText(run.logFile(), "started\n");
        const auto resumed = gps::project::claimRunDirForResume(target);
        QVERIFY(!resumed.ok());
        QCOMPARE(resumed.error().code, gps::ErrorCode::InvalidInput);
        QVERIFY2(resumed.error().message.find("stopped before its first checkpoint") !=
                     std::string::npos,
                 resumed.error().message.c_str());
        const auto claimed = gps::project::claimRunDirAt(target);
        QVERIFY2(claimed.ok(), claimed.ok() ? "" : claimed.error().message.c_str());
        QCOMPARE(claimed->messages.size(), std::size_t(1));
        QVERIFY(!fs::exists(run.projectFile()) && !fs::exists(run.metricsFile()) &&
                !fs::exists(run.logFile()));
    }

    void resumeCutsMetricsBackToTheCheckpoint() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "metrics.jsonl";
        writeText(file, "{\"epoch\":0,\"step\":0,\"prior_knn_acc\":0.5}\n"
                        "{\"epoch\":0,\"step\":1,\"loss\":3}\n"
                        "not json at all\n"
                        "{\"epoch\":0,\"step\":2,\"loss\":2}\n"
                        "{\"epoch\":1,\"step\":2,\"epoch_loss\":2.5}\n"
                        "{\"epoch\":1,\"step\":3,\"loss\":1}\n"
                        "{\"epoch\":1,\"step\":4,\"lo");
        {
            auto writer = gps::project::MetricsWriter::open(file, std::int64_t(2));
            QVERIFY2(writer.ok(), writer.ok() ? "" : writer.error().message.c_str());
            QVERIFY(writer->append({{"epoch", 1}, {"step", 3}, {"loss", 1.5}}).ok());
        }
        std::ifstream in(file);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        QCOMPARE(text, std::string("{\"epoch\":0,\"step\":0,\"prior_knn_acc\":0.5}\n"
                                   "{\"epoch\":0,\"step\":1,\"loss\":3}\n"
                                   "not json at all\n"
                                   "{\"epoch\":0,\"step\":2,\"loss\":2}\n"
                                   "{\"epoch\":1,\"step\":2,\"epoch_loss\":2.5}\n"
                                   "{\"epoch\":1,\"loss\":1.5,\"step\":3}\n"));
    }

    void listRunsNewestFirst() {
        QTemporaryDir dir;
        const fs::path project = dir.path().toStdString();
        QVERIFY(gps::project::listRuns(project).empty()); // no runs folder yet
        const system_clock::time_point t0 = fixedTime();
        auto make = [&](system_clock::time_point start) {
            auto run = gps::project::createRunDir(project, "p", start);
            GPS_CHECK(run.ok(), "createRunDir");
            writeText(run->projectFile(), "{\"version\": 1}");
            return *run;
        };
        const RunDir oldest = make(t0);
        const RunDir finished = make(t0 + 1h);
        const RunDir stopped = make(t0 + 2h);
        const RunDir broken = make(t0 + 2h); // same second: "-2"
        fs::create_directory(project / "runs" / "not-a-run");
        QVERIFY(gps::project::writeSummary(finished, {{"epochs", 3}, {"stopped", false}}).ok());
        QVERIFY(gps::project::writeSummary(stopped, {{"epochs", 1}, {"stopped", true}}).ok());
        writeText(broken.summaryFile(), "{ not json");

        const auto runs = gps::project::listRuns(project);
        QCOMPARE(runs.size(), std::size_t(4));
        QCOMPARE(runs[0].dir.path, broken.path);
        QCOMPARE(runs[1].dir.path, stopped.path);
        QCOMPARE(runs[2].dir.path, finished.path);
        QCOMPARE(runs[3].dir.path, oldest.path);
        QCOMPARE(runs[0].sequence, 2);
        QVERIFY(runs[3].start == t0);
        QVERIFY(runs[1].start == t0 + 2h);
        QVERIFY(!runs[0].summary && runs[0].state == gps::project::RunState::Crashed &&
                runs[0].warnings.size() == 1);
        QVERIFY(runs[1].state == gps::project::RunState::Stopped && runs[1].summary);
        QVERIFY(runs[2].state == gps::project::RunState::Finished);
        QCOMPARE((*runs[2].summary)["epochs"], json(3));
        QVERIFY(!runs[3].summary && runs[3].state == gps::project::RunState::Crashed &&
                runs[3].warnings.empty() && runs[3].project);
        QCOMPARE(runs[2].name, finished.path.filename().string());
    }

    void summaryFile() {
        QTemporaryDir dir;
        const RunDir run{fs::path(dir.path().toStdString())};
        const auto none = gps::project::readSummary(run.path);
        QVERIFY(!none.ok());
        QCOMPARE(none.error().code, gps::ErrorCode::NotFound);
        const json summary = {{"final_loss", 1.25}, {"device", "cpu (2 threads)"}};
        QVERIFY(gps::project::writeSummary(run, summary).ok());
        const auto read = gps::project::readSummary(run.path);
        QVERIFY(read.ok());
        QCOMPARE(*read, summary);
        writeText(run.summaryFile(), "[1]");
        QCOMPARE(gps::project::readSummary(run.path).error().code, gps::ErrorCode::InvalidInput);
    }

    void backboneSettingsAreWhatTheRunPriorReads() {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        const RunDir run{folder};
        writeText(run.backboneFile(), "not read here");
        const std::vector<float> mean{0.4914f, 0.4822f, 0.4465f}, std{0.247f, 0.243f, 0.261f};
        QVERIFY(gps::project::writeBackboneSettings(folder, 32, 3, mean, std).ok());
        QCOMPARE(run.backboneSettingsFile(), gps::priors::runBackboneSettingsFile(folder));
        QCOMPARE(run.backboneFile(), gps::priors::runBackboneFile(folder));
        gps::priors::PriorOptions base;
        base.batchSize = 17;
        const auto options =
            gps::priors::runBackboneOptions(folder, base, "run:" + folder.string());
        QVERIFY2(options.ok(), options.ok() ? "" : options.error().message.c_str());
        QCOMPARE(options->inputSize, 32);
        QCOMPARE(options->inputChannels, 3);
        QCOMPARE(options->mean, mean);
        QCOMPARE(options->std, std);
        QCOMPARE(options->batchSize, 17);
    }

    void embeddingsRoundTrip() {
        QTemporaryDir dir;
        const RunDir run{fs::path(dir.path().toStdString())};
        gps::priors::Embedding embedding{3, 2, {1.5f, -2, 0.25f, 4, 5, 6}};
        QVERIFY(gps::project::writeEmbeddings(run.trainEmbeddingsFile(), embedding).ok());
        const auto read = gps::project::readEmbeddings(run.trainEmbeddingsFile());
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().message.c_str());
        QCOMPARE(read->rows, std::int64_t(3));
        QCOMPARE(read->dim, std::int64_t(2));
        QCOMPARE(read->values, embedding.values);
        const std::int32_t ints[4] = {1, 2, 3, 4};
        QVERIFY(gps::writeNpy(run.testEmbeddingsFile(), "<i4", {4}, ints).ok());
        const auto wrong = gps::project::readEmbeddings(run.testEmbeddingsFile());
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code, gps::ErrorCode::InvalidInput);
    }
};

QTEST_APPLESS_MAIN(TestRunDir)
#include "tst_run_dir.moc"
