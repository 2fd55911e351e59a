#include "common/npy.h"
#include "data/dataset_open.h"
#include "data/label_pattern.h"
#include "data/npz_reader.h"
#include "fixtures_npz.h"
#include "test_data.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>

using gps::ErrorCode;
using gps::data::OpenOptions;
using gps::test::TinyImages;
using Bytes = std::vector<std::uint8_t>;
using Entries = std::vector<std::pair<std::string, Bytes>>;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(ErrorCode)

namespace {

bool samePixels(const gps::data::Dataset& dataset, const TinyImages& images) {
    if (dataset.size() != std::size_t(images.count))
        return false;
    for (int i = 0; i < images.count; ++i) {
        const cv::Mat image = dataset.image(std::size_t(i));
        for (int y = 0; y < images.height; ++y)
            for (int x = 0; x < images.width; ++x)
                for (int c = 0; c < images.channels; ++c)
                    if (image.ptr<std::uint8_t>(y)[x * images.channels + c] !=
                        images.at(i, y, x, c))
                        return false;
    }
    return true;
}

template <class T>
Bytes npyOf(const std::string& dtype, std::vector<std::int64_t> shape,
            const std::vector<T>& values) {
    return gps::encodeNpy(dtype, shape, values.data(), values.size() * sizeof(T));
}

QString messageOf(const gps::Error& error) {
    return QString::fromStdString(error.message);
}

} // namespace

class TestNpzReader : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    fs::path path(const char* name) const {
        return m_dir.filePath(QString::fromUtf8(name)).toStdString();
    }

private Q_SLOTS:
    void opensEverySplit_data() {
        QTest::addColumn<bool>("compressed");
        QTest::addColumn<int>("channels");
        QTest::newRow("compressed grey") << true << 1;
        QTest::newRow("stored grey") << false << 1;
        QTest::newRow("compressed rgb") << true << 3;
        QTest::newRow("stored rgb") << false << 3;
    }
    void opensEverySplit() {
        QFETCH(bool, compressed);
        QFETCH(int, channels);
        const TinyImages train = gps::test::makeTinyImages(10, 5, 4, channels, 3, 0);
        const TinyImages val = gps::test::makeTinyImages(4, 5, 4, channels, 3, 50);
        const TinyImages test = gps::test::makeTinyImages(6, 5, 4, channels, 3, 100);
        const fs::path file = path("splits.npz");
        gps::test::writeMedMnist(file, train, val, test, compressed);

        const std::pair<const char*, const TinyImages*> splits[] = {
            {"train", &train}, {"val", &val}, {"test", &test}};
        for (const auto& [name, images] : splits) {
            OpenOptions options;
            options.split = name;
            auto dataset = gps::data::openMedMnist(file, options);
            QVERIFY2(dataset.ok(), dataset.ok() ? "" : dataset.error().message.c_str());
            const auto& d = **dataset;
            QCOMPARE(d.split(), std::string(name));
            QCOMPARE(d.format(), std::string("medmnist"));
            QCOMPARE(d.shape(), (gps::data::ImageShape{5, 4, channels}));
            QVERIFY(d.block() != nullptr);
            QVERIFY(samePixels(d, *images));
            QVERIFY(d.labelled());
            QCOMPARE(d.classNames(), (std::vector<std::string>{"0", "1", "2"}));
            for (int i = 0; i < images->count; ++i)
                QCOMPARE(d.label(std::size_t(i)), images->labels[std::size_t(i)]);
            QVERIFY(d.warnings().empty());
        }
    }

    void labelShapesAndDtypes_data() {
        QTest::addColumn<Bytes>("labels");
        const std::vector<std::int64_t> i8 = {2, 0, 1, 4};
        const std::vector<std::int16_t> i2 = {2, 0, 1, 4};
        const std::vector<std::uint32_t> u4 = {2, 0, 1, 4};
        const std::vector<std::uint8_t> u1 = {2, 0, 1, 4};
        const std::vector<std::int8_t> i1 = {2, 0, 1, 4};
        QTest::newRow("(N,) int64") << npyOf("<i8", {4}, i8);
        QTest::newRow("(N, 1) int16") << npyOf("<i2", {4, 1}, i2);
        QTest::newRow("(N, 1) uint32") << npyOf("<u4", {4, 1}, u4);
        QTest::newRow("(N,) uint8") << npyOf("|u1", {4}, u1);
        QTest::newRow("(N, 1) int8") << npyOf("|i1", {4, 1}, i1);
    }
    void labelShapesAndDtypes() {
        QFETCH(Bytes, labels);
        const TinyImages images = gps::test::makeTinyImages(4, 3, 3, 1, 5);
        const fs::path file = path("labels.npz");
        gps::test::writeNpz(file,
                            {{"train_images.npy", gps::test::medMnistImagesNpy(images)},
                             {"train_labels.npy", labels}},
                            true);
        auto dataset = gps::data::openMedMnist(file, {});
        QVERIFY2(dataset.ok(), dataset.ok() ? "" : dataset.error().message.c_str());
        const std::vector<int> expected = {2, 0, 1, 4};
        for (std::size_t i = 0; i < expected.size(); ++i)
            QCOMPARE((*dataset)->label(i), expected[i]);
        QCOMPARE((*dataset)->classNames().size(), std::size_t(5));
    }

    // Labels are decoded in chunks of 65536: values and error indices must carry across them.
    void labelsAcrossChunks() {
        constexpr int kCount = 70001;
        const Bytes pixels(kCount, 7);
        std::vector<std::int16_t> labels(kCount);
        for (int i = 0; i < kCount; ++i)
            labels[std::size_t(i)] = std::int16_t(i % 7);
        const fs::path file = path("chunks.npz");
        const Bytes images = npyOf("|u1", {kCount, 1, 1}, pixels);
        gps::test::writeNpz(
            file,
            {{"train_images.npy", images}, {"train_labels.npy", npyOf("<i2", {kCount}, labels)}},
            true);
        auto dataset = gps::data::openMedMnist(file, {});
        QVERIFY2(dataset.ok(), dataset.ok() ? "" : dataset.error().message.c_str());
        for (int i : {0, 65535, 65536, 65537, kCount - 1})
            QCOMPARE((*dataset)->label(std::size_t(i)), i % 7);

        labels[66000] = -1;
        gps::test::writeNpz(
            file,
            {{"train_images.npy", images}, {"train_labels.npy", npyOf("<i2", {kCount}, labels)}},
            true);
        dataset = gps::data::openMedMnist(file, {});
        QVERIFY(!dataset.ok());
        QCOMPARE(messageOf(dataset.error()),
                 QStringLiteral("%1:train_labels.npy: negative label -1 at index 66000")
                     .arg(QString::fromStdString(file.string())));
    }

    void multiLabelOpensUnlabelledWithWarning() {
        const TinyImages images = gps::test::makeTinyImages(4, 3, 3, 1, 0);
        const std::vector<std::uint8_t> multi(4 * 14, 1);
        const fs::path file = path("chest.npz");
        gps::test::writeNpz(file,
                            {{"train_images.npy", gps::test::medMnistImagesNpy(images)},
                             {"train_labels.npy", npyOf("|u1", {4, 14}, multi)}},
                            false);
        auto dataset = gps::data::openMedMnist(file, {});
        QVERIFY(dataset.ok());
        QVERIFY(!(*dataset)->labelled());
        QVERIFY((*dataset)->classNames().empty());
        QCOMPARE((*dataset)->label(0), gps::data::kNoLabel);
        const auto warnings = (*dataset)->warnings();
        QCOMPARE(warnings.size(), std::size_t(1));
        QVERIFY2(
            QString::fromStdString(warnings[0])
                .contains(QStringLiteral("chest.npz:train_labels.npy: multi-label (14 labels")),
            warnings[0].c_str());
        auto info = gps::data::describeMedMnist(file, {});
        QVERIFY(info.ok());
        QVERIFY(!info->labelled);
        QCOMPARE(info->warnings, warnings);
    }

    void errors_data() {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not a zip")
            << "not-zip" << ErrorCode::Corrupt << "bad.npz: not a zip archive";
        QTest::newRow("truncated zip")
            << "cut-zip" << ErrorCode::Corrupt << "bad.npz: not a zip archive";
        QTest::newRow("no MedMNIST entries")
            << "no-entries" << ErrorCode::Corrupt << "bad.npz: no train_images.npy";
        QTest::newRow("missing images entry")
            << "no-images" << ErrorCode::Corrupt << "bad.npz:train_images.npy: entry missing";
        QTest::newRow("images not uint8")
            << "float-images" << ErrorCode::Unsupported
            << "bad.npz:train_images.npy: images are <f4, expected uint8";
        QTest::newRow("images bad shape") << "two-channels" << ErrorCode::Corrupt
                                          << "bad.npz:train_images.npy: images shaped (6, 3, 3, 2)";
        QTest::newRow("images not npy") << "garbage-images" << ErrorCode::Corrupt
                                        << "bad.npz:train_images.npy: not a .npy file (bad magic";
        QTest::newRow("label count") << "label-count" << ErrorCode::Corrupt
                                     << "bad.npz:train_labels.npy: 5 labels for 6 images";
        QTest::newRow("negative label") << "negative" << ErrorCode::Corrupt
                                        << "bad.npz:train_labels.npy: negative label -1 at index 3";
        QTest::newRow("float labels") << "float-labels" << ErrorCode::Unsupported
                                      << "bad.npz:train_labels.npy: labels are <f4";
        QTest::newRow("truncated images")
            << "cut-images" << ErrorCode::Corrupt
            << "bad.npz:train_images.npy: truncated entry (expected 54 bytes of data, found 44)";
        QTest::newRow("truncated labels")
            << "cut-labels" << ErrorCode::Corrupt
            << "bad.npz:train_labels.npy: truncated entry (expected 6 bytes of data, found 4)";
    }
    void errors() {
        QFETCH(QString, variant);
        QFETCH(ErrorCode, code);
        QFETCH(QString, expected);
        const TinyImages images = gps::test::makeTinyImages(6, 3, 3, 1, 2);
        const Bytes goodImages = gps::test::medMnistImagesNpy(images);
        const Bytes goodLabels = gps::test::medMnistLabelsNpy(images);
        const fs::path file = path("bad.npz");
        const std::string v = variant.toStdString();
        Entries entries = {{"train_images.npy", goodImages}, {"train_labels.npy", goodLabels}};
        if (v == "no-entries")
            entries = {{"readme.txt", Bytes{'h', 'i'}}};
        if (v == "no-images")
            entries.erase(entries.begin());
        if (v == "float-images")
            entries[0].second = npyOf("<f4", {6, 3, 3}, std::vector<float>(54, 0.5f));
        if (v == "two-channels")
            entries[0].second = npyOf("|u1", {6, 3, 3, 2}, std::vector<std::uint8_t>(108, 1));
        if (v == "garbage-images")
            entries[0].second = Bytes(200, 7);
        if (v == "label-count")
            entries[1].second = npyOf("|u1", {5, 1}, std::vector<std::uint8_t>(5, 0));
        if (v == "negative")
            entries[1].second = npyOf("<i8", {6}, std::vector<std::int64_t>{0, 1, 0, -1, 1, 0});
        if (v == "float-labels")
            entries[1].second = npyOf("<f4", {6}, std::vector<float>(6, 1.f));
        if (v == "cut-images")
            entries[0].second.resize(goodImages.size() - 10);
        if (v == "cut-labels")
            entries[1].second.resize(goodLabels.size() - 2);
        gps::test::writeNpz(file, entries, true);
        if (v == "not-zip")
            std::ofstream(file, std::ios::trunc) << "plain text, not a zip";
        if (v == "cut-zip")
            fs::resize_file(file, fs::file_size(file) - 30);

        auto dataset = gps::data::openMedMnist(file, {});
        QVERIFY(!dataset.ok());
        QCOMPARE(dataset.error().code, code);
        QVERIFY2(messageOf(dataset.error()).contains(expected), dataset.error().message.c_str());
        auto info = gps::data::describeMedMnist(file, {});
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, code);
        QVERIFY2(messageOf(info.error()).contains(expected), info.error().message.c_str());
    }

    // describe() must not read pixels: a flipped pixel byte (bad CRC) passes describe, fails open.
    void describeReadsHeadersOnly() {
        const TinyImages train = gps::test::makeTinyImages(8, 6, 6, 1, 2);
        const fs::path file = path("crc.npz");
        gps::test::writeMedMnist(file, train, {}, {}, false);
        Bytes bytes(fs::file_size(file));
        std::ifstream(file, std::ios::binary)
            .read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size()));
        const Bytes pixels(train.pixels.begin() + 100, train.pixels.begin() + 140);
        auto at = std::search(bytes.begin(), bytes.end(), pixels.begin(), pixels.end());
        QVERIFY(at != bytes.end());
        *at ^= 0xFF;
        std::ofstream(file, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));

        auto info = gps::data::describeMedMnist(file, {});
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->format, std::string("medmnist"));
        QCOMPARE(info->splits.size(), std::size_t(1));
        QCOMPARE(info->splits[0].name, std::string("train"));
        QCOMPARE(info->splits[0].size, std::size_t(8));
        QCOMPARE(info->shape, (gps::data::ImageShape{6, 6, 1}));
        QCOMPARE(info->classNames, (std::vector<std::string>{"0", "1"}));
        QVERIFY(info->labelled);

        auto dataset = gps::data::openMedMnist(file, {});
        QVERIFY(!dataset.ok());
        QCOMPARE(dataset.error().code, ErrorCode::Corrupt);
        QVERIFY2(messageOf(dataset.error()).contains(QStringLiteral("crc.npz:train_images.npy")),
                 dataset.error().message.c_str());
    }

    void describeListsSplitsAndShape() {
        const fs::path file = path("info.npz");
        gps::test::writeMedMnist(file, gps::test::makeTinyImages(10, 7, 7, 3, 4),
                                 gps::test::makeTinyImages(3, 7, 7, 3, 4),
                                 gps::test::makeTinyImages(5, 7, 7, 3, 4), true);
        OpenOptions options;
        options.limit = 4;
        auto info = gps::data::describeMedMnist(file, options);
        QVERIFY(info.ok());
        QCOMPARE(info->splits.size(), std::size_t(3));
        QCOMPARE(info->splits[0].size, std::size_t(4));
        QCOMPARE(info->splits[1].name, std::string("val"));
        QCOMPARE(info->splits[1].size, std::size_t(3));
        QCOMPARE(info->splits[2].name, std::string("test"));
        QCOMPARE(info->shape, (gps::data::ImageShape{7, 7, 3}));
        QCOMPARE(info->classNames.size(), std::size_t(4));
    }

    void missingSplitNamesAvailableOnes() {
        const fs::path file = path("nosplit.npz");
        gps::test::writeMedMnist(file, gps::test::makeTinyImages(3, 4, 4, 1, 2), {},
                                 gps::test::makeTinyImages(2, 4, 4, 1, 2), true);
        OpenOptions options;
        options.split = "val";
        auto dataset = gps::data::openMedMnist(file, options);
        QVERIFY(!dataset.ok());
        QCOMPARE(dataset.error().code, ErrorCode::NotFound);
        QVERIFY2(messageOf(dataset.error()).contains(QStringLiteral("split 'val' not found")),
                 dataset.error().message.c_str());
        QVERIFY2(messageOf(dataset.error()).contains(QStringLiteral("(available: train, test)")),
                 dataset.error().message.c_str());
    }

    void limitKeepsFirstImages() {
        const TinyImages train = gps::test::makeTinyImages(12, 4, 4, 3, 5);
        const fs::path file = path("limit.npz");
        gps::test::writeMedMnist(file, train, {}, {}, true);
        OpenOptions options;
        options.limit = 5;
        auto dataset = gps::data::openMedMnist(file, options);
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->size(), std::size_t(5));
        TinyImages first = gps::test::makeTinyImages(5, 4, 4, 3, 5);
        QVERIFY(samePixels(**dataset, first));
        QCOMPARE((*dataset)->label(4), 4);
        QCOMPARE((*dataset)->classNames().size(),
                 std::size_t(5)); // from every label, not the kept ones
    }

    // One stray label must not invent empty classes: 250 among 0..9 leaves 10 classes, and the
    // images carrying it are left out with a warning that names the entry and counts them.
    void strayLabelsAreLeftOutWithWarning() {
        TinyImages train = gps::test::makeTinyImages(23, 4, 4, 1, 10);
        for (int i : {4, 11, 17})
            train.labels[std::size_t(i)] = 250;
        const TinyImages test = gps::test::makeTinyImages(10, 4, 4, 1, 10, 3);
        const fs::path file = path("stray.npz");
        gps::test::writeMedMnist(file, train, {}, test, true);

        auto info = gps::data::describeMedMnist(file, {});
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->classNames.size(), std::size_t(10));
        QCOMPARE(info->splits[0].size, std::size_t(20));
        QCOMPARE(info->splits[1].size, std::size_t(10));

        auto dataset = gps::data::openMedMnist(file, {});
        QVERIFY2(dataset.ok(), dataset.ok() ? "" : dataset.error().message.c_str());
        const auto& d = **dataset;
        QCOMPARE(d.classNames().size(), std::size_t(10));
        QCOMPARE(d.size(), std::size_t(20));
        std::vector<int> kept;
        for (int i = 0; i < train.count; ++i)
            if (train.labels[std::size_t(i)] != 250)
                kept.push_back(i);
        for (std::size_t row = 0; row < kept.size(); ++row) {
            QCOMPARE(d.label(row), train.labels[std::size_t(kept[row])]);
            QCOMPARE(int(d.image(row).at<std::uint8_t>(0, 0)), int(train.at(kept[row], 0, 0, 0)));
        }
        const auto warnings = d.warnings();
        QCOMPARE(warnings.size(), std::size_t(1));
        const QString warning = QString::fromStdString(warnings[0]);
        for (const char* part : {"stray.npz:train_labels.npy: labels 250 (3 images)",
                                 "outside the classes 0 to 9", "3 images left out of the train"})
            QVERIFY2(warning.contains(QLatin1String(part)), qPrintable(warning));
        QCOMPARE(info->warnings, warnings);

        OpenOptions options;
        options.split = "test";
        auto clean = gps::data::openMedMnist(file, options);
        QVERIFY(clean.ok());
        QVERIFY((*clean)->warnings().empty());
        QCOMPARE((*clean)->classNames().size(), std::size_t(10));
        options.split = "train";
        options.limit = 12; // rows of the file: two stray ones among them
        auto limited = gps::data::openMedMnist(file, options);
        QVERIFY(limited.ok());
        QCOMPARE((*limited)->size(), std::size_t(10));
    }

    void labelPatternInference_data() {
        QTest::addColumn<QList<int>>("labels"); // label, images, label, images, ...
        QTest::addColumn<int>("classCount");
        QTest::addColumn<QList<int>>("outliers");
        QTest::newRow("dense") << QList<int>{0, 5, 1, 5, 2, 5} << 3 << QList<int>{};
        QTest::newRow("one class missing")
            << QList<int>{0, 5, 1, 5, 3, 5, 4, 5} << 5 << QList<int>{};
        QTest::newRow("stray 250") << QList<int>{0, 9, 1, 9, 2, 9, 250, 2} << 3 << QList<int>{250};
        QTest::newRow("two strays")
            << QList<int>{0, 9, 1, 9, 99, 1, 255, 1} << 2 << QList<int>{99, 255};
        QTest::newRow("strays outnumber the pattern")
            << QList<int>{0, 1, 500, 40} << 501 << QList<int>{};
        QTest::newRow("no pattern") << QList<int>{7, 3} << 8 << QList<int>{};
    }
    void labelPatternInference() {
        QFETCH(QList<int>, labels);
        QFETCH(int, classCount);
        QFETCH(QList<int>, outliers);
        std::map<int, std::size_t> imagesPerLabel;
        for (qsizetype i = 0; i + 1 < labels.size(); i += 2)
            imagesPerLabel[labels[i]] = std::size_t(labels[i + 1]);
        const auto pattern = gps::data::inferLabelPattern(imagesPerLabel);
        QCOMPARE(pattern.classCount, classCount);
        QList<int> found;
        for (const auto& [label, images] : pattern.outliers)
            found.push_back(label);
        QCOMPARE(found, outliers);
    }

    void memoryBudgetRefusesLargeSplit() {
        const fs::path file = path("budget.npz");
        gps::test::writeMedMnist(file, gps::test::makeTinyImages(20, 8, 8, 1, 2), {}, {}, true);
        OpenOptions options;
        options.memoryBudgetBytes = 1000;
        auto dataset = gps::data::openMedMnist(file, options);
        QVERIFY(!dataset.ok());
        QCOMPARE(dataset.error().code, ErrorCode::Unsupported);
        QVERIFY2(messageOf(dataset.error()).contains(QStringLiteral("limit")),
                 dataset.error().message.c_str());
        options.limit = 10; // 640 bytes fit
        QVERIFY(gps::data::openMedMnist(file, options).ok());
    }

    void detectedThroughDatasetOpen() {
        const fs::path file = path("BloodMNIST.NPZ");
        gps::test::writeMedMnist(file, gps::test::makeTinyImages(3, 4, 4, 3, 2), {}, {}, true);
        auto format = gps::data::detectFormat(file);
        QVERIFY(format.ok());
        QCOMPARE(*format, std::string("medmnist"));
        auto dataset = gps::data::openDataset(file.string());
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->size(), std::size_t(3));
        auto info = gps::data::describeDataset(file.string());
        QVERIFY(info.ok());
        QCOMPARE(info->path, file.string());

        QVERIFY(!gps::data::isNpzFile(path("absent.npz")));
        fs::create_directories(path("folder.npz"));
        QVERIFY(!gps::data::isNpzFile(path("folder.npz")));
        QVERIFY(!gps::data::isNpzFile(path("splits.npy")));
    }
};

QTEST_APPLESS_MAIN(TestNpzReader)
#include "tst_npz_reader.moc"
