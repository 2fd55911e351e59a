#include "data/dataset_open.h"
#include "data/stl10_reader.h"

#include "fixtures_binary.h"
#include "test_data.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cstring>
#include <thread>

namespace fs = std::filesystem;
using gps::data::OpenOptions;
using gps::test::TinyImages;

namespace {

constexpr std::size_t kImageBytes = 27648, kPlane = 9216;

// 11 training images so that the stored labels cover 1..10 and wrap to 1.
const TinyImages& trainImages() {
    static const TinyImages images = gps::test::makeTinyImages(11, 96, 96, 3, 10, 0);
    return images;
}
const TinyImages& testImages() {
    static const TinyImages images = gps::test::makeTinyImages(3, 96, 96, 3, 10, 7);
    return images;
}
const TinyImages& unlabeledImages() {
    static const TinyImages images = gps::test::makeTinyImages(4, 96, 96, 3, 0, 11);
    return images;
}

fs::path stlDir(const QTemporaryDir& tmp, bool withUnlabeled = true) {
    const fs::path dir = fs::path(tmp.path().toStdString()) / "stl10_binary";
    gps::test::writeStl10(dir, trainImages(), testImages(),
                          withUnlabeled ? &unlabeledImages() : nullptr);
    return dir;
}

const TinyImages& imagesOf(const std::string& split) {
    return split == "train" ? trainImages() : split == "test" ? testImages() : unlabeledImages();
}

OpenOptions options(const std::string& split, std::size_t limit = 0,
                    std::size_t budget = OpenOptions{}.memoryBudgetBytes) {
    OpenOptions result;
    result.split = split;
    result.limit = limit;
    result.memoryBudgetBytes = budget;
    return result;
}

QString codeName(gps::ErrorCode code) {
    return QString::fromLatin1(gps::errorCodeName(code));
}

// Pixels where a transposed read differs (pattern y·7 + x·3 is not symmetric), in every channel.
void comparePixels(const gps::data::Dataset& dataset, const TinyImages& expected, int count) {
    for (int i = 0; i < count; ++i) {
        const cv::Mat image = dataset.image(i);
        QCOMPARE(image.rows, 96);
        QCOMPARE(image.cols, 96);
        QCOMPARE(image.channels(), 3);
        QVERIFY(image.isContinuous());
        const std::size_t offset = std::size_t(i) * kImageBytes;
        QVERIFY2(std::memcmp(image.data, expected.pixels.data() + offset, kImageBytes) == 0,
                 qPrintable(QStringLiteral("image %1 differs").arg(i)));
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(image.at<cv::Vec3b>(0, 95)[c], expected.at(i, 0, 95, c));
            QCOMPARE(image.at<cv::Vec3b>(95, 0)[c], expected.at(i, 95, 0, c));
            QCOMPARE(image.at<cv::Vec3b>(10, 60)[c], expected.at(i, 10, 60, c));
        }
    }
}

} // namespace

class TestStl10Reader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<QString>("split");
        QTest::addColumn<QString>("served"); // the split name the dataset reports
        // clang-format off
        QTest::newRow("train") << "train" << "train";
        QTest::newRow("test") << "test" << "test";
        QTest::newRow("unlabeled") << "unlabeled" << "unlabeled";
        QTest::newRow("unlabelled spelling") << "unlabelled" << "unlabeled";
        // clang-format on
    }
    void roundTrip() {
        QFETCH(QString, split);
        QFETCH(QString, served);
        QTemporaryDir tmp;
        const fs::path dir = stlDir(tmp);
        const TinyImages& expected = imagesOf(served.toStdString());
        const bool labelled = served != QLatin1String("unlabeled");
        auto opened = gps::data::openStl10(dir, options(split.toStdString()));
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        const auto& dataset = **opened;
        QCOMPARE(dataset.size(), std::size_t(expected.count));
        QCOMPARE(dataset.shape(), (gps::data::ImageShape{96, 96, 3}));
        QCOMPARE(dataset.format(), std::string("stl10"));
        QCOMPARE(QString::fromStdString(dataset.split()), served);
        QCOMPARE(dataset.labelled(), labelled);
        QCOMPARE(dataset.classNames().size(), std::size_t(labelled ? 10 : 0));
        QVERIFY(dataset.block() != nullptr);
        for (int i = 0; i < expected.count; ++i)
            QCOMPARE(dataset.label(i), labelled ? expected.labels[i] : gps::data::kNoLabel);
        comparePixels(dataset, expected, expected.count);

        // The fixture follows the format: channel planes, column-major, labels 1-based.
        const std::string stem =
            served == QLatin1String("unlabeled") ? "unlabeled" : served.toStdString();
        const auto raw = gps::test::readBytes(dir / (stem + "_X.bin"));
        QCOMPARE(raw.size(), expected.count * kImageBytes);
        QCOMPARE(raw[2 * kImageBytes + 1 * kPlane + 60 * 96 + 10], expected.at(2, 10, 60, 1));
        if (labelled) {
            const auto labels = gps::test::readBytes(dir / (stem + "_y.bin"));
            QCOMPARE(int(labels[2]), expected.labels[2] + 1);
        }
    }

    void labelsCoverOneToTen() {
        QTemporaryDir tmp;
        const fs::path dir = stlDir(tmp);
        const auto stored = gps::test::readBytes(dir / "train_y.bin");
        QCOMPARE(int(*std::min_element(stored.begin(), stored.end())), 1);
        QCOMPARE(int(*std::max_element(stored.begin(), stored.end())), 10);
        auto opened = gps::data::openStl10(dir, options("train"));
        QVERIFY(opened.ok());
        QCOMPARE((*opened)->label(0), 0);
        QCOMPARE((*opened)->label(9), 9);
        QCOMPARE((*opened)->label(10), 0);
    }

    void lazy_data() {
        QTest::addColumn<QString>("split");
        QTest::addColumn<int>("limit");
        // clang-format off
        QTest::newRow("train") << "train" << 0;
        QTest::newRow("train limited") << "train" << 4;
        QTest::newRow("unlabeled") << "unlabeled" << 0;
        // clang-format on
    }
    void lazy() {
        QFETCH(QString, split);
        QFETCH(int, limit);
        QTemporaryDir tmp;
        const fs::path dir = stlDir(tmp);
        auto inMemory = gps::data::openStl10(dir, options(split.toStdString(), limit));
        auto lazy = gps::data::openStl10(dir, options(split.toStdString(), limit, 1));
        QVERIFY(inMemory.ok() && lazy.ok());
        const auto& eager = **inMemory;
        const auto& onDemand = **lazy;
        QVERIFY(eager.block() != nullptr);
        QVERIFY(onDemand.block() == nullptr);
        QCOMPARE(onDemand.size(), eager.size());
        QCOMPARE(onDemand.shape(), eager.shape());
        QCOMPARE(onDemand.split(), eager.split());
        QCOMPARE(onDemand.format(), eager.format());
        QCOMPARE(onDemand.labelled(), eager.labelled());
        QCOMPARE(onDemand.classNames(), eager.classNames());
        for (std::size_t i = 0; i < eager.size(); ++i)
            QCOMPARE(onDemand.label(i), eager.label(i));
        comparePixels(onDemand, imagesOf(onDemand.split()), int(onDemand.size()));

        // Several threads reading at once: pread shares no offset, so every image stays right.
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int round = 0; round < 20; ++round)
                    for (std::size_t i = 0; i < eager.size(); ++i) {
                        const std::size_t k = (i + t + round) % eager.size();
                        const cv::Mat a = onDemand.image(k), b = eager.image(k);
                        wrong += std::memcmp(a.data, b.data, kImageBytes) != 0;
                    }
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(wrong.load(), 0);
        QVERIFY(onDemand.warnings().empty());
    }

    void budgetBoundary_data() {
        QTest::addColumn<qulonglong>("budget");
        QTest::addColumn<bool>("inMemory");
        // clang-format off
        QTest::newRow("exactly the split") << qulonglong(11 * kImageBytes) << true;
        QTest::newRow("one byte short") << qulonglong(11 * kImageBytes - 1) << false;
        // clang-format on
    }
    void budgetBoundary() {
        QFETCH(qulonglong, budget);
        QFETCH(bool, inMemory);
        QTemporaryDir tmp;
        auto opened = gps::data::openStl10(stlDir(tmp), options("train", 0, budget));
        QVERIFY(opened.ok());
        QCOMPARE((*opened)->block() != nullptr, inMemory);
    }

    void limit() {
        QTemporaryDir tmp;
        auto opened = gps::data::openStl10(stlDir(tmp), options("test", 2));
        QVERIFY(opened.ok());
        QCOMPARE((*opened)->size(), std::size_t(2));
        QCOMPARE((*opened)->block()->bytes(), 2 * kImageBytes);
        QCOMPARE((*opened)->label(1), testImages().labels[1]);
        comparePixels(**opened, testImages(), 2);
    }

    void describe_data() {
        QTest::addColumn<bool>("labelledSplits");
        QTest::addColumn<bool>("namesFile");
        // clang-format off
        QTest::newRow("all splits") << true << false;
        QTest::newRow("all splits, class_names.txt") << true << true;
        QTest::newRow("unlabeled only") << false << false;
        // clang-format on
    }
    void describe() {
        QFETCH(bool, labelledSplits);
        QFETCH(bool, namesFile);
        QTemporaryDir tmp;
        const fs::path dir = stlDir(tmp);
        if (!labelledSplits)
            for (const char* name : {"train_X.bin", "train_y.bin", "test_X.bin", "test_y.bin"})
                fs::remove(dir / name);
        const std::vector<std::string> names{"airplane", "bird",  "car",    "cat",  "deer",
                                             "dog",      "horse", "monkey", "ship", "truck"};
        if (namesFile)
            gps::test::writeLines(dir / "class_names.txt", names);
        auto info = gps::data::describeStl10(dir, {});
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->format, std::string("stl10"));
        QCOMPARE(info->shape, (gps::data::ImageShape{96, 96, 3}));
        QCOMPARE(info->labelled, labelledSplits);
        std::vector<std::pair<std::string, std::size_t>> splits;
        for (const auto& split : info->splits)
            splits.emplace_back(split.name, split.size);
        using Splits = decltype(splits);
        const Splits expected = labelledSplits
                                    ? Splits{{"train", 11}, {"test", 3}, {"unlabeled", 4}}
                                    : Splits{{"unlabeled", 4}};
        QCOMPARE(splits, expected);
        QCOMPARE(info->classNames.size(), std::size_t(labelledSplits ? 10 : 0));
        if (namesFile) {
            QCOMPARE(info->classNames, names);
            auto opened = gps::data::openStl10(dir, options("test"));
            QVERIFY(opened.ok());
            QCOMPARE((*opened)->classNames(), names);
        }
    }

    void detection_data() {
        QTest::addColumn<bool>("labelledSplits");
        // clang-format off
        QTest::newRow("all splits") << true;
        QTest::newRow("unlabeled only") << false;
        // clang-format on
    }
    void detection() {
        QFETCH(bool, labelledSplits);
        QTemporaryDir tmp;
        const fs::path dir = stlDir(tmp);
        if (!labelledSplits)
            for (const char* name : {"train_X.bin", "train_y.bin", "test_X.bin", "test_y.bin"})
                fs::remove(dir / name);
        QVERIFY(gps::data::isStl10Dataset(dir));
        auto format = gps::data::detectFormat(dir);
        QVERIFY2(format.ok(), format.ok() ? "" : format.error().message.c_str());
        QCOMPARE(*format, std::string("stl10"));
        auto opened =
            gps::data::openDataset(dir.string(), options(labelledSplits ? "train" : "unlabeled"));
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QCOMPARE((*opened)->size(), std::size_t(labelledSplits ? 11 : 4));
        QVERIFY(!gps::data::isStl10Dataset(dir / "train_X.bin"));
        QVERIFY(!gps::data::isStl10Dataset(dir.parent_path()));
    }

    void corrupt_data();
    void corrupt();
};

void TestStl10Reader::corrupt_data() {
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<QString>("split");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("file"); // the message must name this file
    QTest::addColumn<QString>("text"); // and say what was expected and found
    QTest::addColumn<bool>("describeFails");
    // clang-format off
    QTest::newRow("truncated train_X") << "cutTrainX" << "train" << "corrupt" << "train_X.bin"
        << "expected a multiple of 27648 bytes (96x96x3 per image), "
           "found 304121 = 10 images + 27641 bytes" << true;
    QTest::newRow("truncated unlabeled_X") << "cutUnlabeled" << "unlabeled" << "corrupt"
        << "unlabeled_X.bin" << "found 82943 = 2 images + 27647 bytes" << true;
    QTest::newRow("label count mismatch") << "cutTrainY" << "train" << "corrupt" << "train_y.bin"
        << "holds 10 labels but" << true;
    QTest::newRow("missing label file") << "noTestY" << "test" << "not-found" << "test_y.bin"
        << "label file missing" << true;
    QTest::newRow("label 0") << "label0" << "train" << "corrupt" << "train_y.bin"
        << "label 0 of image 2 is outside 1 to 10" << false;
    QTest::newRow("label 11") << "label11" << "train" << "corrupt" << "train_y.bin"
        << "label 11 of image 5 is outside 1 to 10" << false;
    QTest::newRow("missing split") << "noTest" << "test" << "not-found" << "stl10_binary"
        << "split 'test' not found" << false;
    QTest::newRow("unknown split") << "" << "val" << "not-found" << "stl10_binary"
        << "(available: train, test, unlabeled)" << false;
    // clang-format on
}

void TestStl10Reader::corrupt() {
    QFETCH(QString, mutation);
    QFETCH(QString, split);
    QFETCH(QString, code);
    QFETCH(QString, file);
    QFETCH(QString, text);
    QFETCH(bool, describeFails);
    QTemporaryDir tmp;
    const fs::path dir = stlDir(tmp);
    using namespace gps::test;
    if (mutation == QLatin1String("cutTrainX"))
        truncateBy(dir / "train_X.bin", 7);
    else if (mutation == QLatin1String("cutUnlabeled"))
        truncateBy(dir / "unlabeled_X.bin", kImageBytes + 1);
    else if (mutation == QLatin1String("cutTrainY"))
        truncateBy(dir / "train_y.bin", 1);
    else if (mutation == QLatin1String("noTestY"))
        fs::remove(dir / "test_y.bin");
    else if (mutation == QLatin1String("label0"))
        setByte(dir / "train_y.bin", 2, 0);
    else if (mutation == QLatin1String("label11"))
        setByte(dir / "train_y.bin", 5, 11);
    else if (mutation == QLatin1String("noTest")) {
        fs::remove(dir / "test_X.bin");
        fs::remove(dir / "test_y.bin");
    }
    // The lazy path must refuse the same files with the same error.
    for (std::size_t budget : {OpenOptions{}.memoryBudgetBytes, std::size_t(1)}) {
        auto opened = gps::data::openStl10(dir, options(split.toStdString(), 0, budget));
        QVERIFY(!opened.ok());
        const QString message = QString::fromStdString(opened.error().message);
        QCOMPARE(codeName(opened.error().code), code);
        QVERIFY2(message.contains(file), qPrintable(message));
        QVERIFY2(message.contains(text), qPrintable(message));
    }
    auto info = gps::data::describeStl10(dir, {});
    QCOMPARE(!info.ok(), describeFails);
    if (!info.ok())
        QCOMPARE(codeName(info.error().code), code);
}

QTEST_APPLESS_MAIN(TestStl10Reader)
#include "tst_stl10_reader.moc"
