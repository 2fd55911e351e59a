// The offline linear probe: separable clusters are learnt, random labels stay at chance, the
// seed fixes the result, unlabelled rows are dropped, errors name the problem, cancel works.

#include "eval/linear_probe.h"

#include <QtTest>
#include <torch/torch.h>

#include <cmath>
#include <vector>

using gps::ErrorCode;
using gps::eval::linearProbeAccuracy;
using gps::eval::LinearProbeOptions;

namespace {

struct Split {
    torch::Tensor x;
    torch::Tensor y;
};

// `classes` Gaussian clusters (σ = 1) centred at `spread` · e_c in `dim` dimensions, offset so the
// features are not centred (standardisation has work to do).
Split clusters(int rows, int dim, int classes, double spread, std::uint64_t seed) {
    torch::manual_seed(seed);
    const auto y = torch::randint(classes, {rows}, torch::kLong);
    const auto centres = torch::eye(classes, dim) * spread;
    return {torch::randn({rows, dim}) + centres.index_select(0, y) + 7.0, y};
}

Split randomLabels(int rows, int dim, int classes, std::uint64_t seed) {
    torch::manual_seed(seed);
    return {torch::randn({rows, dim}), torch::randint(classes, {rows}, torch::kLong)};
}

double accuracyOf(const Split& train, const Split& test, const LinearProbeOptions& options = {}) {
    const auto result = linearProbeAccuracy(train.x, train.y, test.x, test.y, options);
    if (!result.ok())
        qFatal("linear probe failed: %s", result.error().message.c_str());
    return *result;
}

} // namespace

class TestLinearProbe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void learnsSeparableClusters_data() {
        QTest::addColumn<int>("classes");
        QTest::addColumn<int>("batchSize");
        QTest::newRow("3 classes, full batch") << 3 << 512;
        QTest::newRow("5 classes, mini-batches of 32") << 5 << 32;
    }
    void learnsSeparableClusters() {
        QFETCH(int, classes);
        QFETCH(int, batchSize);
        LinearProbeOptions options;
        options.epochs = 30;
        options.batchSize = batchSize;
        const double acc = accuracyOf(clusters(300, 8, classes, 6.0, 1),
                                      clusters(200, 8, classes, 6.0, 2), options);
        QVERIFY2(acc > 0.95, qPrintable(QString::number(acc)));
    }

    void randomLabelsStayNearChance() {
        LinearProbeOptions options;
        options.epochs = 30;
        const double acc =
            accuracyOf(randomLabels(400, 16, 4, 3), randomLabels(400, 16, 4, 4), options);
        QVERIFY2(acc > 0.15 && acc < 0.35, qPrintable(QString::number(acc)));
    }

    void sameSeedSameAccuracy() {
        LinearProbeOptions options;
        options.epochs = 3;
        options.batchSize = 7;
        options.seed = 42;
        const Split train = randomLabels(200, 8, 3, 5), test = randomLabels(300, 8, 3, 6);
        const double first = accuracyOf(train, test, options);
        QVERIFY(first == accuracyOf(train, test, options));
    }

    void unlabelledRowsAreDropped() {
        const Split train = randomLabels(150, 6, 3, 7), test = randomLabels(100, 6, 3, 8);
        LinearProbeOptions options;
        options.epochs = 5;
        options.batchSize = 16;
        // Wild but finite features, and one NaN, in rows labelled -1: they must change nothing,
        // neither the standardisation nor the order of the labelled rows.
        auto noise = torch::full({20, 6}, 1e4f);
        noise[3][2] = std::nanf("");
        const Split padded{torch::cat({noise, train.x}),
                           torch::cat({torch::full({20}, -1, torch::kLong), train.y})};
        const Split paddedTest{torch::cat({test.x, noise}),
                               torch::cat({test.y, torch::full({20}, -1, torch::kLong)})};
        QVERIFY(accuracyOf(train, test, options) == accuracyOf(padded, paddedTest, options));
    }

    void classesSpanBothSplits() {
        // A test label no training row has: counted as a class, always missed, no error.
        Split train = clusters(120, 4, 3, 6.0, 9), test = clusters(40, 4, 3, 6.0, 10);
        test.y[0] = 5;
        LinearProbeOptions options;
        options.epochs = 20;
        const double acc = accuracyOf(train, test, options);
        QVERIFY2(acc <= 39.0 / 40.0 + 1e-12 && acc > 0.9, qPrintable(QString::number(acc)));
    }

    void errorsNameTheProblem_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("widths differ") << 0 << QStringLiteral("4 columns, test features 5");
        QTest::newRow("test label count")
            << 1 << QStringLiteral("test labels must be one per row (10)");
        QTest::newRow("no labelled train row")
            << 2 << QStringLiteral("train split has no labelled row");
        QTest::newRow("NaN in train")
            << 3
            << QStringLiteral("train features hold NaN or Inf in 1 row(s), the first being row 4");
        QTest::newRow("Inf in test") << 4 << QStringLiteral("test features hold NaN or Inf");
        QTest::newRow("3-d features")
            << 5 << QStringLiteral("test features must be N×F, got 10×4×1");
        QTest::newRow("epochs 0") << 6 << QStringLiteral("epochs must be ≥ 1");
        QTest::newRow("batch 0") << 7 << QStringLiteral("batch size must be ≥ 1");
        QTest::newRow("lr 0") << 8 << QStringLiteral("lr must be > 0");
        QTest::newRow("negative weight decay") << 9 << QStringLiteral("weight decay must be ≥ 0");
        QTest::newRow("integer features") << 10 << QStringLiteral("must be floating point");
        QTest::newRow("diverging lr") << 11 << QStringLiteral("became NaN or Inf");
    }
    void errorsNameTheProblem() {
        QFETCH(int, which);
        QFETCH(QString, fragment);
        Split train = clusters(20, 4, 2, 6.0, 11), test = clusters(10, 4, 2, 6.0, 12);
        LinearProbeOptions options;
        options.epochs = 2;
        switch (which) {
        case 0:
            test.x = torch::zeros({10, 5});
            break;
        case 1:
            test.y = test.y.narrow(0, 0, 9);
            break;
        case 2:
            train.y.fill_(-1);
            break;
        case 3:
            train.x[4][1] = std::nanf("");
            break;
        case 4:
            test.x[2][0] = INFINITY;
            break;
        case 5:
            test.x = test.x.unsqueeze(2);
            break;
        case 6:
            options.epochs = 0;
            break;
        case 7:
            options.batchSize = 0;
            break;
        case 8:
            options.lr = 0;
            break;
        case 9:
            options.weightDecay = -1;
            break;
        case 10:
            train.x = train.x.to(torch::kInt);
            break;
        case 11:
            options.lr = 1e38;
            options.epochs = 20;
            break;
        }
        const auto result = linearProbeAccuracy(train.x, train.y, test.x, test.y, options);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        QVERIFY2(QString::fromStdString(result.error().message).contains(fragment),
                 result.error().message.c_str());
        QVERIFY(QString::fromStdString(result.error().message).startsWith(u"linear probe: "));
    }

    void reportsEpochsAndCancels() {
        const Split train = clusters(50, 4, 2, 6.0, 13), test = clusters(20, 4, 2, 6.0, 14);
        LinearProbeOptions options;
        options.epochs = 4;
        std::vector<double> fractions;
        const auto done = linearProbeAccuracy(train.x, train.y, test.x, test.y, options,
                                              [&](double f, std::string_view) {
                                                  fractions.push_back(f);
                                                  return true;
                                              });
        QVERIFY(done.ok());
        QCOMPARE(fractions, (std::vector<double>{0.25, 0.5, 0.75, 1.0}));

        int calls = 0;
        const auto stopped =
            linearProbeAccuracy(train.x, train.y, test.x, test.y, options,
                                [&](double, std::string_view) { return ++calls < 2; });
        QVERIFY(!stopped.ok());
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
        QCOMPARE(calls, 2);
    }
};

QTEST_APPLESS_MAIN(TestLinearProbe)
#include "tst_linear_probe.moc"
