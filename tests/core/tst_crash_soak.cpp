// Crash soak: a small training run killed with SIGKILL at random moments, again and again, and
// started or resumed each time as a user would (`train --run-dir`, then `train --resume` once a
// checkpoint exists). Its end must equal an uninterrupted run's: the same final embeddings, and
// metrics.jsonl with every step, every epoch and the prior baseline exactly once.
#include "common/npy.h"
#include "project/metrics_log.h"
#include "project_fixtures.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>

using namespace Qt::StringLiterals;
namespace fs = std::filesystem;

namespace {

constexpr int kEpochs = 6;
constexpr int kStepsPerEpoch = 4; // 64 images, batch 16
constexpr int kKills = 5;

QStringList trainArguments(const fs::path& project, const fs::path& runDir) {
    if (fs::exists(runDir / "checkpoint.pt"))
        return {u"--threads"_s, u"2"_s, u"train"_s, u"--resume"_s,
                QString::fromStdString(runDir.string())};
    return {u"--threads"_s, u"2"_s,
            u"train"_s,     QString::fromStdString(project.string()),
            u"--run-dir"_s, QString::fromStdString(runDir.string())};
}

/// Runs training in `runDir` to the end; returns stderr of the last attempt on failure.
QByteArray runToTheEnd(const fs::path& project, const fs::path& runDir) {
    QProcess process;
    process.start(qEnvironmentVariable("GPS_CLI"), trainArguments(project, runDir));
    process.waitForFinished(240000);
    return process.exitCode() == 0 ? QByteArray() : process.readAllStandardError();
}

} // namespace

class TestCrashSoak : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedAndResumedEqualsUninterrupted() {
        QVERIFY2(!qEnvironmentVariable("GPS_CLI").isEmpty(), "run through CTest (GPS_CLI unset)");
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        qputenv("XDG_CACHE_HOME", (root / "cache").string().c_str());
        gps::test::writeTinyIdxDataset(root / "tiny");
        auto document = gps::test::tinyProjectDocument(root / "tiny", kEpochs);
        document["train"]["checkpoint_every"] = 1;
        const fs::path project = root / "soak.json";
        std::ofstream(project) << document.dump(2);

        const fs::path reference = root / "reference";
        const QByteArray failed = runToTheEnd(project, reference);
        QVERIFY2(failed.isEmpty(), failed.constData());

        const fs::path soaked = root / "soaked";
        QRandomGenerator random(20261203); // fixed: a failure can be replayed
        int kills = 0;
        for (int attempt = 0; attempt < 3 * kKills && kills < kKills; ++attempt) {
            QProcess process;
            process.start(qEnvironmentVariable("GPS_CLI"), trainArguments(project, soaked));
            QVERIFY(process.waitForStarted());
            const int delayMs = 100 + int(random.bounded(1900));
            if (process.waitForFinished(delayMs)) {
                // It ended first; a resume of a finished run is refused, so stop here.
                QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
                break;
            }
            ::kill(pid_t(process.processId()), SIGKILL);
            QVERIFY(process.waitForFinished(10000));
            ++kills;
        }
        qInfo("killed %d times", kills);
        if (!fs::exists(soaked / "summary.json")) {
            const QByteArray last = runToTheEnd(project, soaked);
            QVERIFY2(last.isEmpty(), last.constData());
        }

        const auto expected = gps::readNpy(reference / "train_embeddings.npy");
        const auto got = gps::readNpy(soaked / "train_embeddings.npy");
        QVERIFY(expected.ok() && got.ok());
        QCOMPARE(got->shape, expected->shape);
        QVERIFY2(got->bytes == expected->bytes, "the resumed run's embeddings differ");

        const auto metrics = gps::project::readMetrics(soaked / "metrics.jsonl");
        QVERIFY2(metrics.ok(), metrics.ok() ? "" : metrics.error().message.c_str());
        std::map<std::int64_t, int> steps, epochs;
        int baselines = 0;
        for (const auto& line : metrics->lines) {
            if (line.contains("loss"))
                ++steps[line["step"].get<std::int64_t>()];
            if (line.contains("epoch_loss"))
                ++epochs[line["epoch"].get<std::int64_t>()];
            if (line.contains("prior_linear_probe_acc") || line.contains("prior_knn_acc"))
                ++baselines;
        }
        QCOMPARE(int(steps.size()), kEpochs * kStepsPerEpoch);
        for (const auto& [step, count] : steps)
            QVERIFY2(count == 1, qPrintable(u"step %1 logged %2 times"_s.arg(step).arg(count)));
        QCOMPARE(steps.begin()->first, std::int64_t(1));
        QCOMPARE(int(epochs.size()), kEpochs);
        for (const auto& [epoch, count] : epochs)
            QVERIFY2(count == 1, qPrintable(u"epoch %1 logged %2 times"_s.arg(epoch).arg(count)));
        QCOMPARE(baselines, 1);
    }
};

QTEST_GUILESS_MAIN(TestCrashSoak)
#include "tst_crash_soak.moc"
