#include "data/dataset_open.h"
#include "data/idx_reader.h"

#include "fixtures_binary.h"
#include "test_data.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

namespace fs = std::filesystem;
using gps::ErrorCode;
using gps::data::OpenOptions;
using gps::test::TinyImages;
using Names = std::vector<std::string>;
Q_DECLARE_METATYPE(Names)

namespace {

constexpr int kRows = 5, kCols = 6; // not square, so a transposed read is caught

const TinyImages& trainImages() {
    static const TinyImages images = gps::test::makeTinyImages(7, kRows, kCols, 1, 4, 0);
    return images;
}
const TinyImages& testImages() {
    static const TinyImages images = gps::test::makeTinyImages(4, kRows, kCols, 1, 4, 9);
    return images;
}

fs::path folderOf(const QTemporaryDir& tmp, const char* sub = "idx") {
    return fs::path(tmp.path().toStdString()) / sub;
}

// Both splits; with `dotted` the files are renamed to "train-images.idx3-ubyte" style.
void writeBothSplits(const fs::path& dir, bool gzip, bool dotted = false) {
    gps::test::writeIdxSplit(dir, "train", trainImages(), gzip);
    gps::test::writeIdxSplit(dir, "t10k", testImages(), gzip);
    if (!dotted)
        return;
    for (const auto& entry : fs::directory_iterator(dir)) {
        std::string name = entry.path().filename().string();
        name.replace(name.find("-idx"), 4, ".idx");
        fs::rename(entry.path(), dir / name);
    }
}

OpenOptions splitOptions(const std::string& split, std::size_t limit = 0) {
    OpenOptions options;
    options.split = split;
    options.limit = limit;
    return options;
}

QString messageOf(const gps::Error& error) {
    return QString::fromStdString(error.message);
}

} // namespace

class TestIdxReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<QString>("split");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<bool>("dotted");
        // clang-format off
        QTest::newRow("train raw") << "train" << false << false;
        QTest::newRow("train gz") << "train" << true << false;
        QTest::newRow("test raw") << "test" << false << false;
        QTest::newRow("test gz") << "test" << true << false;
        QTest::newRow("train dotted raw") << "train" << false << true;
        QTest::newRow("test dotted gz") << "test" << true << true;
        // clang-format on
    }
    void roundTrip() {
        QFETCH(QString, split);
        QFETCH(bool, gzip);
        QFETCH(bool, dotted);
        QTemporaryDir tmp;
        const fs::path dir = folderOf(tmp);
        writeBothSplits(dir, gzip, dotted);
        const TinyImages& expected = split == QLatin1String("train") ? trainImages() : testImages();

        auto opened = gps::data::openIdx(dir, splitOptions(split.toStdString()));
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        const auto& dataset = **opened;
        QCOMPARE(dataset.size(), std::size_t(expected.count));
        QCOMPARE(dataset.shape(), (gps::data::ImageShape{kRows, kCols, 1}));
        QCOMPARE(dataset.split(), split.toStdString());
        QCOMPARE(dataset.format(), std::string("idx"));
        QCOMPARE(dataset.classNames(), (std::vector<std::string>{"0", "1", "2", "3"}));
        QVERIFY(dataset.labelled());
        QVERIFY(dataset.block() != nullptr);
        QCOMPARE(dataset.block()->bytes(), expected.pixels.size());
        QVERIFY(std::memcmp(dataset.block()->data(), expected.pixels.data(),
                            expected.pixels.size()) == 0);
        for (int i = 0; i < expected.count; ++i) {
            QCOMPARE(dataset.label(i), expected.labels[i]);
            QCOMPARE(dataset.image(i).at<std::uint8_t>(0, kCols - 1),
                     expected.at(i, 0, kCols - 1, 0));
            QCOMPARE(dataset.image(i).at<std::uint8_t>(kRows - 1, 0),
                     expected.at(i, kRows - 1, 0, 0));
        }
        if (!gzip) { // the writer's bytes follow the format: header 16 bytes, then rows of cols
            const std::string name =
                std::string(split == QLatin1String("train") ? "train" : "t10k") +
                (dotted ? "-images.idx3-ubyte" : "-images-idx3-ubyte");
            const auto raw = gps::test::readBytes(dir / name);
            QCOMPARE(raw[3], std::uint8_t(0x03));
            QCOMPARE(raw[16 + 2 * kRows * kCols + 3 * kCols + 4], expected.at(2, 3, 4, 0));
        }
    }

    void limit_data() {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("expected");
        // clang-format off
        QTest::newRow("all") << 0 << 7;
        QTest::newRow("first three") << 3 << 3;
        QTest::newRow("one") << 1 << 1;
        QTest::newRow("more than there are") << 100 << 7;
        // clang-format on
    }
    void limit() {
        QFETCH(int, limit);
        QFETCH(int, expected);
        QTemporaryDir tmp;
        writeBothSplits(folderOf(tmp), true);
        auto opened = gps::data::openIdx(folderOf(tmp), splitOptions("train", limit));
        QVERIFY(opened.ok());
        QCOMPARE((*opened)->size(), std::size_t(expected));
        QCOMPARE((*opened)->block()->bytes(), std::size_t(expected) * kRows * kCols);
        const int last = expected - 1;
        QCOMPARE((*opened)->label(last), trainImages().labels[last]);
        QCOMPARE((*opened)->image(last).at<std::uint8_t>(4, 5), trainImages().at(last, 4, 5, 0));
    }

    void describeReadsHeadersOnly() {
        QTemporaryDir tmp;
        const fs::path dir = folderOf(tmp);
        writeBothSplits(dir, false);
        // Pixels cut short inside a valid gzip stream: only a full read can notice.
        gps::test::truncateBy(dir / "train-images-idx3-ubyte", 10);
        gps::test::gzipFile(dir / "train-images-idx3-ubyte");

        auto info = gps::data::describeIdx(dir, {});
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->format, std::string("idx"));
        QCOMPARE(info->splits.size(), std::size_t(2));
        QCOMPARE(info->splits[0].name, std::string("train"));
        QCOMPARE(info->splits[0].size, std::size_t(7));
        QCOMPARE(info->splits[1].name, std::string("test"));
        QCOMPARE(info->splits[1].size, std::size_t(4));
        QCOMPARE(info->shape, (gps::data::ImageShape{kRows, kCols, 1}));
        QCOMPARE(info->classNames.size(), std::size_t(4));
        QVERIFY(info->labelled);

        auto opened = gps::data::openIdx(dir, splitOptions("train"));
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, ErrorCode::Corrupt);
        QVERIFY(messageOf(opened.error()).contains(QLatin1String("train-images-idx3-ubyte.gz")));
    }

    void classNames_data() {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<bool>("classesFile");
        QTest::addColumn<Names>("expected");
        // clang-format off
        QTest::newRow("numbered") << "digits" << false << Names{"0", "1", "2", "3"};
        QTest::newRow("fashion in path") << "My-FASHION-data" << false
            << Names{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                     "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
        QTest::newRow("classes.txt wins") << "fashion" << true << Names{"cat", "dog", "owl", "emu"};
        // clang-format on
    }
    void classNames() {
        QFETCH(QString, folder);
        QFETCH(bool, classesFile);
        QFETCH(Names, expected);
        QTemporaryDir tmp;
        const fs::path dir = folderOf(tmp, folder.toUtf8().constData());
        writeBothSplits(dir, false);
        if (classesFile) // blank lines and a Windows line end are not names
            gps::test::writeLines(dir / "classes.txt", {"cat", "dog\r", "", "owl", "emu", ""});
        auto info = gps::data::describeIdx(dir, {});
        QVERIFY(info.ok());
        QCOMPARE(info->classNames, expected);
        auto opened = gps::data::openIdx(dir, splitOptions("test"));
        QVERIFY(opened.ok());
        QCOMPARE((*opened)->classNames(), expected);
    }

    void detection_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<bool>("dotted");
        // clang-format off
        QTest::newRow("folder raw") << "" << false << false;
        QTest::newRow("folder gz") << "" << true << false;
        QTest::newRow("image file") << "train-images-idx3-ubyte" << false << false;
        QTest::newRow("image file gz") << "t10k-images-idx3-ubyte.gz" << true << false;
        QTest::newRow("dotted image file") << "train-images.idx3-ubyte" << false << true;
        // clang-format on
    }
    void detection() {
        QFETCH(QString, target);
        QFETCH(bool, gzip);
        QFETCH(bool, dotted);
        QTemporaryDir tmp;
        const fs::path dir = folderOf(tmp);
        writeBothSplits(dir, gzip, dotted);
        const fs::path path = target.isEmpty() ? dir : dir / target.toStdString();
        QVERIFY(gps::data::isIdxDataset(path));
        auto format = gps::data::detectFormat(path);
        QVERIFY2(format.ok(), format.ok() ? "" : format.error().message.c_str());
        QCOMPARE(*format, std::string("idx"));
        auto opened = gps::data::openDataset(path.string(), splitOptions("test"));
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QCOMPARE((*opened)->size(), std::size_t(4));
        auto info = gps::data::describeDataset(path.string());
        QVERIFY(info.ok());
        QCOMPARE(info->format, std::string("idx"));
    }
    void notDetected() {
        QTemporaryDir tmp;
        const fs::path dir = folderOf(tmp);
        gps::test::writeLines(dir / "train-images-idx3-ubyte.txt", {"not idx"});
        QVERIFY(!gps::data::isIdxDataset(dir));
        QVERIFY(!gps::data::isIdxDataset(dir / "train-images-idx3-ubyte.txt"));
        QVERIFY(!gps::data::isIdxDataset(dir / "missing"));
    }

    void corrupt_data();
    void corrupt();

    void fashionMnistInstalled() {
        if (!fs::exists(gps::data::fashionMnistDir()))
            QSKIP("Fashion-MNIST is not installed");
        QElapsedTimer timer;
        timer.start();
        auto train = gps::data::openDataset("fashion-mnist");
        const qint64 trainMs = timer.restart();
        auto test = gps::data::openDataset("fashion-mnist", splitOptions("test"));
        qInfo("Fashion-MNIST load: train %lld ms, test %lld ms", trainMs,
              static_cast<long long>(timer.elapsed()));
        QVERIFY2(train.ok(), train.ok() ? "" : train.error().message.c_str());
        QVERIFY2(test.ok(), test.ok() ? "" : test.error().message.c_str());
        QCOMPARE((*train)->size(), std::size_t(60000));
        QCOMPARE((*test)->size(), std::size_t(10000));
        QCOMPARE((*train)->shape(), (gps::data::ImageShape{28, 28, 1}));
        QCOMPARE((*train)->classNames(), gps::data::fashionMnistClassNames());
        QCOMPARE((*train)->classNames()[9], std::string("Ankle boot"));
        QCOMPARE((*train)->label(0), 9);
        auto info = gps::data::describeDataset("fashion-mnist");
        QVERIFY(info.ok());
        QCOMPARE(info->format, std::string("idx"));
        QCOMPARE(info->splits.size(), std::size_t(2));
        QCOMPARE(info->splits[0].size, std::size_t(60000));
    }
};

// Each row damages the raw files the way real downloads go wrong, then (for gz rows) gzips them.
void TestIdxReader::corrupt_data() {
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<bool>("gzip");
    QTest::addColumn<QString>("split");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("file");       // the message must name this file
    QTest::addColumn<QString>("text");       // and say what was expected or found
    QTest::addColumn<bool>("describeFails"); // header-level damage is seen by describe too
    const QString images = QStringLiteral("train-images-idx3-ubyte");
    const QString labels = QStringLiteral("train-labels-idx1-ubyte");
    // clang-format off
    QTest::newRow("image magic") << "imageMagic" << false << "train" << "corrupt" << images
        << "expected magic 0x00000803, found 0x00000804" << true;
    QTest::newRow("image magic gz") << "imageMagic" << true << "train" << "corrupt" << images
        << "found 0x00000804" << true;
    QTest::newRow("label magic") << "labelMagic" << false << "train" << "corrupt" << labels
        << "expected magic 0x00000801, found 0x00090801" << true;
    QTest::newRow("truncated images") << "cutImages" << false << "train" << "corrupt" << images
        << "expected 16 + 7 x 5 x 6 = 226 bytes for 7 images of 5x6, found 223 (truncated)" << true;
    QTest::newRow("truncated images gz") << "cutImages" << true << "train" << "corrupt" << images
        << "found 223 (truncated)" << false;
    QTest::newRow("trailing image bytes") << "extendImages" << false << "train" << "corrupt"
        << images << "found 228 (trailing bytes)" << true;
    QTest::newRow("truncated labels") << "cutLabels" << false << "train" << "corrupt" << labels
        << "expected 8 + 7 = 15 bytes for 7 labels, found 13" << true;
    QTest::newRow("count mismatch") << "sixLabels" << false << "train" << "corrupt" << labels
        << "holds 6 labels but" << true;
    QTest::newRow("count mismatch gz") << "sixLabels" << true << "train" << "corrupt" << labels
        << "7 images" << true;
    QTest::newRow("label out of range") << "twoClasses" << false << "train" << "corrupt" << labels
        << "label 2 of image 2 is outside the 2 classes" << false;
    QTest::newRow("missing label file") << "noLabels" << false << "train" << "not-found" << images
        << "train-labels-idx1-ubyte[.gz]" << true;
    QTest::newRow("missing split") << "noTest" << false << "test" << "not-found" << "idx"
        << "split 'test' not found" << false;
    QTest::newRow("unknown split") << "" << true << "val" << "not-found" << "idx"
        << "(available: train, test)" << false;
    QTest::newRow("header too short") << "stub" << false << "train" << "corrupt" << images
        << "expected 16 bytes, found 10" << true;
    QTest::newRow("zero rows") << "zeroRows" << false << "train" << "corrupt" << images
        << "implausible image size 0x6" << true;
    QTest::newRow("broken gzip") << "cutGzip" << true << "train" << "corrupt" << images
        << "gzip" << false;
    // clang-format on
}

void TestIdxReader::corrupt() {
    QFETCH(QString, mutation);
    QFETCH(bool, gzip);
    QFETCH(QString, split);
    QFETCH(QString, code);
    QFETCH(QString, file);
    QFETCH(QString, text);
    QFETCH(bool, describeFails);
    QTemporaryDir tmp;
    const fs::path dir = folderOf(tmp);
    writeBothSplits(dir, false);
    const fs::path images = dir / "train-images-idx3-ubyte",
                   labels = dir / "train-labels-idx1-ubyte";
    using namespace gps::test;
    if (mutation == QLatin1String("imageMagic"))
        setByte(images, 3, 0x04);
    else if (mutation == QLatin1String("labelMagic"))
        setByte(labels, 1, 0x09);
    else if (mutation == QLatin1String("cutImages"))
        truncateBy(images, 3);
    else if (mutation == QLatin1String("extendImages")) {
        auto bytes = readBytes(images);
        bytes.insert(bytes.end(), {1, 2});
        writeBytes(images, bytes);
    } else if (mutation == QLatin1String("cutLabels"))
        truncateBy(labels, 2);
    else if (mutation == QLatin1String("sixLabels")) {
        setByte(labels, 7, 6);
        truncateBy(labels, 1);
    } else if (mutation == QLatin1String("twoClasses"))
        writeLines(dir / "classes.txt", {"even", "odd"});
    else if (mutation == QLatin1String("noLabels"))
        fs::remove(labels);
    else if (mutation == QLatin1String("noTest")) {
        fs::remove(dir / "t10k-images-idx3-ubyte");
        fs::remove(dir / "t10k-labels-idx1-ubyte");
    } else if (mutation == QLatin1String("stub"))
        truncateBy(images, fs::file_size(images) - 10);
    else if (mutation == QLatin1String("zeroRows"))
        setByte(images, 11, 0);
    if (gzip)
        for (const auto& entry : std::vector<fs::directory_entry>(fs::directory_iterator(dir),
                                                                  fs::directory_iterator()))
            if (entry.path().filename().string().find("ubyte") != std::string::npos)
                gzipFile(entry.path());
    if (mutation == QLatin1String("cutGzip"))
        truncateBy(dir / "train-images-idx3-ubyte.gz", 20);

    auto opened = gps::data::openIdx(dir, splitOptions(split.toStdString()));
    QVERIFY(!opened.ok());
    const QString message = messageOf(opened.error());
    QCOMPARE(QString::fromLatin1(gps::errorCodeName(opened.error().code)), code);
    QVERIFY2(message.contains(file), qPrintable(message));
    QVERIFY2(message.contains(text), qPrintable(message));
    auto info = gps::data::describeIdx(dir, {});
    QCOMPARE(!info.ok(), describeFails);
    if (!info.ok())
        QCOMPARE(QString::fromLatin1(gps::errorCodeName(info.error().code)), code);
}

QTEST_APPLESS_MAIN(TestIdxReader)
#include "tst_idx_reader.moc"
