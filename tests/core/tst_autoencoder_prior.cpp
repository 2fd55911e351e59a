// The `ae:D` prior: shapes, training, determinism, cancellation and its state file.

#include "common/rng.h"
#include "data/in_memory_dataset.h"
#include "prior_fixtures.h"
#include "priors/autoencoder.h"
#include "priors/conv_autoencoder_net.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

using namespace gps::priors;
using gps::ErrorCode;
using gps::data::InMemoryDataset;
using namespace gps::test;

namespace {

std::filesystem::path inDir(const QTemporaryDir& dir, const char* name) {
    return std::filesystem::path(dir.path().toStdString()) / name;
}

} // namespace

class TestAutoencoderPrior : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void specAndFactory() {
        EmbedderPtr prior = makeAutoencoderPrior(8, options(1));
        QCOMPARE(prior->spec(), std::string("ae:8"));
        QCOMPARE(prior->dim(), std::int64_t(8));
        QVERIFY(prior->needsFit());
        QVERIFY(!dynamic_cast<AutoencoderPrior&>(*prior).fitted());
    }

    void embedGivesRowsOfD_data() {
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("channels");
        QTest::newRow("fashion-mnist 28x28x1") << 28 << 28 << 1;
        QTest::newRow("cifar 32x32x3") << 32 << 32 << 3;
        QTest::newRow("odd sides 13x17x1") << 13 << 17 << 1;
        QTest::newRow("tiny 3x5x1") << 3 << 5 << 1;
        QTest::newRow("shrunk to 64 px 80x96x3") << 80 << 96 << 3;
    }
    void embedGivesRowsOfD() {
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, channels);
        const InMemoryDataset data = quadrantDataset(10, height, width, channels);
        AutoencoderPrior prior(8, options(1, 7, 4));
        const Embedding e = fitAndEmbed(prior, data);
        QCOMPARE(e.rows, std::int64_t(10));
        QCOMPARE(e.dim, std::int64_t(8));
        QCOMPARE(e.values.size(), std::size_t(80));
        for (float v : e.values)
            QVERIFY(std::isfinite(v));
        QVERIFY(prior.imageShape() == data.shape());
    }

    void reconstructionLossFalls() {
        const InMemoryDataset data = quadrantDataset(64, 28, 28, 1);
        AutoencoderPrior prior(8, options(8));
        QVERIFY(prior.fit(data, {}).ok());
        const std::vector<double>& losses = prior.epochLosses();
        QCOMPARE(losses.size(), std::size_t(8));
        // What the reconstruction loss exceeds the targets' own entropy by at least halves.
        const double floor = entropyFloor(data);
        QVERIFY(losses.back() > floor);
        QVERIFY2(losses.back() - floor < 0.5 * (losses.front() - floor),
                 ("floor " + std::to_string(floor) + ", first " + std::to_string(losses.front()) +
                  ", last " + std::to_string(losses.back()))
                     .c_str());
    }

    void sameSeedSameEmbeddingOtherSeedDiffers() {
        const InMemoryDataset data = quadrantDataset(24, 28, 28, 1);
        AutoencoderPrior a(6, options(2, 11)), b(6, options(2, 11)), c(6, options(2, 12));
        const Embedding ea = fitAndEmbed(a, data), eb = fitAndEmbed(b, data);
        const Embedding ec = fitAndEmbed(c, data);
        QVERIFY(sameFloats(ea, eb));
        QVERIFY(!sameFloats(ea, ec));
    }

    void progressReportsEpochsAndLoss() {
        const InMemoryDataset data = quadrantDataset(32, 16, 16, 1);
        AutoencoderPrior prior(4, options(2));
        std::vector<double> fractions;
        std::vector<std::string> messages;
        QVERIFY(prior
                    .fit(data,
                         [&](double f, std::string_view m) {
                             fractions.push_back(f);
                             messages.emplace_back(m);
                             return true;
                         })
                    .ok());
        QVERIFY(!fractions.empty());
        for (std::size_t i = 1; i < fractions.size(); ++i)
            QVERIFY(fractions[i] >= fractions[i - 1]);
        QCOMPARE(fractions.back(), 1.0);
        QVERIFY(messages.back().starts_with("ae:4 epoch 2/2 loss "));
    }

    void cancelAtFirstCallReturnsCancelled() {
        const InMemoryDataset data = quadrantDataset(32, 28, 28, 1);
        AutoencoderPrior prior(4, options(5));
        int calls = 0;
        const gps::Status status = prior.fit(data, [&](double, std::string_view) {
            ++calls;
            return false;
        });
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, ErrorCode::Cancelled);
        QCOMPARE(calls, 1);
        QVERIFY(!prior.fitted());
        QCOMPARE(prior.embed(data, {}).error().code, ErrorCode::InvalidInput);
    }

    void cancelDuringTrainingKeepsEarlierWeights() {
        const InMemoryDataset data = quadrantDataset(32, 28, 28, 1);
        AutoencoderPrior prior(4, options(3)); // 1 read + 6 batches + 1 final report
        const Embedding before = fitAndEmbed(prior, data);
        int calls = 0;
        const gps::Status status = prior.fit(data, [&](double, std::string_view) {
            return ++calls < 4; // stop at the fourth report: a few batches in
        });
        QCOMPARE(status.error().code, ErrorCode::Cancelled);
        QCOMPARE(calls, 4); // stopped at once, no report after the refusal
        QVERIFY(prior.fitted());
        QVERIFY(sameFloats(*prior.embed(data, {}), before));
    }

    void saveLoadGivesIdenticalEmbeddingWithoutFit() {
        QTemporaryDir dir;
        const std::filesystem::path file = inDir(dir, "ae.pt");
        const InMemoryDataset data = quadrantDataset(20, 32, 32, 3);
        AutoencoderPrior trained(8, options(2));
        const Embedding expected = fitAndEmbed(trained, data);
        QVERIFY(trained.saveState(file).ok());

        AutoencoderPrior fresh(8, options(2, 999));
        QVERIFY(fresh.loadState(file).ok());
        QVERIFY(fresh.fitted());
        QVERIFY(fresh.imageShape() == data.shape());
        QVERIFY(sameFloats(*fresh.embed(data, {}), expected));
    }

    void mismatchedStateIsAClearError() {
        QTemporaryDir dir;
        const std::filesystem::path file = inDir(dir, "ae8.pt");
        const InMemoryDataset data = quadrantDataset(8, 28, 28, 1);
        AutoencoderPrior ae8(8, options(1));
        QVERIFY(ae8.fit(data, {}).ok());
        QVERIFY(ae8.saveState(file).ok());

        AutoencoderPrior ae16(16, options(1));
        const gps::Status wrongDim = ae16.loadState(file);
        QCOMPARE(wrongDim.error().code, ErrorCode::Corrupt);
        QVERIFY2(wrongDim.error().message.find("ae:8") != std::string::npos &&
                     wrongDim.error().message.find("expected ae:16") != std::string::npos,
                 wrongDim.error().message.c_str());
        QVERIFY(!ae16.fitted());

        const std::filesystem::path junk = inDir(dir, "junk.pt");
        std::ofstream(junk) << "not a torch archive";
        const gps::Status garbage = ae16.loadState(junk);
        QCOMPARE(garbage.error().code, ErrorCode::Corrupt);
        QVERIFY(garbage.error().message.find("junk.pt") != std::string::npos);

        QCOMPARE(ae16.loadState(inDir(dir, "missing.pt")).error().code, ErrorCode::NotFound);
    }

    void nonFiniteWeightsAreNeverSaved() {
        // A diverged network must not become a cached fit that every later run reuses.
        QTemporaryDir dir;
        const std::filesystem::path file = inDir(dir, "ae.pt"), nanFile = inDir(dir, "nan.pt");
        AutoencoderPrior prior(8, options(1));
        QVERIFY(prior.fit(quadrantDataset(8, 28, 28, 1), {}).ok());
        QVERIFY(prior.saveState(file).ok());
        auto model = gps::priors::detail::loadAutoencoderModel(file, "ae:8");
        QVERIFY(model.ok());
        const auto parameters = (*model)->net->named_parameters(/*recurse=*/true);
        const std::string name = parameters.begin()->key();
        parameters.begin()->value().data_ptr<float>()[0] = std::numeric_limits<float>::quiet_NaN();
        const gps::Status saved = gps::priors::detail::saveAutoencoderModel(**model, nanFile);
        QCOMPARE(saved.error().code, ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(saved.error().message),
                 QString::fromStdString(nanFile.string() + ": the network's " + name +
                                        " has 1 NaN value; not saved"));
        QVERIFY(!std::filesystem::exists(nanFile));
    }

    void badInputsAreErrors() {
        AutoencoderPrior prior(4, options(1));
        const InMemoryDataset empty = quadrantDataset(0, 28, 28, 1);
        QCOMPARE(prior.fit(empty, {}).error().code, ErrorCode::InvalidInput);
        const InMemoryDataset twoChannels = quadrantDataset(4, 8, 8, 2);
        QCOMPARE(prior.fit(twoChannels, {}).error().code, ErrorCode::Unsupported);

        QVERIFY(prior.fit(quadrantDataset(8, 28, 28, 1), {}).ok());
        const auto other = prior.embed(quadrantDataset(4, 32, 32, 3), {});
        QCOMPARE(other.error().code, ErrorCode::InvalidInput);
        QVERIFY2(other.error().message.find("28x28x1") != std::string::npos,
                 other.error().message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestAutoencoderPrior)
#include "tst_autoencoder_prior.moc"
