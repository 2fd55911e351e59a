// The fixed priors: pixels (and standardize), pca:D (both solvers), hog, random-cnn, npy:PATH.

#include "common/file_io.h"
#include "common/npy.h"
#include "common/rng.h"
#include "data/in_memory_dataset.h"
#include "priors/hog.h"
#include "priors/npy_prior.h"
#include "priors/pca.h"
#include "priors/pixels.h"
#include "priors/random_cnn.h"
#include "test_data.h"

#include <ATen/Context.h>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>

using namespace gps::priors;
using gps::ErrorCode;
using gps::data::InMemoryDataset;

namespace {

InMemoryDataset makeDataset(int count, int h, int w, int c,
                            const std::function<int(int i, int j)>& pixel) {
    gps::data::InMemoryParts parts;
    parts.images = gps::data::ImageBlock(std::size_t(count), {h, w, c});
    const std::size_t dim = parts.images.shape().pixels();
    for (int i = 0; i < count; ++i)
        for (std::size_t j = 0; j < dim; ++j)
            parts.images.imageData(std::size_t(i))[j] = std::uint8_t(pixel(i, int(j)));
    parts.split = "train";
    parts.format = "memory";
    return InMemoryDataset(std::move(parts));
}

InMemoryDataset randomDataset(int count, int h, int w, int c, std::uint64_t seed) {
    gps::Rng rng(seed);
    return makeDataset(count, h, w, c, [&](int, int) { return int(rng.below(256)); });
}

// Images x = 100 + a_i·u + b_i·v: an affine plane, which pca:2 must reproduce exactly.
InMemoryDataset planeDataset(int count, int side) {
    return makeDataset(count, side, side, 1, [](int i, int j) {
        const int a = (i * 7) % 11 - 5, b = (i * 3) % 9 - 4;
        const int u = j % 7 - 3, v = (j * j) % 5 - 2;
        return 100 + a * u + b * v;
    });
}

gps::ProgressFn noProgress() {
    return {};
}

bool sameFloats(const Embedding& a, const Embedding& b) {
    return a.rows == b.rows && a.dim == b.dim && a.values.size() == b.values.size() &&
           std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)) == 0;
}

Embedding fitAndEmbed(Embedder& prior, const gps::data::Dataset& data) {
    if (prior.needsFit()) {
        auto fitted = prior.fit(data, noProgress());
        if (!fitted)
            qFatal("fit failed: %s", fitted.error().message.c_str());
    }
    auto embedding = prior.embed(data, noProgress());
    if (!embedding)
        qFatal("embed failed: %s", embedding.error().message.c_str());
    return std::move(embedding).value();
}

} // namespace

class TestPriors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pixelsAreExactHwcValues() {
        const auto tiny = gps::test::makeTinyImages(3, 4, 5, 3, 2);
        const auto data = makeDataset(3, 4, 5, 3, [&](int i, int j) {
            return tiny.pixels[std::size_t(i) * 60 + std::size_t(j)];
        });
        PixelsPrior prior(PriorOptions{});
        QVERIFY(!prior.needsFit());
        const Embedding e = fitAndEmbed(prior, data);
        QCOMPARE(e.rows, 3);
        QCOMPARE(e.dim, 60);
        QCOMPARE(prior.dim(), 60);
        for (int i = 0; i < 3; ++i)
            for (int y = 0; y < 4; ++y)
                for (int x = 0; x < 5; ++x)
                    for (int c = 0; c < 3; ++c)
                        QVERIFY(e.row(i)[(y * 5 + x) * 3 + c] ==
                                float(tiny.at(i, y, x, c)) / 255.0f);
        PixelsPrior again(PriorOptions{});
        QVERIFY(sameFloats(e, fitAndEmbed(again, data)));
    }
    void standardizeGivesZeroMeanUnitStd() {
        // Pixel 0 is always 7: it must come out 0, not NaN.
        gps::Rng rng(5);
        const auto data =
            makeDataset(200, 6, 6, 1, [&](int, int j) { return j == 0 ? 7 : int(rng.below(256)); });
        PriorOptions options;
        options.standardize = true;
        PixelsPrior prior(options);
        QVERIFY(prior.needsFit());
        QCOMPARE(prior.embed(data, noProgress()).error().code, ErrorCode::InvalidInput);
        const Embedding e = fitAndEmbed(prior, data);
        for (int j = 0; j < e.dim; ++j) {
            double sum = 0, squares = 0;
            for (int i = 0; i < e.rows; ++i) {
                sum += e.row(i)[j];
                squares += double(e.row(i)[j]) * e.row(i)[j];
            }
            QVERIFY2(std::abs(sum / e.rows) < 1e-5, qPrintable(QString::number(j)));
            QVERIFY(std::abs(squares / e.rows - (j == 0 ? 0.0 : 1.0)) < 1e-4);
        }
        // The learned mean and std survive a save/load round trip.
        QTemporaryDir dir;
        const std::filesystem::path file =
            dir.filePath(QStringLiteral("pixels.state")).toStdString();
        QVERIFY(prior.saveState(file).ok());
        PixelsPrior loaded(options);
        QVERIFY(loaded.loadState(file).ok());
        QVERIFY(sameFloats(e, *loaded.embed(data, noProgress())));
    }
    void pcaComponentsAreOrthonormalSortedAndSignFixed_data() {
        QTest::addColumn<int>("side");
        QTest::newRow("exact (8x8)") << 8;
        QTest::newRow("randomised (66x66)") << 66;
    }
    void pcaComponentsAreOrthonormalSortedAndSignFixed() {
        QFETCH(int, side);
        const auto data = randomDataset(60, side, side, 1, 11);
        PcaPrior prior(10, PriorOptions{});
        const Embedding e = fitAndEmbed(prior, data);
        QCOMPARE(e.rows, 60);
        QCOMPARE(e.dim, 10);
        const auto dim = std::size_t(prior.inputDim());
        QCOMPARE(dim, std::size_t(side * side));
        const auto& c = prior.components();
        for (std::size_t a = 0; a < 10; ++a) {
            for (std::size_t b = 0; b < 10; ++b) {
                double dot = 0;
                for (std::size_t j = 0; j < dim; ++j)
                    dot += double(c[a * dim + j]) * c[b * dim + j];
                QVERIFY2(std::abs(dot - (a == b ? 1.0 : 0.0)) < 1e-4,
                         qPrintable(QStringLiteral("<c%1, c%2> = %3").arg(a).arg(b).arg(dot)));
            }
            const auto* row = &c[a * dim];
            const auto largest = std::max_element(
                row, row + dim, [](float x, float y) { return std::abs(x) < std::abs(y); });
            QVERIFY(*largest > 0);
        }
        const auto& variance = prior.explainedVariance();
        QCOMPARE(variance.size(), std::size_t(10));
        QVERIFY(std::is_sorted(variance.rbegin(), variance.rend()));
        QVERIFY(variance.back() > 0);
        QVERIFY(std::accumulate(variance.begin(), variance.end(), 0.0) < prior.totalVariance());
        PcaPrior again(10, PriorOptions{});
        QVERIFY(sameFloats(e, fitAndEmbed(again, data)));
    }
    void pcaReconstructsDataInATwoDimensionalPlane_data() {
        QTest::addColumn<int>("side");
        QTest::newRow("exact") << 12;
        QTest::newRow("randomised") << 66;
    }
    void pcaReconstructsDataInATwoDimensionalPlane() {
        QFETCH(int, side);
        const auto data = planeDataset(40, side);
        PcaPrior prior(2, PriorOptions{});
        const Embedding e = fitAndEmbed(prior, data);
        const auto dim = std::size_t(side * side);
        const auto& variance = prior.explainedVariance();
        QVERIFY(std::abs(variance[0] + variance[1] - prior.totalVariance()) <
                1e-4 * prior.totalVariance());
        double worst = 0;
        for (int i = 0; i < 40; ++i)
            for (std::size_t j = 0; j < dim; ++j) {
                double value = prior.mean()[j];
                for (std::size_t k = 0; k < 2; ++k)
                    value += double(e.row(i)[k]) * prior.components()[k * dim + j];
                const double truth = data.block()->imageData(std::size_t(i))[j] / 255.0;
                worst = std::max(worst, std::abs(value - truth));
            }
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }
    void pcaStateRoundTripsAndChecksD() {
        const auto data = randomDataset(30, 5, 5, 3, 2);
        PcaPrior prior(4, PriorOptions{});
        const Embedding e = fitAndEmbed(prior, data);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("pca.state")).toStdString();
        QVERIFY(prior.saveState(file).ok());
        PcaPrior loaded(4, PriorOptions{});
        QCOMPARE(loaded.embed(data, noProgress()).error().code, ErrorCode::InvalidInput);
        QVERIFY(loaded.loadState(file).ok());
        QVERIFY(sameFloats(e, *loaded.embed(data, noProgress())));
        PcaPrior otherD(5, PriorOptions{});
        QCOMPARE(otherD.loadState(file).error().code, ErrorCode::Corrupt);
        const auto bigger = randomDataset(3, 6, 6, 3, 2);
        QCOMPARE(loaded.embed(bigger, noProgress()).error().code, ErrorCode::InvalidInput);
    }
    void pcaRejectsTooManyComponents() {
        const auto data = randomDataset(5, 4, 4, 1, 3);
        PcaPrior prior(6, PriorOptions{});
        const auto fitted = prior.fit(data, noProgress());
        QCOMPARE(fitted.error().code, ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(fitted.error().message),
                 QStringLiteral("pca:6: D = 6 exceeds min(images, values per image) = min(5, 16)"));
    }
    void hogDimensionFollowsImageSize_data() {
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("cell");
        QTest::addColumn<int>("dim");
        QTest::newRow("28 grey") << 28 << 1 << 7 << 324;
        QTest::newRow("32 rgb") << 32 << 3 << 8 << 324;
        QTest::newRow("96 rgb") << 96 << 3 << 8 << 4356;
        QTest::newRow("17 grey (resized to 15)") << 17 << 1 << 5 << 144;
    }
    void hogDimensionFollowsImageSize() {
        QFETCH(int, side);
        QFETCH(int, channels);
        QFETCH(int, cell);
        QFETCH(int, dim);
        const auto geometry = hogGeometry({side, side, channels});
        QCOMPARE(geometry.cell, cell);
        QCOMPARE(geometry.dim(), dim);
        const auto data = randomDataset(5, side, side, channels, 4);
        HogPrior prior(PriorOptions{});
        const Embedding e = fitAndEmbed(prior, data);
        QCOMPARE(e.rows, 5);
        QCOMPARE(e.dim, dim);
        for (float v : e.values)
            QVERIFY(std::isfinite(v) && v >= 0);
        QVERIFY(*std::max_element(e.values.begin(), e.values.end()) > 0.01f);
        HogPrior again(PriorOptions{});
        QVERIFY(sameFloats(e, fitAndEmbed(again, data)));
    }
    void hogSeesEdgeOrientation() {
        // Vertical stripes and horizontal stripes must be far apart; two vertical ones close.
        const auto data = makeDataset(3, 28, 28, 1, [](int i, int j) {
            const int y = j / 28, x = j % 28;
            return i == 2 ? (y / 4 % 2) * 200 : ((x + i) / 4 % 2) * 200;
        });
        HogPrior prior(PriorOptions{});
        const Embedding e = fitAndEmbed(prior, data);
        auto distance = [&](int a, int b) {
            double d = 0;
            for (int j = 0; j < e.dim; ++j)
                d += std::pow(e.row(a)[j] - e.row(b)[j], 2);
            return d;
        };
        QVERIFY(distance(0, 1) < 0.5 * distance(0, 2));
    }
    void randomCnnDependsOnItsSeedOnly() {
        const auto data = randomDataset(6, 28, 28, 1, 8);
        PriorOptions options;
        options.seed = 3;
        RandomCnnPrior prior(options);
        QCOMPARE(prior.dim(), 128);
        const Embedding e = fitAndEmbed(prior, data);
        QCOMPARE(e.rows, 6);
        QCOMPARE(e.dim, 128);
        at::manual_seed(999); // the global generator must not matter
        RandomCnnPrior same(options);
        QVERIFY(sameFloats(e, fitAndEmbed(same, data)));
        options.seed = 4;
        RandomCnnPrior other(options);
        const Embedding o = fitAndEmbed(other, data);
        float difference = 0;
        for (std::size_t k = 0; k < e.values.size(); ++k)
            difference = std::max(difference, std::abs(e.values[k] - o.values[k]));
        QVERIFY(difference > 1e-3f);
        // Images are independent: batches of 4 give the same rows as one batch.
        options.seed = 3;
        options.batchSize = 4;
        RandomCnnPrior batched(options);
        const Embedding b = fitAndEmbed(batched, data);
        for (std::size_t k = 0; k < e.values.size(); ++k)
            QVERIFY(std::abs(b.values[k] - e.values[k]) < 1e-5f);
        const auto rgb = randomDataset(2, 20, 20, 3, 9);
        QCOMPARE(fitAndEmbed(prior, rgb).dim, 128);
    }
    void npyRowsAreReadAndConverted_data() {
        QTest::addColumn<QString>("dtype");
        QTest::newRow("float32") << "<f4";
        QTest::newRow("float64") << "<f8";
    }
    void npyRowsAreReadAndConverted() {
        QFETCH(QString, dtype);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("emb.npy")).toStdString();
        std::vector<double> f8 = {0.5, -1.25, 3.0, 1e-3, 7.0, 8.5};
        std::vector<float> f4(f8.begin(), f8.end());
        const void* bytes = dtype == QStringLiteral("<f4") ? (const void*)f4.data() : f8.data();
        QVERIFY(gps::writeNpy(file, dtype.toStdString(), {3, 2}, bytes).ok());
        auto prior = NpyPrior::open(file, "npy:" + file.string());
        QVERIFY(prior.ok());
        QCOMPARE((*prior)->dim(), 2);
        const Embedding e = fitAndEmbed(**prior, randomDataset(3, 2, 2, 1, 1));
        QCOMPARE(e.rows, 3);
        QVERIFY(e.values == f4);
    }
    void npyErrorsNameTheFile_data() {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QList<qint64>>("shape");
        QTest::addColumn<bool>("atOpen");
        QTest::addColumn<QString>("message");
        QTest::newRow("rows") << "<f4" << QList<qint64>{9, 4} << false
                              << "FILE has 9 rows, the dataset has 10 images";
        QTest::newRow("1-D")
            << "<f4" << QList<qint64>{10} << true
            << "FILE: expected a 2-D array (images × dimensions), found shape (10,)";
        QTest::newRow("3-D") << "<f8" << QList<qint64>{10, 2, 2} << true
                             << "FILE: expected a 2-D array (images × dimensions), found shape "
                                "(10, 2, 2)";
        QTest::newRow("int") << "<i8" << QList<qint64>{10, 4} << true
                             << "FILE: dtype <i8 is not a float (expected float32 or float64 "
                                "embeddings)";
    }
    void npyErrorsNameTheFile() {
        QFETCH(QString, dtype);
        QFETCH(QList<qint64>, shape);
        QFETCH(bool, atOpen);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("emb.npy")).toStdString();
        const std::vector<std::int64_t> dims(shape.begin(), shape.end());
        std::vector<std::uint8_t> zeros(1024, 0);
        QVERIFY(gps::writeNpy(file, dtype.toStdString(), dims, zeros.data()).ok());
        auto prior = NpyPrior::open(file, "npy:" + file.string());
        QCOMPARE(prior.ok(), !atOpen);
        const gps::Error error =
            atOpen ? prior.error() : (*prior)->embed(randomDataset(10, 2, 2, 1, 1), {}).error();
        QCOMPARE(error.code, ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(error.message),
                 message.replace(QStringLiteral("FILE"), QString::fromStdString(file.string())));
    }
    void npyBadFiles() {
        QTemporaryDir dir;
        const std::filesystem::path missing =
            dir.filePath(QStringLiteral("none.npy")).toStdString();
        QCOMPARE(NpyPrior::open(missing, "npy:x").error().code, ErrorCode::NotFound);
        const std::filesystem::path text = dir.filePath(QStringLiteral("text.npy")).toStdString();
        QVERIFY(gps::writeFileAtomic(text, std::string("hello, not numpy")).ok());
        QCOMPARE(NpyPrior::open(text, "npy:x").error().code, ErrorCode::Corrupt);
        const std::filesystem::path nan = dir.filePath(QStringLiteral("nan.npy")).toStdString();
        const std::vector<float> values = {1, 2, std::nanf(""), 4};
        QVERIFY(gps::writeNpy(nan, "<f4", {2, 2}, values.data()).ok());
        auto prior = NpyPrior::open(nan, "npy:x");
        const auto embedded = (*prior)->embed(randomDataset(2, 2, 2, 1, 1), {});
        QCOMPARE(embedded.error().code, ErrorCode::InvalidInput);
        QVERIFY(embedded.error().message.find("row 1 holds a NaN") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestPriors)
#include "tst_priors.moc"
