// `gps-studio-cli train` and `eval` as a user meets them: the real executable (path from
// $GPS_CLI, set by CTest) on a tiny IDX dataset, checking the JSON summary's keys, --set and
// --sweep, the exit code and one-line message for a bad key, and that eval repeats the numbers.
#include "cli_runner.h"
#include "project_fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace Qt::StringLiterals;
namespace fs = std::filesystem;

using gps::test::CliRun;
using gps::test::runCli;

class TestCliTrain : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_project;

    QString path(const char* name) const { return m_dir.filePath(QString::fromUtf8(name)); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(!qEnvironmentVariable("GPS_CLI").isEmpty(), "run through CTest (GPS_CLI unset)");
        const fs::path root = m_dir.path().toStdString();
        gps::test::writeTinyIdxDataset(root / "tiny");
        m_project = path("tiny.json");
        std::ofstream(m_project.toStdString())
            << gps::test::tinyProjectDocument(root / "tiny", 3).dump(2);
        qputenv("XDG_CACHE_HOME", m_dir.filePath(u"cache"_s).toUtf8());
    }

    void trainPrintsTheDocumentedSummary() {
        const CliRun run =
            runCli({u"train"_s, m_project, u"--set"_s, u"train.epochs=1"_s, u"--set"_s,
                    u"positives.source=gps"_s, u"--run-dir"_s, path("run-one"), u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject summary = run.json();
        for (const char* key :
             {"run_dir", "epochs", "final_loss", "online_probe_acc", "linear_probe_acc", "knn_acc",
              "prior_linear_probe_acc", "prior_knn_acc", "images_per_second", "device"})
            QVERIFY2(summary.contains(QString::fromUtf8(key)), key);
        QCOMPARE(summary[u"epochs"_s].toInt(), 1); // --set won over the file's 3
        QCOMPARE(summary[u"run_dir"_s].toString(), path("run-one"));
        QVERIFY(summary[u"device"_s].toString().startsWith(u"cpu"_s));
        QVERIFY(run.err.contains("epoch 1")); // progress goes to stderr
        QVERIFY(fs::exists(path("run-one/backbone.pt").toStdString()));

        // eval re-embeds with the exported backbone and repeats the recorded accuracies.
        const CliRun eval = runCli({u"eval"_s, path("run-one"), u"--json"_s});
        QVERIFY2(eval.exitCode == 0, eval.err.constData());
        const QJsonObject again = eval.json();
        QCOMPARE(again[u"train_rows"_s].toInt(), 64);
        QCOMPARE(again[u"linear_probe_acc"_s].toDouble(),
                 summary[u"linear_probe_acc"_s].toDouble());
        QCOMPARE(again[u"knn_acc"_s].toDouble(), summary[u"knn_acc"_s].toDouble());
    }

    void sweepRunsOncePerValue() {
        const CliRun run = runCli({u"train"_s, m_project, u"--set"_s, u"train.epochs=1"_s,
                                   u"--set"_s, u"positives.source=gps"_s, u"--sweep"_s, u"k=1,3"_s,
                                   u"--run-dir"_s, path("sweep"), u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray runs = run.document().array();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs[0].toObject()[u"sweep"_s].toString(), u"neighbors.k=1"_s);
        QCOMPARE(runs[1].toObject()[u"sweep"_s].toString(), u"neighbors.k=3"_s);
        QVERIFY(fs::exists(path("sweep/k=1/summary.json").toStdString()));
        QVERIFY(fs::exists(path("sweep/k=3/summary.json").toStdString()));
    }

    void badInputExitsTwoWithTheKey_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key") << QStringList{u"--set"_s, u"train.lrr=1"_s} << u"train.lrr"_s;
        QTest::newRow("bad value") << QStringList{u"--set"_s, u"train.lr=-1"_s} << u"train.lr"_s;
        QTest::newRow("no equals") << QStringList{u"--set"_s, u"train.lr"_s} << u"--set"_s;
        QTest::newRow("bad sweep") << QStringList{u"--sweep"_s, u"tau"_s} << u"--sweep"_s;
        QTest::newRow("bad sweep value")
            << QStringList{u"--sweep"_s, u"k=1,0"_s} << u"neighbors.k"_s;
    }
    void badInputExitsTwoWithTheKey() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliRun run = runCli(QStringList{u"train"_s, m_project} + arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1); // one line
    }

    void missingProjectFileIsNamed() {
        const CliRun run = runCli({u"train"_s, path("nope.json")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("nope.json"), run.err.constData());
    }
};

QTEST_APPLESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
