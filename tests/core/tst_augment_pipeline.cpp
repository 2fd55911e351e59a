#include "augment/ops.h"
#include "augment/pipeline.h"
#include "augment/presets.h"
#include "common/check.h"
#include "data/in_memory_dataset.h"
#include "test_data.h"

#include <omp.h>
#include <opencv2/core.hpp>

#include <QtTest>

#include <algorithm>
#include <cstring>
#include <numeric>

using namespace gps::augment;
using gps::Rng;
using gps::data::ImageShape;
using gps::data::InMemoryDataset;

namespace {

// Keep the dataset alive while using its images: image() returns views into its memory.
std::shared_ptr<InMemoryDataset> tinyDataset(int count, int side, int channels) {
    const auto tiny = gps::test::makeTinyImages(count, side, side, channels, 3);
    gps::data::InMemoryParts parts;
    parts.images = gps::data::ImageBlock(std::size_t(count), ImageShape{side, side, channels});
    std::copy(tiny.pixels.begin(), tiny.pixels.end(), parts.images.data());
    parts.labels = tiny.labels;
    parts.classNames = gps::data::numberedClassNames(3);
    parts.split = "train";
    parts.format = "test";
    return std::make_shared<InMemoryDataset>(std::move(parts));
}

AugmentSpec preset(const char* name, ImageShape shape) {
    return *presetSpec(name, shape);
}

bool sameBytes(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

bool sameFloats(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// FNV-1a over the bytes of a view: pins the exact output so any change in draws or rounding
// (which would change every saved run's augmentations) is seen.
std::uint64_t fingerprint(const cv::Mat& image) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (int row = 0; row < image.rows; ++row)
        for (std::size_t i = 0; i < std::size_t(image.cols) * image.channels(); ++i)
            hash = (hash ^ image.ptr<uchar>(row)[i]) * 0x100000001b3ULL;
    return hash;
}

struct Batch {
    std::vector<float> first, second;
};

Batch runPairBatch(const AugmentPipeline& pipeline, const InMemoryDataset& dataset,
                   const std::vector<std::size_t>& anchors,
                   const std::vector<std::size_t>& positives, std::uint64_t seed,
                   std::uint64_t step) {
    const std::size_t floats = anchors.size() * pipeline.outputShape().pixels();
    Batch batch{std::vector<float>(floats, NAN), std::vector<float>(floats, NAN)};
    pipeline.pairBatch(dataset, anchors, positives, seed, step, batch.first.data(),
                       batch.second.data());
    return batch;
}

std::vector<std::size_t> iota(std::size_t count) {
    std::vector<std::size_t> v(count);
    std::iota(v.begin(), v.end(), 0);
    return v;
}

} // namespace

class TestAugmentPipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void outputShapeFollowsSpec_data() {
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("cropSize");
        QTest::addColumn<int>("expectedSide");
        QTest::newRow("input side") << 28 << 1 << 0 << 28;
        QTest::newRow("explicit side") << 32 << 3 << 24 << 24;
        QTest::newRow("enlarge") << 20 << 3 << 40 << 40;
    }
    void outputShapeFollowsSpec() {
        QFETCH(int, side);
        QFETCH(int, channels);
        QFETCH(int, cropSize);
        QFETCH(int, expectedSide);
        AugmentSpec spec = preset("strong", {side, side, channels});
        spec.crop.size = cropSize;
        const AugmentPipeline pipeline(spec, {side, side, channels});
        QCOMPARE(pipeline.outputShape(), (ImageShape{expectedSide, expectedSide, channels}));
        const auto dataset = tinyDataset(2, side, channels);
        Rng rng(1);
        const cv::Mat view = pipeline.view(dataset->image(1), rng);
        QCOMPARE(view.rows, expectedSide);
        QCOMPARE(view.cols, expectedSide);
        QCOMPARE(view.channels(), channels);
    }

    void sameSeedSameBytes_data() {
        QTest::addColumn<QString>("presetName");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("channels");
        for (const auto& name : presetNames()) {
            QTest::addRow("%s/28x1", name.c_str()) << QString::fromStdString(name) << 28 << 1;
            QTest::addRow("%s/48x3", name.c_str()) << QString::fromStdString(name) << 48 << 3;
        }
    }
    void sameSeedSameBytes() {
        QFETCH(QString, presetName);
        QFETCH(int, side);
        QFETCH(int, channels);
        const ImageShape shape{side, side, channels};
        const AugmentPipeline pipeline(preset(presetName.toUtf8().constData(), shape), shape);
        const auto dataset = tinyDataset(1, side, channels);
        const cv::Mat image = dataset->image(0);
        Rng a(99), b(99);
        QVERIFY(sameBytes(pipeline.view(image, a), pipeline.view(image, b)));
        QCOMPARE(a.next(), b.next());
        int differing = 0;
        for (std::uint64_t seed = 0; seed < 8; ++seed) {
            Rng c(seed), d(seed + 100);
            differing += !sameBytes(pipeline.view(image, c), pipeline.view(image, d));
        }
        QVERIFY2(differing >= 3, qPrintable(QString::number(differing))); // weak: flip only
    }

    void viewsArePinned() {
        // Fixed outputs for fixed seeds, every op switched on: the same on every machine and
        // build. A change here changes every saved run's views: only on purpose, and say so.
        const ImageShape shape{32, 32, 3};
        AugmentSpec everyOp = preset("strong", shape);
        everyOp.blur.p = 0.5;
        everyOp.solarize.p = 0.5;
        const AugmentPipeline pipeline(everyOp, shape);
        const auto dataset = tinyDataset(3, 32, 3);
        const cv::Mat image = dataset->image(2);
        std::vector<std::uint64_t> prints;
        for (std::uint64_t seed = 0; seed < 8; ++seed) {
            Rng rng(seed);
            prints.push_back(fingerprint(pipeline.view(image, rng)));
        }
        const std::vector<std::uint64_t> expected = {0xe6c00155073c54d9ULL, 0x563cca13a86af061ULL,
                                                     0x1777396ddc3d89b2ULL, 0x1afd6050ba3bf46eULL,
                                                     0x2b262c979a767ae2ULL, 0xd93e3c072622b740ULL,
                                                     0x35e778b0b423b0a2ULL, 0x5603a2b728cfc870ULL};
        QString got;
        for (std::uint64_t print : prints)
            got += QStringLiteral("0x%1ULL, ").arg(print, 16, 16, QLatin1Char('0'));
        QVERIFY2(prints == expected, qPrintable(got));
    }

    void viewToFloatIsNormalisedView() {
        AugmentSpec spec = preset("strong", {32, 32, 3});
        spec.normalize = {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};
        const AugmentPipeline pipeline(spec, {32, 32, 3});
        const auto dataset = tinyDataset(1, 32, 3);
        const cv::Mat image = dataset->image(0);
        Rng forView(5), forFloat(5);
        const cv::Mat view = pipeline.view(image, forView);
        const std::size_t floats = pipeline.outputShape().pixels();
        std::vector<float> expected(floats, 0.0f);
        std::vector<float> got(floats, NAN);
        normalizeToChw(view, spec.normalize, expected.data());
        pipeline.viewToFloat(image, forFloat, got.data());
        QVERIFY(sameFloats(got, expected));
    }

    void pairBatchIsIndependentOfThreads_data() {
        QTest::addColumn<QString>("presetName");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("channels");
        QTest::newRow("strong 28x1") << QStringLiteral("strong") << 28 << 1;
        QTest::newRow("strong 32x3") << QStringLiteral("strong") << 32 << 3;
        QTest::newRow("strong 40x3 (blur on)") << QStringLiteral("strong") << 40 << 3;
        QTest::newRow("weak 28x1") << QStringLiteral("weak") << 28 << 1;
    }
    void pairBatchIsIndependentOfThreads() {
        QFETCH(QString, presetName);
        QFETCH(int, side);
        QFETCH(int, channels);
        const ImageShape shape{side, side, channels};
        const AugmentPipeline pipeline(preset(presetName.toUtf8().constData(), shape), shape);
        const auto dataset = tinyDataset(40, side, channels);
        const auto anchors = iota(37);
        std::vector<std::size_t> positives(anchors.rbegin(), anchors.rend());
        const int threadsBefore = omp_get_max_threads();
        omp_set_num_threads(1);
        const Batch one = runPairBatch(pipeline, *dataset, anchors, positives, 7, 3);
        omp_set_num_threads(2);
        const Batch two = runPairBatch(pipeline, *dataset, anchors, positives, 7, 3);
        omp_set_num_threads(3);
        const Batch three = runPairBatch(pipeline, *dataset, anchors, positives, 7, 3);
        omp_set_num_threads(threadsBefore);
        QVERIFY(sameFloats(one.first, two.first) && sameFloats(one.second, two.second));
        QVERIFY(sameFloats(one.first, three.first) && sameFloats(one.second, three.second));
    }

    void pairBatchUsesDerivedSeedsPerView() {
        const ImageShape shape{32, 32, 3};
        const AugmentPipeline pipeline(preset("strong", shape), shape);
        const auto dataset = tinyDataset(10, 32, 3);
        const std::vector<std::size_t> anchors = {4, 0, 9}, positives = {1, 1, 2};
        const Batch batch = runPairBatch(pipeline, *dataset, anchors, positives, 123, 45);
        const std::size_t per = pipeline.outputShape().pixels();
        for (std::size_t b = 0; b < anchors.size(); ++b) {
            std::vector<float> first(per), second(per);
            Rng rngFirst(gps::deriveSeed(123, 45, b, 0)), rngSecond(gps::deriveSeed(123, 45, b, 1));
            pipeline.viewToFloat(dataset->image(anchors[b]), rngFirst, first.data());
            pipeline.viewToFloat(dataset->image(positives[b]), rngSecond, second.data());
            QVERIFY(std::memcmp(first.data(), &batch.first[b * per], per * sizeof(float)) == 0);
            QVERIFY(std::memcmp(second.data(), &batch.second[b * per], per * sizeof(float)) == 0);
        }
    }

    void viewsOfAPairDiffer() {
        const ImageShape shape{28, 28, 1};
        const AugmentPipeline pipeline(preset("strong", shape), shape);
        const auto dataset = tinyDataset(16, 28, 1);
        const auto items = iota(16);
        const Batch batch = runPairBatch(pipeline, *dataset, items, items, 1, 0);
        const Batch nextStep = runPairBatch(pipeline, *dataset, items, items, 1, 1);
        const std::size_t per = pipeline.outputShape().pixels();
        for (std::size_t b = 0; b < items.size(); ++b) {
            QVERIFY(std::memcmp(&batch.first[b * per], &batch.second[b * per], per * 4) != 0);
            QVERIFY(std::memcmp(&batch.first[b * per], &nextStep.first[b * per], per * 4) != 0);
        }
    }

    void pairBatchNormalisesIntoChw() {
        // No random op: both views are the images themselves, (v/255 − 0.5)/0.5 in C×H×W.
        AugmentSpec identity = preset("weak", {8, 8, 3});
        identity.flipP = 0;
        const AugmentPipeline pipeline(identity, {8, 8, 3});
        const auto tiny = gps::test::makeTinyImages(3, 8, 8, 3, 3);
        const auto dataset = tinyDataset(3, 8, 3);
        const std::vector<std::size_t> anchors = {2, 0}, positives = {1, 1};
        const Batch batch = runPairBatch(pipeline, *dataset, anchors, positives, 0, 0);
        for (std::size_t b = 0; b < 2; ++b)
            for (int c = 0; c < 3; ++c)
                for (int y = 0; y < 8; ++y)
                    for (int x = 0; x < 8; ++x) {
                        const std::size_t at = ((b * 3 + c) * 8 + y) * 8 + x;
                        const auto expected = [&](std::size_t image) {
                            const int v = tiny.at(int(image), y, x, c);
                            return static_cast<float>((v / 255.0 - 0.5) / 0.5);
                        };
                        QVERIFY(batch.first[at] == expected(anchors[b]));
                        QVERIFY(batch.second[at] == expected(positives[b]));
                    }
        const auto [lo, hi] = std::minmax_element(batch.first.begin(), batch.first.end());
        QVERIFY(*lo >= -1.0f && *hi <= 1.0f);
    }

    void badUseIsCaught() {
        const ImageShape grey{28, 28, 1};
        const AugmentPipeline pipeline(preset("strong", grey), grey);
        const auto rgbData = tinyDataset(4, 28, 3);
        const auto greyData = tinyDataset(4, 28, 1);
        std::vector<float> a(4 * 28 * 28), b(a.size());
        const std::vector<std::size_t> items = {0, 1, 2, 3}, three = {0, 1, 2},
                                       outside = {0, 1, 2, 4};
        // A wrong image inside the OpenMP loop comes out as an exception, not a crash.
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, pipeline.pairBatch(*rgbData, items, items, 0, 0,
                                                                       a.data(), b.data()));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, pipeline.pairBatch(*greyData, items, three, 0,
                                                                       0, a.data(), b.data()));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, pipeline.pairBatch(*greyData, items, outside, 0,
                                                                       0, a.data(), b.data()));
        AugmentSpec invalid;
        invalid.flipP = 2;
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, AugmentPipeline(invalid, grey));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, AugmentPipeline(AugmentSpec{}, {28, 28, 2}));
    }
};

QTEST_APPLESS_MAIN(TestAugmentPipeline)
#include "tst_augment_pipeline.moc"
