// gps-studio-cli export, called in process through cli::run on run folders the test writes:
// exit codes, the files written, the --json report and the one-line reasons for bad input.
#include "cli/cli.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct Outcome {
    int exitCode = -1;
    std::string out, err;
};

// Runs the CLI with `words` as its arguments, catching what it prints.
Outcome runCli(std::vector<std::string> words) {
    words.insert(words.begin(), "gps-studio-cli");
    std::vector<char*> argv;
    for (std::string& word : words)
        argv.push_back(word.data());
    std::ostringstream out, err;
    auto* oldOut = std::cout.rdbuf(out.rdbuf());
    auto* oldErr = std::cerr.rdbuf(err.rdbuf());
    const int code = gps::cli::run(static_cast<int>(argv.size()), argv.data());
    std::cout.rdbuf(oldOut);
    std::cerr.rdbuf(oldErr);
    return {code, out.str(), err.str()};
}

void writeRun(const fs::path& dir, double lossOffset) {
    fs::create_directories(dir);
    std::ofstream metrics(dir / "metrics.jsonl");
    metrics << R"({"step":0,"epoch":0,"prior_linear_probe_acc":0.7,"prior_knn_acc":0.65})" << '\n';
    for (int step = 1; step <= 20; ++step)
        metrics << nlohmann::json{{"step", step},
                                  {"epochs", step / 10.0},
                                  {"epoch", step / 10},
                                  {"time", step * 0.5},
                                  {"loss", lossOffset + 3.0 / step},
                                  {"lr", 0.01 * step},
                                  {"online_probe_acc", 0.3 + step * 0.01}}
                       .dump()
                << '\n';
    metrics << R"({"step":20,"epoch":2,"linear_probe_acc":0.75,"knn_acc":0.7})" << '\n';
}

std::size_t lineCount(const fs::path& file) {
    std::ifstream in(file);
    std::size_t count = 0;
    for (std::string line; std::getline(in, line);)
        ++count;
    return count;
}

} // namespace

class TestExportCommand : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_root, m_runA, m_runB;

private Q_SLOTS:
    void initTestCase() {
        m_root = m_dir.path().toStdString();
        m_runA = m_root / "run-a";
        m_runB = m_root / "run-b";
        writeRun(m_runA, 0);
        writeRun(m_runB, 0.5);
    }

    void writesCsvAndPlotAndReportsThemAsJson() {
        const fs::path csv = m_root / "both.csv";
        const fs::path plot = m_root / "both.svg";
        const Outcome run =
            runCli({"export", m_runA.string(), m_runB.string() + "/", "--csv", csv.string(),
                    "--plot", plot.string(), "--smooth", "0.5", "--json"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.empty());
        const auto json = nlohmann::json::parse(run.out);
        QCOMPARE(json["files"].size(), std::size_t(2));
        QCOMPARE(json["files"][0]["path"].get<std::string>(), csv.string());
        QCOMPARE(json["files"][1]["kind"].get<std::string>(), std::string("svg"));
        QCOMPARE(json["runs"].size(), std::size_t(2));
        QCOMPARE(json["runs"][1]["name"].get<std::string>(), std::string("run-b"));
        // 20 steps × (loss, lr, online probe) + one linear probe + one kNN, per run.
        QCOMPARE(json["runs"][0]["points"].get<int>(), 62);
        QCOMPARE(json["points"].get<int>(), 124);
        QCOMPARE(lineCount(csv), std::size_t(41));
        std::ifstream svg(plot);
        const std::string text((std::istreambuf_iterator<char>(svg)), {});
        QVERIFY(text.find(">run-b: loss<") != std::string::npos);
    }
    void aRunIsNamedByItsFolder_data() {
        QTest::addColumn<QString>("suffix");
        QTest::newRow("plain") << QString();
        QTest::newRow("slash") << QStringLiteral("/");
        QTest::newRow("dot") << QStringLiteral("/.");
        QTest::newRow("dot slash") << QStringLiteral("/./");
    }
    void aRunIsNamedByItsFolder() {
        QFETCH(QString, suffix);
        const Outcome run = runCli({"export", m_runA.string() + suffix.toStdString(), "--csv",
                                    (m_root / "named.csv").string(), "--json"});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(nlohmann::json::parse(run.out)["runs"][0]["name"].get<std::string>(),
                 std::string("run-a"));
    }
    void writesEachFigureFormat_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("axis");
        QTest::newRow("png by step") << QStringLiteral("a.png") << QStringLiteral("step");
        QTest::newRow("pdf by epoch") << QStringLiteral("a.pdf") << QStringLiteral("epoch");
        QTest::newRow("svg by time") << QStringLiteral("a.svg") << QStringLiteral("time");
    }
    void writesEachFigureFormat() {
        QFETCH(QString, name);
        QFETCH(QString, axis);
        const fs::path plot = m_root / name.toStdString();
        const Outcome run = runCli({"export", m_runA.string(), "--plot", plot.string(), "--x",
                                    axis.toStdString(), "--log-loss"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(fs::file_size(plot) > 1000);
        QVERIFY(run.out.find("wrote " + plot.string()) != std::string::npos);
    }

    void badInputExitsWithTwoAndOneLine_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no such folder")
            << QStringList{QStringLiteral("@ROOT/nope"), QStringLiteral("--csv"),
                           QStringLiteral("@ROOT/x.csv")}
            << QStringLiteral("@ROOT/nope: no such folder");
        QTest::newRow("no metrics")
            << QStringList{QStringLiteral("@ROOT/empty"), QStringLiteral("--csv"),
                           QStringLiteral("@ROOT/x.csv")}
            << QStringLiteral("@ROOT/empty/metrics.jsonl: no such file");
        QTest::newRow("unknown extension")
            << QStringList{QStringLiteral("@A"), QStringLiteral("--plot"),
                           QStringLiteral("@ROOT/x.jpg")}
            << QStringLiteral("@ROOT/x.jpg: unknown figure format '.jpg'");
        QTest::newRow("smooth is 1")
            << QStringList{QStringLiteral("@A"), QStringLiteral("--csv"),
                           QStringLiteral("@ROOT/x.csv"), QStringLiteral("--smooth"),
                           QStringLiteral("1")}
            << QStringLiteral("--smooth: expected an EMA weight in [0, 1)");
        QTest::newRow("smooth negative")
            << QStringList{QStringLiteral("@A"), QStringLiteral("--csv"),
                           QStringLiteral("@ROOT/x.csv"), QStringLiteral("--smooth"),
                           QStringLiteral("-0.1")}
            << QStringLiteral("--smooth: must be in [0");
        QTest::newRow("nothing to write")
            << QStringList{QStringLiteral("@A")} << QStringLiteral("give --csv FILE, --plot FILE");
        QTest::newRow("no run") << QStringList{QStringLiteral("--csv"),
                                               QStringLiteral("@ROOT/x.csv")}
                                << QStringLiteral("no RUN_DIR given");
        QTest::newRow("bad axis") << QStringList{QStringLiteral("@A"), QStringLiteral("--plot"),
                                                 QStringLiteral("@ROOT/x.png"),
                                                 QStringLiteral("--x"), QStringLiteral("wall")}
                                  << QStringLiteral(
                                         "--x: expected step, epoch or time, got 'wall'");
        QTest::newRow("missing output folder")
            << QStringList{QStringLiteral("@A"), QStringLiteral("--csv"),
                           QStringLiteral("@ROOT/no/x.csv")}
            << QStringLiteral("@ROOT/no/x.csv");
    }
    void badInputExitsWithTwoAndOneLine() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        fs::create_directories(m_root / "empty");
        const QString root = QString::fromStdString(m_root.string());
        arguments.replaceInStrings(QStringLiteral("@A"), QString::fromStdString(m_runA.string()));
        arguments.replaceInStrings(QStringLiteral("@ROOT"), root);
        expected.replace(QStringLiteral("@ROOT"), root);
        std::vector<std::string> words{"export"};
        for (const QString& word : arguments)
            words.push_back(word.toStdString());
        const Outcome run = runCli(words);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.empty());
        QCOMPARE(std::count(run.err.begin(), run.err.end(), '\n'), 1L);
        QVERIFY2(run.err.find(expected.toStdString()) != std::string::npos, run.err.c_str());
        QVERIFY(!fs::exists(m_root / "x.csv"));
        QVERIFY(!fs::exists(m_root / "x.png"));
    }
    void timeAxisWithoutAnyTimeIsRefused() {
        const fs::path old = m_root / "old-run";
        fs::create_directories(old);
        std::ofstream(old / "metrics.jsonl") << "{\"step\":1,\"epochs\":0.1,\"loss\":2}\n";
        const Outcome run =
            runCli({"export", old.string(), "--plot", (m_root / "t.png").string(), "--x", "time"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.find("--x time") != std::string::npos);
        QVERIFY(!fs::exists(m_root / "t.png"));
    }
    void helpNamesTheCommand() {
        const Outcome run = runCli({"export", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.find("export RUN_DIR [RUN_DIR ...]") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestExportCommand)
#include "tst_export_command.moc"
