// The `vae:D` prior: shapes, training, determinism, cancellation, state file, and the decoder
// that synthetic positives will use.

#include "common/rng.h"
#include "data/in_memory_dataset.h"
#include "prior_fixtures.h"
#include "priors/autoencoder.h"
#include "priors/vae.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

using namespace gps::priors;
using gps::ErrorCode;
using namespace gps::test;
using gps::data::InMemoryDataset;

namespace {

std::filesystem::path inDir(const QTemporaryDir& dir, const char* name) {
    return std::filesystem::path(dir.path().toStdString()) / name;
}

bool sameImages(const std::vector<cv::Mat>& a, const std::vector<cv::Mat>& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].size() != b[i].size() || a[i].type() != b[i].type() ||
            cv::norm(a[i], b[i], cv::NORM_INF) != 0)
            return false;
    return true;
}

Embedding rows(const Embedding& e, std::int64_t begin, std::int64_t count) {
    Embedding out{count, e.dim, {}};
    out.values.assign(e.row(begin), e.row(begin) + count * e.dim);
    return out;
}

} // namespace

class TestVaePrior : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void specAndFactory() {
        EmbedderPtr prior = makeVaePrior(16, options(1));
        QCOMPARE(prior->spec(), std::string("vae:16"));
        QCOMPARE(prior->dim(), std::int64_t(16));
        QVERIFY(prior->needsFit());
        QVERIFY(dynamic_cast<VaePrior*>(prior.get()) != nullptr);
    }

    void embedGivesRowsOfD_data() {
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("channels");
        QTest::newRow("fashion-mnist 28x28x1") << 28 << 28 << 1;
        QTest::newRow("cifar 32x32x3") << 32 << 32 << 3;
    }
    void embedGivesRowsOfD() {
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, channels);
        const InMemoryDataset data = quadrantDataset(10, height, width, channels);
        VaePrior prior(4, options(1, 7, 4));
        const Embedding e = fitAndEmbed(prior, data);
        QCOMPARE(e.rows, std::int64_t(10));
        QCOMPARE(e.dim, std::int64_t(4));
        for (float v : e.values)
            QVERIFY(std::isfinite(v));
    }

    void elboLossFalls() {
        const InMemoryDataset data = quadrantDataset(64, 28, 28, 1);
        VaePrior prior(8, options(12));
        QVERIFY(prior.fit(data, {}).ok());
        const std::vector<double>& losses = prior.epochLosses();
        QCOMPARE(losses.size(), std::size_t(12));
        // What the negative ELBO (reconstruction + KL) exceeds the targets' own entropy by at least
        // halves.
        const double floor = entropyFloor(data);
        QVERIFY(losses.back() > floor);
        QVERIFY2(losses.back() - floor < 0.5 * (losses.front() - floor),
                 ("floor " + std::to_string(floor) + ", first " + std::to_string(losses.front()) +
                  ", last " + std::to_string(losses.back()))
                     .c_str());
    }

    void sameSeedSameEmbeddingOtherSeedDiffers() {
        const InMemoryDataset data = quadrantDataset(24, 28, 28, 1);
        VaePrior a(6, options(2, 11)), b(6, options(2, 11)), c(6, options(2, 12));
        const Embedding ea = fitAndEmbed(a, data), eb = fitAndEmbed(b, data);
        const Embedding ec = fitAndEmbed(c, data);
        QVERIFY(sameFloats(ea, eb));
        QVERIFY(!sameFloats(ea, ec));
    }

    void cancelAtFirstCallReturnsCancelled() {
        const InMemoryDataset data = quadrantDataset(32, 28, 28, 1);
        VaePrior prior(4, options(5));
        int calls = 0;
        const gps::Status status = prior.fit(data, [&](double, std::string_view) {
            ++calls;
            return false;
        });
        QCOMPARE(status.error().code, ErrorCode::Cancelled);
        QCOMPARE(calls, 1);
        QVERIFY(!prior.fitted());
    }

    void progressMessageNamesTheSpec() {
        const InMemoryDataset data = quadrantDataset(16, 16, 16, 1);
        VaePrior prior(16, options(3));
        std::string last;
        QVERIFY(prior
                    .fit(data,
                         [&](double, std::string_view m) {
                             last = m;
                             return true;
                         })
                    .ok());
        QVERIFY2(last.starts_with("vae:16 epoch 3/3 loss "), last.c_str());
    }

    void saveLoadGivesIdenticalEmbeddingAndDecoding() {
        QTemporaryDir dir;
        const std::filesystem::path file = inDir(dir, "vae.pt");
        const InMemoryDataset data = quadrantDataset(16, 28, 28, 1);
        VaePrior trained(4, options(2));
        const Embedding expected = fitAndEmbed(trained, data);
        QVERIFY(trained.saveState(file).ok());

        VaePrior fresh(4, options(2, 123));
        QVERIFY(fresh.loadState(file).ok());
        QVERIFY(sameFloats(*fresh.embed(data, {}), expected));
        QVERIFY(sameImages(*fresh.decode(expected), *trained.decode(expected)));
    }

    void autoencoderStateIsRejected() {
        QTemporaryDir dir;
        const std::filesystem::path file = inDir(dir, "ae.pt");
        const InMemoryDataset data = quadrantDataset(8, 28, 28, 1);
        AutoencoderPrior ae(8, options(1));
        QVERIFY(ae.fit(data, {}).ok());
        QVERIFY(ae.saveState(file).ok());

        VaePrior vae(8, options(1));
        const gps::Status status = vae.loadState(file);
        QCOMPARE(status.error().code, ErrorCode::Corrupt);
        QVERIFY2(status.error().message.find("ae:8, expected vae:8") != std::string::npos,
                 status.error().message.c_str());
        QVERIFY(!vae.fitted());
    }

    void decodedImageResemblesItsSource() {
        const InMemoryDataset data = quadrantDataset(64, 28, 28, 1);
        VaePrior prior(8, options(10));
        const Embedding latents = fitAndEmbed(prior, data);
        auto decoded = prior.decode(rows(latents, 0, 4)); // one image per quadrant
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->size(), std::size_t(4));
        for (int i = 0; i < 4; ++i) {
            const cv::Mat& image = (*decoded)[std::size_t(i)];
            QCOMPARE(image.rows, 28);
            QCOMPARE(image.cols, 28);
            QCOMPARE(image.type(), CV_8UC1);
            const double own = cv::norm(image, data.image(std::size_t(i)), cv::NORM_L2);
            for (int j = 0; j < 4; ++j)
                if (j != i)
                    QVERIFY2(own < cv::norm(image, data.image(std::size_t(j)), cv::NORM_L2),
                             ("image " + std::to_string(i) + " vs " + std::to_string(j)).c_str());
        }
    }

    void decodeRestoresLargeImageShape() {
        const InMemoryDataset data = quadrantDataset(4, 80, 96, 3);
        VaePrior prior(4, options(1, 7, 4));
        const Embedding latents = fitAndEmbed(prior, data);
        auto decoded = prior.decode(latents);
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->size(), std::size_t(4));
        QCOMPARE(decoded->front().rows, 80);
        QCOMPARE(decoded->front().cols, 96);
        QCOMPARE(decoded->front().type(), CV_8UC3);
    }

    void interpolationEndsAreTheEndpoints() {
        const InMemoryDataset data = quadrantDataset(8, 28, 28, 1);
        VaePrior prior(4, options(1));
        const Embedding latents = fitAndEmbed(prior, data);
        const Embedding from = rows(latents, 0, 2), to = rows(latents, 2, 2);
        QVERIFY(sameImages(*prior.decodeInterpolated(from, to, {0.0f}), *prior.decode(from)));
        QVERIFY(sameImages(*prior.decodeInterpolated(from, to, {1.0f}), *prior.decode(to)));
        auto mixed = prior.decodeInterpolated(from, to, {0.0f, 1.0f});
        QVERIFY(mixed.ok());
        QVERIFY(sameImages({(*mixed)[0]}, {(*prior.decode(from))[0]}));
        QVERIFY(sameImages({(*mixed)[1]}, {(*prior.decode(to))[1]}));

        QCOMPARE(prior.decodeInterpolated(from, to, {0.1f, 0.2f, 0.3f}).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(prior.decodeInterpolated(from, rows(latents, 0, 3), {0.5f}).error().code,
                 ErrorCode::InvalidInput);
        Embedding wrongDim{1, 3, {0.f, 0.f, 0.f}};
        QCOMPARE(prior.decode(wrongDim).error().code, ErrorCode::InvalidInput);
    }

    void decodeBeforeFitIsAnError() {
        VaePrior prior(4, options(1));
        const Embedding z{1, 4, {0.f, 0.f, 0.f, 0.f}};
        QCOMPARE(prior.decode(z).error().code, ErrorCode::InvalidInput);
    }
};

QTEST_APPLESS_MAIN(TestVaePrior)
#include "tst_vae_prior.moc"
