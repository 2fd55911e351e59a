// gps-studio-cli under hostile input, as a user who tries to break it: absurd thread counts,
// outputs that are pipes, folders or links, paths that are not UTF-8, documents nested tens of
// thousands of levels deep, duplicate keys, numbers out of range, and a second run into a folder
// that a live run holds. Each is refused with exit 2 and one line, and nothing is lost.
#include "cli_runner.h"
#include "fixtures_binary.h"
#include "project/run_claim.h"
#include "project_fixtures.h"
#include "test_data.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace Qt::StringLiterals;
namespace fs = std::filesystem;

using gps::test::CliRun;
using gps::test::runCliAsGiven;
using gps::test::runProgram;

namespace {

void verifyRefused(const CliRun& run, const QString& expected) {
    const QString err = QString::fromUtf8(run.err).trimmed();
    QVERIFY2(run.exitCode == 2, qPrintable(u"exit %1: %2"_s.arg(run.exitCode).arg(err)));
    QVERIFY2(err.contains(expected), qPrintable(err));
    QCOMPARE(err.count(QLatin1Char('\n')), 0);
}

} // namespace

class TestCliHostile : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_idx;
    QString m_project;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(!qEnvironmentVariable("GPS_CLI").isEmpty(), "run through CTest (GPS_CLI unset)");
        const fs::path root = m_dir.path().toStdString();
        m_idx = path(u"idx"_s);
        fs::create_directories(m_idx.toStdString());
        gps::test::writeIdxSplit(m_idx.toStdString(), "train",
                                 gps::test::makeTinyImages(30, 12, 12, 1, 3), true);
        gps::test::writeTinyIdxDataset(root / "tiny");
        m_project = path(u"tiny.json"_s);
        std::ofstream(m_project.toStdString())
            << gps::test::tinyProjectDocument(root / "tiny", 1).dump(2);
        qputenv("XDG_CACHE_HOME", path(u"cache"_s).toUtf8());
    }

    void threadCountsAreBounded_data() {
        QTest::addColumn<QString>("count");
        for (const char* count : {"0", "-1", "100000", "2x", "", "1e3"})
            QTest::newRow(count) << QString::fromUtf8(count);
    }
    void threadCountsAreBounded() {
        QFETCH(QString, count);
        verifyRefused(runCliAsGiven({u"--threads"_s, count, u"dataset"_s, u"info"_s, m_idx}),
                      u"--threads: expected a whole number from 1 to"_s);
    }

    void outputsThatAreNotRegularFilesAreRefused() {
        const QString fifo = path(u"pipe.npy"_s);
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        verifyRefused(
            runCliAsGiven({u"embed"_s, m_idx, u"--prior"_s, u"pixels"_s, u"--out"_s, fifo}),
            fifo + u": is a named pipe (FIFO), not a regular file"_s);
        QVERIFY(fs::is_fifo(fifo.toStdString()));
        verifyRefused(runCliAsGiven({u"augment"_s, m_idx, u"--index"_s, u"0"_s, u"--preset"_s,
                                     u"weak"_s, u"--out"_s, m_dir.path()}),
                      u"is a folder, not a regular file"_s);
        verifyRefused(runCliAsGiven({u"embed"_s, m_idx, u"--prior"_s, u"pixels"_s, u"--out"_s,
                                     path(u"no/such/folder/e.npy"_s)}),
                      u"does not exist"_s);
    }

    void anOutputLinkIsWrittenThrough() {
        const fs::path target = path(u"real.npy"_s).toStdString();
        const fs::path link = path(u"link.npy"_s).toStdString();
        fs::create_symlink(target, link);
        const CliRun run = runCliAsGiven({u"embed"_s, m_idx, u"--prior"_s, u"pixels"_s, u"--out"_s,
                                          QString::fromStdString(link.string())});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(fs::is_symlink(link));
        QVERIFY(fs::is_regular_file(target));
        QVERIFY(fs::file_size(target) > 30 * 144 * 4);
    }

    void argumentsThatAreNotUtf8AreRefused() {
        // QProcess would encode a QString; the shell passes the raw Latin-1 byte.
        const CliRun run = runProgram(
            u"sh"_s, {u"-c"_s, u"exec \"$0\" dataset info \"$(printf '/tmp/caf\\351')\" --json"_s,
                      qEnvironmentVariable("GPS_CLI")});
        verifyRefused(run, u"argument 3 is not valid UTF-8 text"_s);
        QVERIFY(run.out.isEmpty());
    }

    void deepDocumentsAreRefusedNotCrashed() {
        const QString deep = QString(60000, u'[') + QString(60000, u']');
        verifyRefused(runCliAsGiven({u"train"_s, m_project, u"--set"_s, u"description="_s + deep}),
                      u"nested deeper than 63 levels"_s);
        const QString deepProject = path(u"deep.json"_s);
        std::ofstream(deepProject.toStdString())
            << R"({"version": 1, "augment": {"ops": )" << deep.toStdString() << "}}";
        verifyRefused(runCliAsGiven({u"train"_s, deepProject}), u"nested deeper than 64 levels"_s);
        const QString deepSpec = path(u"deep-spec.json"_s);
        std::ofstream(deepSpec.toStdString()) << deep.toStdString();
        verifyRefused(runCliAsGiven({u"augment"_s, m_idx, u"--index"_s, u"0"_s, u"--spec"_s,
                                     deepSpec, u"--out"_s, path(u"never.png"_s)}),
                      u"nested deeper than 64 levels"_s);
        QVERIFY(!QFile::exists(path(u"never.png"_s)));
    }

    void badNumbersAndDuplicateKeysNameTheKey() {
        const fs::path root = m_dir.path().toStdString();
        auto document = gps::test::tinyProjectDocument(root / "tiny", 1).dump(2);
        const QString duplicated = path(u"duplicated.json"_s);
        const auto brace = document.rfind('}');
        std::ofstream(duplicated.toStdString())
            << document.substr(0, brace) << R"(, "name": "second")" << document.substr(brace);
        verifyRefused(runCliAsGiven({u"train"_s, duplicated}),
                      u"name: the key appears twice in one object"_s);
        verifyRefused(runCliAsGiven({u"train"_s, m_project, u"--set"_s, u"train.lr=1e999"_s}),
                      u"train.lr: the number 1e999 is out of range"_s);
    }

    void aSecondRunIntoAHeldFolderIsRefused() {
        // This process holds the folder as a live run would; its snapshot is already there.
        const fs::path folder = path(u"held-run"_s).toStdString();
        fs::create_directories(folder);
        const std::string snapshot =
            gps::test::tinyProjectDocument(fs::path(m_dir.path().toStdString()) / "tiny", 1)
                .dump(2);
        std::ofstream(folder / "project.json") << snapshot;
        auto lock = gps::project::RunLock::acquire(folder);
        QVERIFY(lock.ok());
        const QString holder = u"another run is using this folder (pid %1 on "_s.arg(::getpid());
        const QString dir = QString::fromStdString(folder.string());
        verifyRefused(runCliAsGiven({u"train"_s, m_project, u"--run-dir"_s, dir}), holder);
        verifyRefused(runCliAsGiven({u"train"_s, u"--resume"_s, dir}), holder);
        QVERIFY(!fs::exists(folder / "metrics.jsonl"));
        std::ifstream kept(folder / "project.json");
        QCOMPARE(std::string(std::istreambuf_iterator<char>(kept), {}), snapshot);
    }
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "tst_cli_hostile.moc"
