#include "common/check.h"
#include "data/image_folder.h"
#include "data/in_memory_dataset.h"
#include "data/materialize.h"
#include "fixtures_folder.h"
#include "test_data.h"

#include <opencv2/core.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

#include <atomic>
#include <cstring>

using gps::ErrorCode;
using gps::data::DatasetPtr;
using gps::data::OpenOptions;
using gps::test::TinyImages;
namespace fs = std::filesystem;

namespace {

bool sameImage(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

DatasetPtr inMemory(const TinyImages& images) {
    gps::data::InMemoryParts parts;
    parts.images = gps::data::ImageBlock(std::size_t(images.count),
                                         {images.height, images.width, images.channels});
    std::memcpy(parts.images.data(), images.pixels.data(), images.pixels.size());
    parts.labels = images.labels;
    parts.classNames = gps::data::numberedClassNames(images.classes);
    parts.split = "train";
    parts.format = "test";
    return std::make_shared<gps::data::InMemoryDataset>(std::move(parts));
}

} // namespace

class TestMaterialize : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    fs::path dir(const char* name) const {
        return m_dir.filePath(QString::fromUtf8(name)).toStdString();
    }

    std::shared_ptr<const gps::data::ImageFolderDataset> openFolder(const fs::path& root) {
        auto dataset = gps::data::openImageFolder(root, {});
        GPS_CHECK(dataset.ok(), dataset.error().message);
        return *dataset;
    }

private Q_SLOTS:
    void equalsLazyPixels_data() {
        QTest::addColumn<int>("channels");
        QTest::newRow("rgb") << 3;
        QTest::newRow("grey") << 1;
    }
    void equalsLazyPixels() {
        QFETCH(int, channels);
        const TinyImages images = gps::test::makeTinyImages(37, 20, 24, channels, 4);
        const fs::path root = dir(channels == 3 ? "rgb" : "grey");
        gps::test::writeImageFolder(root, images, {"a", "b", "c", "d"});
        const auto lazy = openFolder(root);
        std::vector<double> fractions;
        auto result = gps::data::materializeDataset(*lazy, [&](double fraction, std::string_view) {
            fractions.push_back(fraction); // called from one thread at a time
            return true;
        });
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        const auto& memory = **result;
        QVERIFY(memory.block() != nullptr);
        QCOMPARE(memory.size(), lazy->size());
        QCOMPARE(memory.shape(), lazy->shape());
        QCOMPARE(memory.classNames(), lazy->classNames());
        QCOMPARE(memory.split(), lazy->split());
        QCOMPARE(memory.format(), std::string("image-folder"));
        for (std::size_t i = 0; i < memory.size(); ++i) {
            QCOMPARE(memory.label(i), lazy->label(i));
            QVERIFY2(sameImage(memory.image(i), lazy->image(i)), qPrintable(QString::number(i)));
        }
        QVERIFY(memory.warnings().empty());
        QVERIFY(fractions.size() >= 2);
        QCOMPARE(fractions.front(), 0.0);
        QCOMPARE(fractions.back(), 1.0);
    }

    void dropsUndecodableImagesWithWarning() {
        const TinyImages images = gps::test::makeTinyImages(6, 16, 16, 3, 2);
        const fs::path root = dir("broken");
        gps::test::writeImageFolder(root, images, {"a", "b"});
        gps::test::writeUndecodableImage(root / "a" / "img_00002x.png");
        gps::test::writeUndecodableImage(root / "b" / "zz.png");
        const auto lazy = openFolder(root);
        QCOMPARE(lazy->size(), std::size_t(8));
        auto result = gps::data::materializeDataset(*lazy, {});
        QVERIFY(result.ok());
        const auto& memory = **result;
        QCOMPARE(memory.size(), std::size_t(6));
        // Order kept: a/0, a/2, a/4, b/1, b/3, b/5.
        const int expected[] = {0, 2, 4, 1, 3, 5};
        for (std::size_t i = 0; i < 6; ++i) {
            QCOMPARE(memory.label(i), images.labels[std::size_t(expected[i])]);
            const cv::Mat want(16, 16, CV_8UC3,
                               const_cast<std::uint8_t*>(images.pixels.data()) +
                                   expected[i] * 16 * 16 * 3);
            QVERIFY(sameImage(memory.image(i), want));
        }
        const auto warnings = memory.warnings();
        QCOMPARE(warnings.size(), std::size_t(1));
        const std::string reason =
            "cannot be decoded (damaged, truncated or an unsupported variant)";
        QCOMPARE(warnings[0], "dropped 2 images that could not be decoded: a/img_00002x.png: " +
                                  reason + "; b/zz.png: " + reason);
        // The source knows them too, by the rows they hold there (found in any order).
        auto unreadable = lazy->unreadableFiles();
        std::sort(unreadable.begin(), unreadable.end(),
                  [](const auto& a, const auto& b) { return a.row < b.row; });
        QCOMPARE(unreadable, (std::vector<gps::data::UnreadableFile>{
                                 {"a/img_00002x.png", reason, 2}, {"b/zz.png", reason, 7}}));
    }

    void cancelReturnsCancelled_data() {
        QTest::addColumn<int>("allowedCalls");
        QTest::newRow("before starting") << 0;
        QTest::newRow("midway") << 3;
    }
    void cancelReturnsCancelled() {
        QFETCH(int, allowedCalls);
        const TinyImages images = gps::test::makeTinyImages(300, 16, 16, 1, 0);
        const fs::path root = dir("cancel");
        if (!fs::exists(root))
            gps::test::writeImageFolder(root, images, {});
        const auto lazy = openFolder(root);
        std::atomic<int> calls{0};
        auto result = gps::data::materializeDataset(
            *lazy, [&](double, std::string_view) { return calls++ < allowedCalls; });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QCOMPARE(calls.load(), allowedCalls + 1); // stops at the first refusal
        QVERIFY(lazy->cachedImages() < 300);      // did not decode everything
    }

    void refusesAboveBudget() {
        const TinyImages images = gps::test::makeTinyImages(10, 16, 16, 3, 0);
        gps::test::writeImageFolder(dir("budget"), images, {});
        const auto lazy = openFolder(dir("budget"));
        bool called = false;
        auto result = gps::data::materializeDataset(
            *lazy, [&](double, std::string_view) { return called = true; }, 10 * 16 * 16 * 3 - 1);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Unsupported);
        const QString message = QString::fromStdString(result.error().message);
        QVERIFY2(message.contains(QStringLiteral("above the budget")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("10 images of 16x16x3")), qPrintable(message));
        QVERIFY(!called); // refused before any work
        QVERIFY(gps::data::materializeDataset(*lazy, {}, 10 * 16 * 16 * 3).ok());
    }

    void inMemorySourceIsCopiedOrReturned() {
        const TinyImages images = gps::test::makeTinyImages(5, 4, 4, 3, 2);
        const DatasetPtr source = inMemory(images);
        auto copy = gps::data::materializeDataset(*source, {});
        QVERIFY(copy.ok());
        QVERIFY(copy->get() != source.get());
        QVERIFY((*copy)->block()->data() != source->block()->data());
        for (std::size_t i = 0; i < 5; ++i) {
            QVERIFY(sameImage((*copy)->image(i), source->image(i)));
            QCOMPARE((*copy)->label(i), source->label(i));
        }
        auto same = gps::data::materializeDataset(source, {});
        QVERIFY(same.ok());
        QCOMPARE(same->get(), source.get());
    }
};

QTEST_APPLESS_MAIN(TestMaterialize)
#include "tst_materialize.moc"
