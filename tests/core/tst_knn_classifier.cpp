// The weighted kNN classifier: a hand-made 2-D case where the exp(cos / T) weights decide
// against the majority, k clamping, cosine (not dot product), block size, a brute-force
// reference, unlabelled rows, errors and cancel.

#include "common/rng.h"
#include "eval/linear_probe.h"

#include <QtTest>
#include <torch/torch.h>

#include <cmath>
#include <map>
#include <vector>

using gps::ErrorCode;
using gps::eval::knnAccuracy;
using gps::eval::KnnClassifierOptions;

Q_DECLARE_METATYPE(ErrorCode)

namespace {

// Train: class 0 at angle 0 (norm 1), class 1 twice at ±60° with norm 5. Test: the direction of
// angle 0 at norms 1 and 3, both class 0, plus an unlabelled row pointing at class 1. Cosines
// from the test direction: 1 for class 0, 0.5 for both class-1 rows, so with all three voting
// class 1 wins the majority but class 0 wins when exp(1/T) > 2·exp(0.5/T), i.e. T < 0.5/ln 2.
struct TwoD {
    torch::Tensor trainX =
        torch::tensor({1.0f, 0.0f, 2.5f, 4.330127f, 2.5f, -4.330127f}).view({3, 2});
    torch::Tensor trainY = torch::tensor({0, 1, 1}, torch::kLong);
    torch::Tensor testX = torch::tensor({1.0f, 0.0f, 3.0f, 0.0f, 0.0f, 1.0f}).view({3, 2});
    torch::Tensor testY = torch::tensor({0, 0, -1}, torch::kLong);
};

struct Blobs {
    torch::Tensor x;
    torch::Tensor y;
};

Blobs randomBlobs(int rows, int dim, int classes, std::uint64_t seed) {
    gps::Rng rng(seed);
    Blobs b{torch::empty({rows, dim}), torch::empty({rows}, torch::kLong)};
    for (int i = 0; i < rows; ++i) {
        b.y[i] = std::int64_t(rng.below(std::uint64_t(classes)));
        for (int j = 0; j < dim; ++j)
            b.x[i][j] = float(rng.uniform(-1, 1) + (j == b.y[i].item<int>() ? 0.8 : 0.0));
    }
    return b;
}

// The same classifier written as loops in double, for comparison.
double referenceAccuracy(const Blobs& train, const Blobs& test, int k, double t) {
    const auto unit = [](const torch::Tensor& x) {
        return (x.to(torch::kDouble) / x.to(torch::kDouble).norm(2, {1}, true)).contiguous();
    };
    const torch::Tensor a = unit(train.x), b = unit(test.x);
    const auto n = a.size(0), dim = a.size(1);
    int correct = 0;
    for (std::int64_t q = 0; q < b.size(0); ++q) {
        std::vector<std::pair<double, std::int64_t>> sims;
        for (std::int64_t i = 0; i < n; ++i) {
            double s = 0;
            for (std::int64_t j = 0; j < dim; ++j)
                s += a[i][j].item<double>() * b[q][j].item<double>();
            sims.emplace_back(s, train.y[i].item<std::int64_t>());
        }
        std::sort(sims.begin(), sims.end(), [](auto& l, auto& r) { return l.first > r.first; });
        std::map<std::int64_t, double> votes;
        for (int i = 0; i < std::min<int>(k, int(n)); ++i)
            votes[sims[std::size_t(i)].second] += std::exp(sims[std::size_t(i)].first / t);
        const auto best = std::max_element(votes.begin(), votes.end(),
                                           [](auto& l, auto& r) { return l.second < r.second; });
        correct += best->first == test.y[q].item<std::int64_t>();
    }
    return double(correct) / double(b.size(0));
}

} // namespace

class TestKnnClassifier : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void weightsDecideAgainstTheMajority_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<double>("accuracy");
        QTest::newRow("k=3, T=0.07: the near vote outweighs two far ones") << 3 << 0.07 << 1.0;
        QTest::newRow("k=3, T=0.5: still below 0.5/ln 2") << 3 << 0.5 << 1.0;
        QTest::newRow("k=3, T=1: weights flatten, majority wins") << 3 << 1.0 << 0.0;
        QTest::newRow("k=3, T=100: plain majority") << 3 << 100.0 << 0.0;
        QTest::newRow("k=1: cosine, not the dot product (class 1 has 2.5x larger)")
            << 1 << 100.0 << 1.0;
        QTest::newRow("k=2: one vote each, the nearer weighs more") << 2 << 100.0 << 1.0;
        QTest::newRow("k=50 clamps to 3, T=0.07") << 50 << 0.07 << 1.0;
        QTest::newRow("k=50 clamps to 3, T=100") << 50 << 100.0 << 0.0;
    }
    void weightsDecideAgainstTheMajority() {
        QFETCH(int, k);
        QFETCH(double, temperature);
        QFETCH(double, accuracy);
        const TwoD d;
        KnnClassifierOptions options;
        options.k = k;
        options.temperature = temperature;
        const auto result = knnAccuracy(d.trainX, d.trainY, d.testX, d.testY, options);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QCOMPARE(*result, accuracy);
    }

    void matchesBruteForceForAnyBlockSize_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<qint64>("batchRows");
        QTest::newRow("k=20, T=0.07, one row per block") << 20 << 0.07 << qint64(1);
        QTest::newRow("k=20, T=0.07, blocks of 7") << 20 << 0.07 << qint64(7);
        QTest::newRow("k=5, T=0.5, one block") << 5 << 0.5 << qint64(1024);
        QTest::newRow("k=1") << 1 << 0.07 << qint64(16);
    }
    void matchesBruteForceForAnyBlockSize() {
        QFETCH(int, k);
        QFETCH(double, temperature);
        QFETCH(qint64, batchRows);
        const Blobs train = randomBlobs(120, 6, 4, 1), test = randomBlobs(45, 6, 4, 2);
        KnnClassifierOptions options{k, temperature, batchRows};
        const auto result = knnAccuracy(train.x, train.y, test.x, test.y, options);
        QVERIFY(result.ok());
        const double expected = referenceAccuracy(train, test, k, temperature);
        QCOMPARE(*result, expected);
        QVERIFY(expected > 0.4); // the blobs are learnable, so a broken vote would show
    }

    void unlabelledTrainingRowsDoNotVote() {
        const Blobs train = randomBlobs(120, 6, 4, 5), test = randomBlobs(40, 6, 4, 6);
        // Copies of the test rows, unlabelled: as voters they would sit at cosine 1.
        const auto x = torch::cat({train.x, test.x});
        const auto y = torch::cat({train.y, torch::full({40}, -1, torch::kLong)});
        const auto result = knnAccuracy(x, y, test.x, test.y, {});
        QVERIFY(result.ok());
        QCOMPARE(*result, referenceAccuracy(train, test, 20, 0.07));
    }

    void errorsNameTheProblem_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("widths differ") << 0 << QStringLiteral("2 columns, test features 3");
        QTest::newRow("label count") << 1 << QStringLiteral("train labels must be one per row");
        QTest::newRow("no labelled train row")
            << 2 << QStringLiteral("train split has no labelled");
        QTest::newRow("no labelled test row") << 3 << QStringLiteral("test split has no labelled");
        QTest::newRow("NaN in test") << 4 << QStringLiteral("test features hold NaN or Inf");
        QTest::newRow("1-d features") << 5 << QStringLiteral("train features must be N×F");
        QTest::newRow("k = 0") << 6 << QStringLiteral("k must be ≥ 1");
        QTest::newRow("T = 0") << 7 << QStringLiteral("temperature must be > 0");
        QTest::newRow("labels below -1") << 8 << QStringLiteral("labels must be ≥ -1");
        QTest::newRow("float labels") << 9 << QStringLiteral("labels must be integers");
    }
    void errorsNameTheProblem() {
        QFETCH(int, which);
        QFETCH(QString, fragment);
        TwoD d;
        KnnClassifierOptions options;
        switch (which) {
        case 0:
            d.testX = torch::zeros({3, 3});
            break;
        case 1:
            d.trainY = torch::tensor({0, 1}, torch::kLong);
            break;
        case 2:
            d.trainY = torch::full({3}, -1, torch::kLong);
            break;
        case 3:
            d.testY = torch::full({3}, -1, torch::kLong);
            break;
        case 4:
            d.testX[1][0] = std::nanf("");
            break;
        case 5:
            d.trainX = torch::zeros({3});
            break;
        case 6:
            options.k = 0;
            break;
        case 7:
            options.temperature = 0;
            break;
        case 8:
            d.trainY[0] = -2;
            break;
        case 9:
            d.trainY = torch::tensor({0.0f, 1.0f, 1.0f});
            break;
        }
        const auto result = knnAccuracy(d.trainX, d.trainY, d.testX, d.testY, options);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        QVERIFY2(QString::fromStdString(result.error().message).contains(fragment),
                 result.error().message.c_str());
        QVERIFY(QString::fromStdString(result.error().message).startsWith(u"knn: "));
    }

    void nanInAnUnlabelledRowIsDropped() {
        TwoD d;
        d.testX[2][0] = std::nanf("");
        const auto result = knnAccuracy(d.trainX, d.trainY, d.testX, d.testY, {});
        QVERIFY(result.ok());
    }

    void cancelStopsBetweenBlocks() {
        const Blobs train = randomBlobs(30, 4, 3, 3), test = randomBlobs(10, 4, 3, 4);
        int calls = 0;
        KnnClassifierOptions options;
        options.batchRows = 2;
        const auto result = knnAccuracy(train.x, train.y, test.x, test.y, options,
                                        [&](double, std::string_view) { return ++calls < 2; });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QCOMPARE(calls, 2);
    }
};

QTEST_APPLESS_MAIN(TestKnnClassifier)
#include "tst_knn_classifier.moc"
