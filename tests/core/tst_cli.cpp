// The CLI as a user meets it: the real gps-studio-cli executable (path from $GPS_CLI, set by
// CTest) on fixture datasets, checking JSON keys, files written and exit codes.
#include "cli_runner.h"
#include "fixtures_binary.h"
#include "fixtures_folder.h"
#include "fixtures_npz.h"
#include "test_data.h"
#include "torchscript_fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

using gps::test::CliRun;
using gps::test::runCli;

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_idx;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(!qEnvironmentVariable("GPS_CLI").isEmpty(), "run through CTest (GPS_CLI unset)");
        m_idx = m_dir.filePath(u"idx"_s);
        fs::create_directories(m_idx.toStdString());
        gps::test::writeIdxSplit(m_idx.toStdString(), "train",
                                 gps::test::makeTinyImages(30, 12, 12, 1, 3), true);
        gps::test::writeIdxSplit(m_idx.toStdString(), "t10k",
                                 gps::test::makeTinyImages(9, 12, 12, 1, 3, 5), false);
    }

    void datasetInfoJsonHasTheDocumentedKeys() {
        const CliRun run = runCli({u"dataset"_s, u"info"_s, m_idx, u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        QCOMPARE(json[u"format"_s].toString(), QString(u"idx"_s));
        QCOMPARE(json[u"splits"_s][u"train"_s][u"size"_s].toInt(), 30);
        QCOMPARE(json[u"splits"_s][u"test"_s][u"size"_s].toInt(), 9);
        QCOMPARE(json[u"num_classes"_s].toInt(), 3);
        QCOMPARE(json[u"class_names"_s].toArray().size(), 3);
        QCOMPARE(json[u"height"_s].toInt(), 12);
        QCOMPARE(json[u"width"_s].toInt(), 12);
        QCOMPARE(json[u"channels"_s].toInt(), 1);
        QCOMPARE(json[u"labelled"_s].toBool(), true);
        QVERIFY(json[u"warnings"_s].isArray());
    }
    void datasetInfoWithSplitCountsClasses() {
        const CliRun run =
            runCli({u"dataset"_s, u"info"_s, m_idx, u"--split"_s, u"test"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        const QJsonArray counts = run.json()[u"class_counts"_s].toArray();
        QCOMPARE(counts.size(), 3);
        QCOMPARE(counts[0].toInt() + counts[1].toInt() + counts[2].toInt(), 9);
    }
    void imageFolderWarningsReachTheJson() {
        const fs::path folder = m_dir.filePath(u"folder"_s).toStdString();
        gps::test::writeImageFolder(folder, gps::test::makeTinyImages(6, 16, 16, 3, 2),
                                    {"cat", "dog"}, ".png");
        std::ofstream(folder / "cat" / "broken.png") << "not a png";
        const CliRun run = runCli({u"dataset"_s, u"info"_s, QString::fromStdString(folder.string()),
                                   u"--split"_s, u"train"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        QCOMPARE(json[u"format"_s].toString(), QString(u"image-folder"_s));
        QCOMPARE(json[u"size"_s].toInt(), 6);
        QVERIFY(QJsonDocument(json[u"warnings"_s].toArray()).toJson().contains("broken.png"));
    }

    void badInputExitsWithTwoAndOneLine_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing path")
            << QStringList{u"dataset"_s, u"info"_s, u"/no/such/dir"_s} << u"/no/such/dir"_s;
        QTest::newRow("unknown command")
            << QStringList{u"frobnicate"_s} << u"unknown command 'frobnicate'"_s;
        QTest::newRow("unknown option")
            << QStringList{u"dataset"_s, u"info"_s, u"x"_s, u"--colour"_s}
            << u"unknown option --colour"_s;
        QTest::newRow("missing split")
            << QStringList{u"dataset"_s, u"info"_s, u"@IDX"_s, u"--split"_s, u"val"_s}
            << u"split 'val' not found"_s;
        QTest::newRow("index out of range")
            << QStringList{u"augment"_s,  u"@IDX"_s, u"--index"_s, u"30"_s,
                           u"--preset"_s, u"weak"_s, u"--out"_s,   u"@OUT"_s}
            << u"--index: must be in [0, 29]"_s;
        QTest::newRow("preset and spec")
            << QStringList{u"augment"_s, u"@IDX"_s,   u"--preset"_s, u"weak"_s,
                           u"--spec"_s,  u"x.json"_s, u"--out"_s,    u"@OUT"_s}
            << u"exactly one of --preset"_s;
        QTest::newRow("unknown preset")
            << QStringList{u"augment"_s, u"@IDX"_s, u"--preset"_s, u"wild"_s, u"--out"_s, u"@OUT"_s}
            << u"wild"_s;
        QTest::newRow("no out") << QStringList{u"augment"_s, u"@IDX"_s, u"--preset"_s, u"weak"_s}
                                << u"--out"_s;
    }
    void badInputExitsWithTwoAndOneLine() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        arguments.replaceInStrings(u"@IDX"_s, m_idx)
            .replaceInStrings(u"@OUT"_s, m_dir.filePath(u"never.png"_s));
        const CliRun run = runCli(arguments);
        QCOMPARE(run.exitCode, 2);
        const QString err = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(err.contains(expected), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 0);
        QVERIFY(!QFile::exists(m_dir.filePath(u"never.png"_s)));
    }
    // Every command answers --help with its usage and what it does; --version names the
    // studio and the libraries that decide its results.
    void helpAndVersion_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("start");
        QTest::newRow("embed --help") << QStringList{u"embed"_s, u"--help"_s}
                                      << u"usage: gps-studio-cli embed DATASET --prior SPEC"_s;
        QTest::newRow("dataset info -h") << QStringList{u"dataset"_s, u"info"_s, u"x"_s, u"-h"_s}
                                         << u"usage: gps-studio-cli dataset info DATASET"_s;
        QTest::newRow("train --resume --help")
            << QStringList{u"train"_s, u"--resume"_s, u"--help"_s}
            << u"usage: gps-studio-cli train PROJECT.json"_s;
        QTest::newRow("--help") << QStringList{u"--help"_s}
                                << u"usage: gps-studio-cli [--threads N] [--version] COMMAND"_s;
        QTest::newRow("--version") << QStringList{u"--version"_s} << u"gps-studio-cli 0."_s;
    }
    void helpAndVersion() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, start);
        const CliRun run = runCli(arguments);
        QCOMPARE(run.exitCode, 0);
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.startsWith(start), qPrintable(out));
        QVERIFY(run.err.isEmpty());
        if (arguments.first() == u"--version"_s)
            QVERIFY2(out.contains(u"LibTorch "_s) && out.contains(u"FAISS "_s), qPrintable(out));
        else if (arguments.first() != u"--help"_s)
            QVERIFY2(out.contains(u"Exit codes:"_s) && out.count(u'\n') >= 4, qPrintable(out));
    }

    void corruptFileIsNamed() {
        const fs::path bad = m_dir.filePath(u"bad"_s).toStdString();
        fs::create_directories(bad);
        gps::test::writeIdxSplit(bad, "train", gps::test::makeTinyImages(4, 8, 8, 1, 2), false);
        fs::resize_file(bad / "train-images-idx3-ubyte", 40);
        const CliRun run = runCli({u"dataset"_s, u"info"_s, QString::fromStdString(bad.string()),
                                   u"--split"_s, u"train"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("train-images-idx3-ubyte"), run.err.constData());
    }

    void augmentGridIsDeterministicPerSeed() {
        const QString a = m_dir.filePath(u"a.png"_s), b = m_dir.filePath(u"b.png"_s),
                      c = m_dir.filePath(u"c.png"_s);
        QCOMPARE(runCli({u"augment"_s, m_idx, u"--index"_s, u"3"_s, u"--preset"_s, u"strong"_s,
                         u"--views"_s, u"5"_s, u"--seed"_s, u"7"_s, u"--out"_s, a})
                     .exitCode,
                 0);
        QCOMPARE(runCli({u"augment"_s, m_idx, u"--index"_s, u"3"_s, u"--preset"_s, u"strong"_s,
                         u"--views"_s, u"5"_s, u"--seed"_s, u"7"_s, u"--out"_s, b})
                     .exitCode,
                 0);
        QCOMPARE(runCli({u"augment"_s, m_idx, u"--index"_s, u"3"_s, u"--preset"_s, u"strong"_s,
                         u"--views"_s, u"5"_s, u"--seed"_s, u"8"_s, u"--out"_s, c})
                     .exitCode,
                 0);
        QVERIFY(readAll(a).startsWith("\x89PNG"));
        QCOMPARE(readAll(a), readAll(b));
        QVERIFY(readAll(a) != readAll(c));
        // PNG's IHDR holds the width big-endian at bytes 16..19: original + 5 views in one row.
        const QByteArray png = readAll(a);
        const int width = (uchar(png[16]) << 24) | (uchar(png[17]) << 16) | (uchar(png[18]) << 8) |
                          uchar(png[19]);
        QCOMPARE(width, 6 * (112 + 6) + 6);
    }
    void augmentWithSpecFileAndJsonSummary() {
        const QString spec = m_dir.filePath(u"spec.json"_s);
        QFile file(spec);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            R"({"name": "mine", "crop": {"kind": "random_resized", "scale": [0.5, 1.0]}, "flip": {"p": 1.0}})");
        file.close();
        const CliRun run = runCli({u"augment"_s, m_idx, u"--index"_s, u"0"_s, u"--spec"_s, spec,
                                   u"--views"_s, u"2"_s, u"--seed"_s, u"1"_s, u"--out"_s,
                                   m_dir.filePath(u"s.png"_s), u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.json()[u"spec"_s][u"name"_s].toString(), QString(u"mine"_s));
        QCOMPARE(run.json()[u"views"_s].toInt(), 2);
    }
    void invalidSpecNamesTheKey() {
        const QString spec = m_dir.filePath(u"bad-spec.json"_s);
        QFile file(spec);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"jitter": {"p": 1.5}})");
        file.close();
        const CliRun run = runCli({u"augment"_s, m_idx, u"--index"_s, u"0"_s, u"--spec"_s, spec,
                                   u"--out"_s, m_dir.filePath(u"x.png"_s)});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("jitter.p"), run.err.constData());
    }

    void embedWritesAnNpyAndHitsTheCacheTheSecondTime() {
        const QString out = m_dir.filePath(u"emb.npy"_s), cache = m_dir.filePath(u"cache"_s);
        const QStringList arguments{u"embed"_s,       m_idx,      u"--prior"_s,
                                    u"pca:4"_s,       u"--out"_s, out,
                                    u"--cache-dir"_s, cache,      u"--json"_s};
        const CliRun first = runCli(arguments);
        QCOMPARE(first.exitCode, 0);
        QCOMPARE(first.json()[u"n"_s].toInt(), 30);
        QCOMPARE(first.json()[u"dim"_s].toInt(), 4);
        QCOMPARE(first.json()[u"cache_hit"_s].toBool(), false);
        QVERIFY(readAll(out).contains("'shape': (30, 4)"));
        const CliRun second = runCli(arguments);
        QCOMPARE(second.json()[u"cache_hit"_s].toBool(), true);
    }
    void embedRefusesAModelThatGivesNaN() {
        // Not an embedding written with exit 0: bad input, one line naming the model, no file.
        const QString model = m_dir.filePath(u"nan.pt"_s), out = m_dir.filePath(u"nan.npy"_s);
        gps::test::saveTorchScriptModule(model.toStdString(), "(x - x).mean(dim=[2, 3]) / 0.0");
        const CliRun run =
            runCli({u"embed"_s, m_idx, u"--prior"_s, u"torchscript:"_s + model, u"--out"_s, out,
                    u"--cache-dir"_s, m_dir.filePath(u"nan-cache"_s)});
        QCOMPARE(run.exitCode, 2);
        const QString last = QString::fromUtf8(run.err).trimmed().section(QLatin1Char('\n'), -1);
        QVERIFY2(last.startsWith(u"gps-studio-cli: torchscript:"_s + model +
                                 u": the output for batch 1 of "_s) &&
                     last.endsWith(u" has 30 NaN values"_s),
                 qPrintable(last));
        QVERIFY(!QFile::exists(out));
    }
    void neighborsJsonHasTheDocumentedKeys() {
        const QString prefix = m_dir.filePath(u"knn"_s), grid = m_dir.filePath(u"anchor.png"_s);
        const CliRun run =
            runCli({u"neighbors"_s, m_idx, u"--prior"_s, u"pixels"_s, u"--k-max"_s, u"8"_s,
                    u"--tau"_s, u"auto"_s, u"--save-knn"_s, prefix, u"--show"_s, u"2"_s, u"--out"_s,
                    grid, u"--cache-dir"_s, m_dir.filePath(u"cache"_s), u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        for (const char* key : {"n", "dim", "k_max", "k", "tau", "rule", "metric", "purity_at_1",
                                "candidates_mean", "candidates_purity", "no_candidate_fraction",
                                "truncated_fraction", "seconds_embed", "seconds_knn"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json[u"n"_s].toInt(), 30);
        QCOMPARE(json[u"dim"_s].toInt(), 144);
        QCOMPARE(json[u"k_max"_s].toInt(), 8);
        // τ is applied as a float; the suggestion is reported as computed.
        QVERIFY(qAbs(json[u"tau"_s].toDouble() - json[u"tau_suggested"_s].toDouble()) <
                1e-5 * json[u"tau_suggested"_s].toDouble());
        QVERIFY(json[u"purity_at_1"_s].toDouble() >= 0 && json[u"purity_at_1"_s].toDouble() <= 1);
        QVERIFY(readAll(prefix + u"_indices.npy"_s).contains("'<i8'"));
        QVERIFY(readAll(prefix + u"_distances.npy"_s).contains("'<f4'"));
        QVERIFY(readAll(grid).startsWith("\x89PNG"));
    }
    void neighborsBadInput_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no prior") << QStringList{u"neighbors"_s, u"@IDX"_s}
                                  << u"--prior SPEC is required"_s;
        QTest::newRow("unknown prior")
            << QStringList{u"neighbors"_s, u"@IDX"_s, u"--prior"_s, u"foo"_s}
            << u"unknown prior 'foo'"_s;
        QTest::newRow("bad rule") << QStringList{u"neighbors"_s, u"@IDX"_s,   u"--prior"_s,
                                                 u"pixels"_s,    u"--rule"_s, u"nearest"_s}
                                  << u"--rule"_s;
        QTest::newRow("k and tau")
            << QStringList{u"neighbors"_s, u"@IDX"_s, u"--prior"_s, u"pixels"_s,
                           u"--k"_s,       u"2"_s,    u"--tau"_s,   u"1"_s}
            << u"not both"_s;
        QTest::newRow("k above k-max")
            << QStringList{u"neighbors"_s, u"@IDX"_s, u"--prior"_s, u"pixels"_s,
                           u"--k-max"_s,   u"4"_s,    u"--k"_s,     u"5"_s}
            << u"--k"_s;
        QTest::newRow("show without out") << QStringList{u"neighbors"_s, u"@IDX"_s,   u"--prior"_s,
                                                         u"pixels"_s,    u"--show"_s, u"1"_s}
                                          << u"--show I and --out"_s;
    }
    void neighborsBadInput() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        arguments.replaceInStrings(u"@IDX"_s, m_idx);
        const CliRun run = runCli(arguments + QStringList{u"--no-cache"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(expected), run.err.constData());
    }

    // A bad file in a folder never becomes a made-up row: skipped at open and listed in the
    // warnings, or, found only when decoding, the command refuses and names it.
    void embedNeverInventsARow_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zero-byte file") << "empty" << 0 << "zz.png (empty file)";
        QTest::newRow("text named .jpg") << "text" << 0 << "zz.jpg (not an image)";
        QTest::newRow("unreadable file") << "unreadable" << 0 << "zz.png (cannot open)";
        QTest::newRow("truncated PNG") << "truncated" << 2 << "zz.png: cannot be decoded";
        QTest::newRow("PNG declaring 100000 x 100000")
            << "huge" << 2 << "zz.png: declares 100000 × 100000 pixels";
    }
    void embedNeverInventsARow() {
        QFETCH(QString, kind);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        const fs::path folder = m_dir.filePath(u"bad-"_s + kind).toStdString();
        gps::test::writeImageFolder(folder, gps::test::makeTinyImages(6, 16, 16, 3, 2),
                                    {"cat", "dog"}, ".png");
        const fs::path bad = folder / "dog" / (kind == u"text"_s ? "zz.jpg" : "zz.png");
        if (kind == u"empty"_s)
            gps::test::writeEmptyFile(bad);
        if (kind == u"text"_s)
            gps::test::writeNotAnImage(bad);
        if (kind == u"truncated"_s || kind == u"unreadable"_s)
            gps::test::writeTruncatedPng(bad);
        if (kind == u"huge"_s)
            gps::test::writePngDeclaring(bad, 100000, 100000);
        if (kind == u"unreadable"_s) {
            fs::permissions(bad, fs::perms::none);
            if (std::ifstream(bad).good()) // root reads whatever the permissions say
                QSKIP("permissions do not stop this user from reading the file");
        }
        const QString out = m_dir.filePath(u"emb-"_s + kind + u".npy"_s);
        const CliRun run =
            runCli({u"embed"_s, QString::fromStdString(folder.string()), u"--prior"_s, u"pixels"_s,
                    u"--out"_s, out, u"--no-cache"_s, u"--json"_s});
        QCOMPARE(run.exitCode, exitCode);
        if (exitCode == 0) {
            QCOMPARE(run.json()[u"n"_s].toInt(), 6);
            const QString warnings =
                QString::fromUtf8(QJsonDocument(run.json()[u"warnings"_s].toArray()).toJson());
            QVERIFY2(warnings.contains(expected), qPrintable(warnings));
            QVERIFY(readAll(out).contains("'shape': (6, 768)"));
        } else {
            const QString err = QString::fromUtf8(run.err);
            QVERIFY2(err.contains(expected), qPrintable(err));
            QVERIFY2(err.contains(u"dataset check"_s), qPrintable(err));
            QVERIFY(!QFile::exists(out));
        }
    }

    void datasetCheckListsEveryUnreadableFile() {
        const fs::path folder = m_dir.filePath(u"check"_s).toStdString();
        gps::test::writeImageFolder(folder, gps::test::makeTinyImages(6, 16, 16, 3, 2),
                                    {"cat", "dog"}, ".png");
        gps::test::writeTruncatedPng(folder / "dog" / "cut.png");
        gps::test::writeEmptyFile(folder / "cat" / "empty.png");
        const QString path = QString::fromStdString(folder.string());
        const CliRun json = runCli({u"dataset"_s, u"check"_s, path, u"--json"_s});
        QCOMPARE(json.exitCode, 0);
        QCOMPARE(json.json()[u"unreadable_count"_s].toInt(), 2);
        const QJsonObject train = json.json()[u"splits"_s][u"train"_s].toObject();
        QCOMPARE(train[u"images"_s].toInt(), 7);
        QCOMPARE(train[u"decoded"_s].toBool(), true);
        const QJsonArray files = train[u"unreadable"_s].toArray();
        QCOMPARE(files.size(), 2);
        QCOMPARE(files[0][u"file"_s].toString(), u"cat/empty.png"_s);
        QCOMPARE(files[0][u"reason"_s].toString(), u"empty file"_s);
        QVERIFY(files[0][u"row"_s].isNull());
        QCOMPARE(files[1][u"file"_s].toString(), u"dog/cut.png"_s);
        QVERIFY(files[1][u"reason"_s].toString().startsWith(u"cannot be decoded"_s));
        QCOMPARE(files[1][u"row"_s].toInt(), 3);
        QVERIFY(QJsonDocument(json.json()[u"warnings"_s].toArray()).toJson().contains("cut.png"));
        QVERIFY2(json.err.contains("check train"), json.err.constData()); // progress on stderr

        const CliRun text = runCli({u"dataset"_s, u"check"_s, path});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("dog/cut.png (image 3): cannot be decoded"),
                 text.out.constData());
        QVERIFY2(text.out.contains("cat/empty.png (skipped): empty file"), text.out.constData());

        const CliRun idx = runCli({u"dataset"_s, u"check"_s, m_idx, u"--split"_s, u"test"_s});
        QCOMPARE(idx.exitCode, 0);
        QVERIFY2(idx.out.contains("test: 9 images read in full and checked when opened"),
                 idx.out.constData());
        QCOMPARE(runCli({u"dataset"_s, u"check"_s, u"/no/such/dir"_s}).exitCode, 2);
    }
    void datasetInfoSaysImagesWereNotDecoded() {
        const CliRun run = runCli({u"dataset"_s, u"info"_s, m_idx});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("images not decoded; run `gps-studio-cli dataset check`"),
                 run.out.constData());
    }

    // embed opens the split asked for, else train, else the only split the file has.
    void embedChoosesTheSplit_data() {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("only a test split")
            << "test" << QStringList{u"--prior"_s, u"pixels"_s} << 0 << "test";
        QTest::newRow("--split test, learned prior, no train")
            << "test" << QStringList{u"--prior"_s, u"pca:2"_s, u"--split"_s, u"test"_s} << 0
            << "no train split";
        QTest::newRow("val and test, none chosen")
            << "val+test" << QStringList{u"--prior"_s, u"pixels"_s} << 2
            << "choose one with --split (available: val, test)";
        QTest::newRow("val and test, --split val")
            << "val+test" << QStringList{u"--prior"_s, u"pixels"_s, u"--split"_s, u"val"_s} << 0
            << "val";
    }
    void embedChoosesTheSplit() {
        QFETCH(QString, layout);
        QFETCH(QStringList, extra);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        const QString file = m_dir.filePath(layout + u".npz"_s);
        const gps::test::TinyImages none;
        const auto test = gps::test::makeTinyImages(7, 5, 5, 1, 3);
        const auto val = gps::test::makeTinyImages(4, 5, 5, 1, 3, 9);
        gps::test::writeMedMnist(file.toStdString(), none, layout == u"test"_s ? none : val, test,
                                 true);
        const CliRun run = runCli(QStringList{u"embed"_s, file} + extra +
                                  QStringList{u"--no-cache"_s, u"--json"_s});
        QCOMPARE(run.exitCode, exitCode);
        if (exitCode != 0) {
            QVERIFY2(QString::fromUtf8(run.err).contains(expected), run.err.constData());
            return;
        }
        const QJsonObject json = run.json();
        if (expected == u"no train split"_s) {
            QCOMPARE(json[u"split"_s].toString(), u"test"_s);
            QVERIFY(QJsonDocument(json[u"warnings"_s].toArray())
                        .toJson()
                        .contains("no train split: pca:2 was fitted on 'test'"));
        } else {
            QCOMPARE(json[u"split"_s].toString(), expected);
        }
        QCOMPARE(json[u"n"_s].toInt(), expected == u"val"_s ? 4 : 7);
    }

    void benchAugmentReportsRatesAndShare() {
        const CliRun run =
            runCli({u"bench"_s, u"augment"_s, m_idx, u"--preset"_s, u"strong"_s, u"--batch"_s,
                    u"16"_s, u"--iterations"_s, u"2"_s, u"--train-steps"_s, u"1"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        const QJsonObject preset = json[u"presets"_s].toArray().first().toObject();
        QCOMPARE(preset[u"preset"_s].toString(), QString(u"strong"_s));
        QVERIFY(preset[u"images_per_second"_s].toDouble() > 0);
        QVERIFY(preset[u"share_of_train_step"_s].toDouble() > 0);
        QVERIFY(json[u"train_step_seconds"_s].toDouble() > 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
