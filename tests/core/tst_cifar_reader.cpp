#include "data/cifar_reader.h"
#include "data/dataset_open.h"

#include "fixtures_binary.h"
#include "test_data.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

namespace fs = std::filesystem;
using gps::data::OpenOptions;
using gps::test::TinyImages;

namespace {

constexpr std::size_t kRecord10 = 3073, kRecord100 = 3074;

// 12 training images land in five batches of 2, 2, 3, 2, 3: order across batches is tested.
const TinyImages& train10() {
    static const TinyImages images = gps::test::makeTinyImages(12, 32, 32, 3, 10, 0);
    return images;
}
const TinyImages& test10() {
    static const TinyImages images = gps::test::makeTinyImages(5, 32, 32, 3, 10, 3);
    return images;
}
// Fine labels 0..5 of 100 (i mod 100); coarse labels chosen to differ from the fine ones.
const TinyImages& train100() {
    static const TinyImages images = gps::test::makeTinyImages(6, 32, 32, 3, 100, 1);
    return images;
}
const TinyImages& test100() {
    static const TinyImages images = gps::test::makeTinyImages(3, 32, 32, 3, 100, 2);
    return images;
}
const std::vector<int> kCoarseTrain{19, 0, 7, 3, 19, 12};
const std::vector<int> kCoarseTest{1, 2, 18};

fs::path cifar10Dir(const QTemporaryDir& tmp) {
    const fs::path dir = fs::path(tmp.path().toStdString()) / "cifar-10-batches-bin";
    gps::test::writeCifar10(dir, train10(), test10());
    return dir;
}
fs::path cifar100Dir(const QTemporaryDir& tmp) {
    const fs::path dir = fs::path(tmp.path().toStdString()) / "cifar-100-binary";
    gps::test::writeCifar100(dir, train100(), test100(), kCoarseTrain, kCoarseTest);
    return dir;
}

OpenOptions options(const std::string& split, const std::string& labelSet = "fine",
                    std::size_t limit = 0) {
    OpenOptions result;
    result.split = split;
    result.labelSet = labelSet;
    result.limit = limit;
    return result;
}

QString codeName(gps::ErrorCode code) {
    return QString::fromLatin1(gps::errorCodeName(code));
}

// Every pixel through the block, and a few through image() in RGB order.
void comparePixels(const gps::data::Dataset& dataset, const TinyImages& expected, int count) {
    QVERIFY(dataset.block() != nullptr);
    const std::size_t bytes = std::size_t(count) * 32 * 32 * 3;
    QCOMPARE(dataset.block()->bytes(), bytes);
    QVERIFY(std::memcmp(dataset.block()->data(), expected.pixels.data(), bytes) == 0);
    for (int i = 0; i < count; ++i)
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(dataset.image(i).at<cv::Vec3b>(0, 31)[c], expected.at(i, 0, 31, c));
            QCOMPARE(dataset.image(i).at<cv::Vec3b>(17, 2)[c], expected.at(i, 17, 2, c));
        }
}

} // namespace

class TestCifarReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cifar10RoundTrip_data() {
        QTest::addColumn<QString>("split");
        // clang-format off
        QTest::newRow("train over five batches") << "train";
        QTest::newRow("test") << "test";
        // clang-format on
    }
    void cifar10RoundTrip() {
        QFETCH(QString, split);
        QTemporaryDir tmp;
        const fs::path dir = cifar10Dir(tmp);
        const bool train = split == QLatin1String("train");
        const TinyImages& expected = train ? train10() : test10();
        auto opened = gps::data::openCifar10(dir, options(split.toStdString()));
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        const auto& dataset = **opened;
        QCOMPARE(dataset.size(), std::size_t(expected.count));
        QCOMPARE(dataset.shape(), (gps::data::ImageShape{32, 32, 3}));
        QCOMPARE(dataset.format(), std::string("cifar10"));
        QCOMPARE(dataset.split(), split.toStdString());
        QCOMPARE(dataset.classNames().size(), std::size_t(10));
        QCOMPARE(dataset.classNames()[9], std::string("9"));
        for (int i = 0; i < expected.count; ++i)
            QCOMPARE(dataset.label(i), expected.labels[i]);
        comparePixels(dataset, expected, expected.count);
        // The fixture follows the format: label byte, then R, G, B planes of 32 × 32.
        const auto raw =
            gps::test::readBytes(dir / (train ? "data_batch_2.bin" : "test_batch.bin"));
        const int first = train ? 2 : 0; // data_batch_2 starts at image 2
        QCOMPARE(raw.size(), (train ? 2 : 5) * kRecord10);
        QCOMPARE(int(raw[kRecord10]), expected.labels[first + 1]);
        QCOMPARE(raw[kRecord10 + 1 + 2 * 1024 + 5 * 32 + 7], expected.at(first + 1, 5, 7, 2));
    }

    void cifar10ClassNamesFromMeta() {
        QTemporaryDir tmp;
        const fs::path dir = cifar10Dir(tmp);
        // The real batches.meta.txt ends with blank lines.
        const std::vector<std::string> names{"airplane", "automobile", "bird",  "cat",  "deer",
                                             "dog",      "frog",       "horse", "ship", "truck"};
        auto lines = names;
        lines.insert(lines.end(), {"", ""});
        gps::test::writeLines(dir / "batches.meta.txt", lines);
        auto opened = gps::data::openCifar10(dir, options("test"));
        QVERIFY(opened.ok());
        QCOMPARE((*opened)->classNames(), names);
        auto info = gps::data::describeCifar10(dir, {});
        QVERIFY(info.ok());
        QCOMPARE(info->classNames, names);
        QVERIFY(info->warnings.empty());
    }

    void cifar100RoundTrip_data() {
        QTest::addColumn<QString>("split");
        QTest::addColumn<QString>("labelSet");
        QTest::addColumn<bool>("namesFiles");
        // clang-format off
        QTest::newRow("train fine") << "train" << "fine" << false;
        QTest::newRow("train coarse") << "train" << "coarse" << false;
        QTest::newRow("test fine named") << "test" << "fine" << true;
        QTest::newRow("test coarse named") << "test" << "coarse" << true;
        // clang-format on
    }
    void cifar100RoundTrip() {
        QFETCH(QString, split);
        QFETCH(QString, labelSet);
        QFETCH(bool, namesFiles);
        QTemporaryDir tmp;
        const fs::path dir = cifar100Dir(tmp);
        const bool train = split == QLatin1String("train"),
                   fine = labelSet == QLatin1String("fine");
        const int classes = fine ? 100 : 20;
        std::vector<std::string> names;
        for (int k = 0; k < classes; ++k)
            names.push_back((fine ? "fine-" : "coarse-") + std::to_string(k));
        if (namesFiles) {
            std::vector<std::string> other(fine ? 20 : 100, "wrong");
            gps::test::writeLines(dir / "fine_label_names.txt", fine ? names : other);
            gps::test::writeLines(dir / "coarse_label_names.txt", fine ? other : names);
        }
        const TinyImages& expected = train ? train100() : test100();
        const std::vector<int>& coarse = train ? kCoarseTrain : kCoarseTest;
        auto opened =
            gps::data::openCifar100(dir, options(split.toStdString(), labelSet.toStdString()));
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        const auto& dataset = **opened;
        QCOMPARE(dataset.size(), std::size_t(expected.count));
        QCOMPARE(dataset.format(), std::string("cifar100"));
        QCOMPARE(dataset.classNames().size(), std::size_t(classes));
        if (namesFiles)
            QCOMPARE(dataset.classNames(), names);
        for (int i = 0; i < expected.count; ++i)
            QCOMPARE(dataset.label(i), fine ? expected.labels[i] : coarse[i]);
        comparePixels(dataset, expected, expected.count);
        const auto raw = gps::test::readBytes(dir / (train ? "train.bin" : "test.bin"));
        QCOMPARE(int(raw[kRecord100]), coarse[1]);
        QCOMPARE(int(raw[kRecord100 + 1]), expected.labels[1]);
        QCOMPARE(raw[kRecord100 + 2 + 1024 + 31 * 32], expected.at(1, 31, 0, 1));
    }

    void cifar100BadLabelSet() {
        QTemporaryDir tmp;
        const fs::path dir = cifar100Dir(tmp);
        auto opened = gps::data::openCifar100(dir, options("train", "medium"));
        QVERIFY(!opened.ok());
        QCOMPARE(codeName(opened.error().code), codeName(gps::ErrorCode::InvalidInput));
        const QString message = QString::fromStdString(opened.error().message);
        QVERIFY2(message.contains(QLatin1String("'medium'")) &&
                     message.contains(QLatin1String("fine")) &&
                     message.contains(QLatin1String("coarse")),
                 qPrintable(message));
        auto info = gps::data::describeCifar100(dir, options("train", "medium"));
        QVERIFY(!info.ok());
        QCOMPARE(codeName(info.error().code), codeName(gps::ErrorCode::InvalidInput));
    }

    void limit_data() {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("expected");
        // clang-format off
        QTest::newRow("all") << 0 << 12;
        QTest::newRow("inside the second batch") << 3 << 3;
        QTest::newRow("end of the third batch") << 7 << 7;
        QTest::newRow("more than there are") << 50 << 12;
        // clang-format on
    }
    void limit() {
        QFETCH(int, limit);
        QFETCH(int, expected);
        QTemporaryDir tmp;
        auto opened = gps::data::openCifar10(cifar10Dir(tmp), options("train", "fine", limit));
        QVERIFY(opened.ok());
        QCOMPARE((*opened)->size(), std::size_t(expected));
        QCOMPARE((*opened)->label(expected - 1), train10().labels[expected - 1]);
        comparePixels(**opened, train10(), expected);
    }

    void describeReadsSizesOnly() {
        QTemporaryDir tmp;
        const fs::path dir10 = cifar10Dir(tmp), dir100 = cifar100Dir(tmp);
        // A bad label inside a record: only a full read notices, describe must not read it.
        gps::test::setByte(dir10 / "test_batch.bin", 2 * kRecord10, 10);
        auto info = gps::data::describeCifar10(dir10, {});
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->format, std::string("cifar10"));
        QCOMPARE(info->splits.size(), std::size_t(2));
        QCOMPARE(info->splits[0].name, std::string("train"));
        QCOMPARE(info->splits[0].size, std::size_t(12));
        QCOMPARE(info->splits[1].name, std::string("test"));
        QCOMPARE(info->splits[1].size, std::size_t(5));
        QCOMPARE(info->shape, (gps::data::ImageShape{32, 32, 3}));
        QCOMPARE(info->classNames.size(), std::size_t(10));
        QVERIFY(info->labelled);
        QVERIFY(!gps::data::openCifar10(dir10, options("test")).ok());

        for (const auto& [labelSet, classes] : {std::pair{"fine", 100}, {"coarse", 20}}) {
            auto info100 = gps::data::describeCifar100(dir100, options("train", labelSet));
            QVERIFY(info100.ok());
            QCOMPARE(info100->format, std::string("cifar100"));
            QCOMPARE(info100->splits[0].size, std::size_t(6));
            QCOMPARE(info100->splits[1].size, std::size_t(3));
            QCOMPARE(info100->classNames.size(), std::size_t(classes));
        }
    }

    void detection_data();
    void detection();
    void corrupt_data();
    void corrupt();
};

void TestCifarReader::detection_data() {
    QTest::addColumn<QString>("layout");
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("matches"); // false: detection must not claim `format`
    // clang-format off
    QTest::newRow("cifar-10") << "cifar10" << "cifar10" << true;
    QTest::newRow("cifar-10 test only") << "cifar10TestOnly" << "cifar10" << true;
    QTest::newRow("cifar-100") << "cifar100" << "cifar100" << true;
    QTest::newRow("cifar-100 train only") << "cifar100TrainOnly" << "cifar100" << true;
    QTest::newRow("train.bin beside data_batch_1") << "mixed" << "cifar10" << true;
    QTest::newRow("train.bin of another size") << "oddSize" << "cifar100" << false;
    // clang-format on
}

void TestCifarReader::detection() {
    QFETCH(QString, layout);
    QFETCH(QString, format);
    QFETCH(bool, matches);
    QTemporaryDir tmp;
    const bool ten = layout.startsWith(QLatin1String("cifar10")) &&
                     !layout.startsWith(QLatin1String("cifar100"));
    const fs::path dir = ten ? cifar10Dir(tmp) : cifar100Dir(tmp);
    if (layout == QLatin1String("cifar10TestOnly"))
        for (int k = 1; k <= 5; ++k)
            fs::remove(dir / ("data_batch_" + std::to_string(k) + ".bin"));
    if (layout == QLatin1String("cifar100TrainOnly"))
        fs::remove(dir / "test.bin");
    if (layout == QLatin1String("mixed"))
        gps::test::writeCifar10(dir, train10(), TinyImages{}); // no test_batch.bin
    if (layout == QLatin1String("oddSize")) {
        fs::remove(dir / "test.bin");
        gps::test::truncateBy(dir / "train.bin", 1);
    }
    QCOMPARE(gps::data::isCifar100Dataset(dir), format == QLatin1String("cifar100") && matches);
    auto detected = gps::data::detectFormat(dir);
    if (!matches) {
        QVERIFY(!detected.ok() || *detected != format.toStdString());
        return;
    }
    QVERIFY2(detected.ok(), detected.ok() ? "" : detected.error().message.c_str());
    QCOMPARE(QString::fromStdString(*detected), format);
    const std::string split = layout == QLatin1String("cifar10TestOnly") ? "test" : "train";
    auto opened = gps::data::openDataset(dir.string(), options(split));
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
    QCOMPARE(QString::fromStdString((*opened)->format()), format);
    QVERIFY((*opened)->size() > 0);
}

void TestCifarReader::corrupt_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<QString>("split");
    QTest::addColumn<QString>("labelSet");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("file"); // the message must name this file
    QTest::addColumn<QString>("text"); // and say what was expected and found
    QTest::addColumn<bool>("describeFails");
    // clang-format off
    QTest::newRow("10: truncated batch")
        << "cifar10" << "cutBatch3" << "train" << "fine" << "corrupt" << "data_batch_3.bin"
        << "expected a multiple of 3073 bytes (1 label byte(s) + 3072 pixels per image), "
           "found 9214 = 2 records + 3068 bytes" << true;
    QTest::newRow("10: label out of range")
        << "cifar10" << "label10" << "test" << "fine" << "corrupt" << "test_batch.bin"
        << "label 10 of record 2 is outside the 10 classes (expected 0 to 9)" << false;
    QTest::newRow("10: fewer names than labels")
        << "cifar10" << "threeNames" << "train" << "fine" << "corrupt" << "data_batch_2.bin"
        << "label 3 of record 1 is outside the 3 classes" << false;
    QTest::newRow("10: missing middle batch")
        << "cifar10" << "noBatch2" << "train" << "fine" << "not-found" << "data_batch_2.bin"
        << "missing, but data_batch_3.bin exists" << true;
    QTest::newRow("10: missing split")
        << "cifar10" << "noTest" << "test" << "fine" << "not-found" << "cifar-10-batches-bin"
        << "split 'test' not found" << false;
    QTest::newRow("100: truncated train")
        << "cifar100" << "cutTrain" << "train" << "fine" << "corrupt" << "train.bin"
        << "expected a multiple of 3074 bytes" << true;
    QTest::newRow("100: fine label out of range")
        << "cifar100" << "fine100" << "train" << "fine" << "corrupt" << "train.bin"
        << "fine label 100 of record 4 is outside the 100 classes" << false;
    QTest::newRow("100: coarse label out of range")
        << "cifar100" << "coarse20" << "train" << "coarse" << "corrupt" << "train.bin"
        << "coarse label 20 of record 2 is outside the 20 classes" << false;
    QTest::newRow("100: missing split")
        << "cifar100" << "noTest" << "test" << "coarse" << "not-found" << "cifar-100-binary"
        << "(available: train)" << false;
    // clang-format on
}

void TestCifarReader::corrupt() {
    QFETCH(QString, format);
    QFETCH(QString, mutation);
    QFETCH(QString, split);
    QFETCH(QString, labelSet);
    QFETCH(QString, code);
    QFETCH(QString, file);
    QFETCH(QString, text);
    QFETCH(bool, describeFails);
    QTemporaryDir tmp;
    const bool ten = format == QLatin1String("cifar10");
    const fs::path dir = ten ? cifar10Dir(tmp) : cifar100Dir(tmp);
    using namespace gps::test;
    if (mutation == QLatin1String("cutBatch3"))
        truncateBy(dir / "data_batch_3.bin", 5);
    else if (mutation == QLatin1String("label10"))
        setByte(dir / "test_batch.bin", 2 * kRecord10, 10);
    else if (mutation == QLatin1String("threeNames"))
        writeLines(dir / "batches.meta.txt", {"a", "b", "c"});
    else if (mutation == QLatin1String("noBatch2"))
        fs::remove(dir / "data_batch_2.bin");
    else if (mutation == QLatin1String("noTest"))
        fs::remove(dir / (ten ? "test_batch.bin" : "test.bin"));
    else if (mutation == QLatin1String("cutTrain"))
        truncateBy(dir / "train.bin", 1);
    else if (mutation == QLatin1String("fine100"))
        setByte(dir / "train.bin", 4 * kRecord100 + 1, 100);
    else if (mutation == QLatin1String("coarse20"))
        setByte(dir / "train.bin", 2 * kRecord100, 20);

    const OpenOptions opts = options(split.toStdString(), labelSet.toStdString());
    auto opened = ten ? gps::data::openCifar10(dir, opts) : gps::data::openCifar100(dir, opts);
    QVERIFY(!opened.ok());
    const QString message = QString::fromStdString(opened.error().message);
    QCOMPARE(codeName(opened.error().code), code);
    QVERIFY2(message.contains(file), qPrintable(message));
    QVERIFY2(message.contains(text), qPrintable(message));
    auto info =
        ten ? gps::data::describeCifar10(dir, opts) : gps::data::describeCifar100(dir, opts);
    QCOMPARE(!info.ok(), describeFails);
    if (!info.ok())
        QCOMPARE(codeName(info.error().code), code);
}

QTEST_APPLESS_MAIN(TestCifarReader)
#include "tst_cifar_reader.moc"
