#include "common/check.h"
#include "neighbors/positive_sampler.h"

#include "neighbor_fixtures.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <map>

using namespace gps::neighbors;

Q_DECLARE_METATYPE(gps::neighbors::Rule)

namespace {

using gps::test::handGraph;
using gps::test::kInf;

SamplerOptions ballOf(float tau, Rule rule = Rule::Uniform, bool includeAnchor = false) {
    return {tau, 1, rule, includeAnchor};
}

SamplerOptions firstK(int k, Rule rule = Rule::Uniform) {
    return {std::nullopt, k, rule, false};
}

std::map<std::int64_t, int> drawCounts(const PositiveSampler& sampler, std::int64_t anchor,
                                       int draws, std::uint64_t seed) {
    gps::Rng rng(seed);
    std::map<std::int64_t, int> counts;
    for (int i = 0; i < draws; ++i)
        ++counts[sampler.sample(anchor, rng)];
    return counts;
}

} // namespace

class TestPositiveSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ballCounts_data() {
        QTest::addColumn<float>("tau");
        QTest::addColumn<QList<int>>("counts");
        QTest::addColumn<QList<bool>>("truncated");
        QTest::addColumn<qint64>("withNone");
        QTest::addColumn<double>("mean");
        QTest::newRow("tau 0: nothing inside")
            << 0.0f << QList<int>{0, 0, 0, 0, 0} << QList<bool>{false, false, false, false, false}
            << qint64(5) << 0.0;
        QTest::newRow("tau 0.45: only the dense anchor, truncated")
            << 0.45f << QList<int>{0, 0, 0, 4, 0} << QList<bool>{false, false, false, true, false}
            << qint64(4) << 0.8;
        QTest::newRow("tau 0.5: d == tau is inside")
            << 0.5f << QList<int>{1, 1, 0, 4, 0} << QList<bool>{false, false, false, true, false}
            << qint64(2) << 1.2;
        QTest::newRow("tau 1.0: both tied neighbours inside")
            << 1.0f << QList<int>{3, 1, 0, 4, 0} << QList<bool>{false, false, false, true, false}
            << qint64(2) << 1.6;
        QTest::newRow("tau 0.999: both tied neighbours outside")
            << 0.999f << QList<int>{1, 1, 0, 4, 0} << QList<bool>{false, false, false, true, false}
            << qint64(2) << 1.2;
        QTest::newRow("tau 100: padded row is not truncated")
            << 100.0f << QList<int>{4, 2, 4, 4, 4} << QList<bool>{true, false, true, true, true}
            << qint64(0) << 3.6;
    }
    void ballCounts() {
        QFETCH(float, tau);
        QFETCH(QList<int>, counts);
        QFETCH(QList<bool>, truncated);
        QFETCH(qint64, withNone);
        QFETCH(double, mean);
        const PositiveSampler sampler(handGraph(), ballOf(tau));
        qint64 truncatedTotal = 0;
        for (std::int64_t anchor = 0; anchor < 5; ++anchor) {
            QCOMPARE(sampler.candidateCount(anchor), std::int64_t(counts[anchor]));
            QCOMPARE(sampler.candidates(anchor).size(), std::size_t(counts[anchor]));
            QCOMPARE(sampler.truncated(anchor), truncated[anchor]);
            truncatedTotal += truncated[anchor];
        }
        QCOMPARE(sampler.anchorsWithNone(), withNone);
        QCOMPARE(sampler.truncatedCount(), truncatedTotal);
        QCOMPARE(sampler.meanCandidates(), mean);
    }

    void kModeTakesTheFirstK_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<QList<int>>("counts");
        QTest::newRow("k 1") << 1 << QList<int>{1, 1, 1, 1, 1};
        QTest::newRow("k 3: padded row has only 2") << 3 << QList<int>{3, 2, 3, 3, 3};
        QTest::newRow("k 4") << 4 << QList<int>{4, 2, 4, 4, 4};
    }
    void kModeTakesTheFirstK() {
        QFETCH(int, k);
        QFETCH(QList<int>, counts);
        const PositiveSampler sampler(handGraph(), firstK(k));
        for (std::int64_t anchor = 0; anchor < 5; ++anchor) {
            QCOMPARE(sampler.candidateCount(anchor), std::int64_t(counts[anchor]));
            QVERIFY(!sampler.truncated(anchor)); // no radius, nothing is cut off
            const auto listed = sampler.graph().neighborsOf(anchor);
            for (std::size_t j = 0; j < sampler.candidates(anchor).size(); ++j)
                QCOMPARE(sampler.candidates(anchor)[j], listed[j]);
        }
        QCOMPARE(sampler.anchorsWithNone(), std::int64_t(0));
        QCOMPARE(sampler.truncatedCount(), std::int64_t(0));
    }

    void emptyBallFallsBackToTheAnchor_data() {
        QTest::addColumn<Rule>("rule");
        QTest::addColumn<bool>("includeAnchor");
        QTest::newRow("uniform") << Rule::Uniform << false;
        QTest::newRow("uniform with anchor") << Rule::Uniform << true;
        QTest::newRow("farthest") << Rule::Farthest << false;
    }
    void emptyBallFallsBackToTheAnchor() {
        QFETCH(Rule, rule);
        QFETCH(bool, includeAnchor);
        const PositiveSampler sampler(handGraph(), ballOf(1.0f, rule, includeAnchor));
        const auto counts = drawCounts(sampler, 2, 200, 1);
        QCOMPARE(counts.size(), std::size_t(1));
        QCOMPARE(counts.begin()->first, std::int64_t(2));
        QCOMPARE(drawCounts(sampler, 4, 200, 2).begin()->first, std::int64_t(4));
    }

    void farthestPicksTheLargestInside_data() {
        QTest::addColumn<float>("tau"); // < 0: k-mode with k = -tau
        QTest::addColumn<qint64>("anchor");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("tau 1.0, tie at 1.0: the later listed") << 1.0f << qint64(0) << qint64(3);
        QTest::newRow("tau 0.7") << 0.7f << qint64(0) << qint64(1);
        QTest::newRow("tau 2.5") << 2.5f << qint64(0) << qint64(4);
        QTest::newRow("tau 0.35, dense anchor") << 0.35f << qint64(3) << qint64(0);
        QTest::newRow("k-mode k 2: the 2nd") << -2.0f << qint64(2) << qint64(0);
        QTest::newRow("k-mode k 4, padded row: the last listed") << -4.0f << qint64(1) << qint64(2);
    }
    void farthestPicksTheLargestInside() {
        QFETCH(float, tau);
        QFETCH(qint64, anchor);
        QFETCH(qint64, expected);
        const auto options =
            tau < 0 ? firstK(int(-tau), Rule::Farthest) : ballOf(tau, Rule::Farthest);
        const PositiveSampler sampler(handGraph(), options);
        const auto counts = drawCounts(sampler, anchor, 50, 3);
        QCOMPARE(counts.size(), std::size_t(1)); // deterministic
        QCOMPARE(counts.begin()->first, std::int64_t(expected));
    }

    void uniformDrawsAreRoughlyUniform_data() {
        QTest::addColumn<bool>("includeAnchor");
        QTest::addColumn<QList<qint64>>("outcomes");
        QTest::newRow("three candidates") << false << QList<qint64>{1, 2, 3};
        QTest::newRow("three candidates and the anchor") << true << QList<qint64>{0, 1, 2, 3};
    }
    void uniformDrawsAreRoughlyUniform() {
        QFETCH(bool, includeAnchor);
        QFETCH(QList<qint64>, outcomes);
        const PositiveSampler sampler(handGraph(), ballOf(1.0f, Rule::Uniform, includeAnchor));
        const int draws = 40000;
        const auto counts = drawCounts(sampler, 0, draws, 42);
        QCOMPARE(counts.size(), std::size_t(outcomes.size())); // never row 4 (d 2.0 > τ)
        for (const auto outcome : outcomes) {
            QVERIFY(counts.count(outcome));
            const double share = double(counts.at(outcome)) / draws;
            QVERIFY2(std::abs(share - 1.0 / outcomes.size()) < 0.015,
                     qPrintable(QStringLiteral("%1: %2").arg(outcome).arg(share)));
        }
    }

    void sameSeedSameDraws() {
        const PositiveSampler sampler(handGraph(), ballOf(100.0f));
        gps::Rng a(9), b(9);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(sampler.sample(i % 5, a), sampler.sample(i % 5, b));
    }

    void setOptionsRecounts() {
        PositiveSampler sampler(handGraph(), ballOf(0.0f));
        QCOMPARE(sampler.anchorsWithNone(), std::int64_t(5));
        sampler.setOptions(ballOf(1.0f));
        QCOMPARE(sampler.candidateCount(0), std::int64_t(3));
        QCOMPARE(sampler.anchorsWithNone(), std::int64_t(2));
        QCOMPARE(sampler.truncatedCount(), std::int64_t(1));
        sampler.setOptions(firstK(2));
        QCOMPARE(sampler.candidateCount(2), std::int64_t(2));
        QCOMPARE(sampler.anchorsWithNone(), std::int64_t(0));
        QCOMPARE(sampler.truncatedCount(), std::int64_t(0));
        QCOMPARE(sampler.meanCandidates(), 2.0);
        sampler.setOptions(ballOf(100.0f));
        QCOMPARE(sampler.truncatedCount(), std::int64_t(4));
    }

    void badOptionsAreRefused_data() {
        QTest::addColumn<float>("tau"); // NaN here means k-mode
        QTest::addColumn<int>("k");
        QTest::addColumn<QString>("mention");
        const float nan = std::numeric_limits<float>::quiet_NaN();
        QTest::newRow("negative tau") << -0.1f << 1 << "tau";
        QTest::newRow("infinite tau") << kInf << 1 << "tau";
        QTest::newRow("k 0") << nan << 0 << "k: must be in [1, k_max = 4]";
        QTest::newRow("k above k_max") << nan << 5 << "got 5";
    }
    void badOptionsAreRefused() {
        QFETCH(float, tau);
        QFETCH(int, k);
        QFETCH(QString, mention);
        const auto graph = handGraph();
        const SamplerOptions options{std::isnan(tau) ? std::nullopt : std::optional<float>(tau), k,
                                     Rule::Uniform, false};
        const auto checked = checkSamplerOptions(*graph, options);
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code, gps::ErrorCode::InvalidInput);
        QVERIFY2(checked.error().message.find(mention.toStdString()) != std::string::npos,
                 checked.error().message.c_str());
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, PositiveSampler(graph, options));
    }

    // The reference pools the distances to neighbours 1..m of every anchor (not the m-th alone,
    // which gives a larger τ). Column 1 holds 0.5 ×5, column 2 holds 1, 2, 3, 4 and one padded
    // row, column 3 holds 10, 10, 10, 30 and padding; padding is skipped.
    void suggestTauPoolsTheFirstMColumns_data() {
        QTest::addColumn<int>("m");
        QTest::addColumn<double>("c");
        QTest::addColumn<double>("expected");
        // m 2: nine distances, sum 12.5, sum of squares 31.25: mean 25/18, variance 125/81.
        QTest::newRow("m 2, c 1") << 2 << 1.0 << 25.0 / 18 + std::sqrt(125.0) / 9;
        QTest::newRow("m 2, c 2") << 2 << 2.0 << 25.0 / 18 + 2 * std::sqrt(125.0) / 9;
        QTest::newRow("m 2, c 0: the mean") << 2 << 0.0 << 25.0 / 18;
        QTest::newRow("m 1: no spread") << 1 << 1.0 << 0.5;
        QTest::newRow("m 0 clamps to 1") << 0 << 1.0 << 0.5;
        // m 3: thirteen distances, sum 72.5, sum of squares 1231.25: mean 145/26,
        // variance 10750/169.
        QTest::newRow("m 20 clamps to k") << 20 << 1.0 << 145.0 / 26 + std::sqrt(10750.0) / 13;
    }
    void suggestTauPoolsTheFirstMColumns() {
        QFETCH(int, m);
        QFETCH(double, c);
        QFETCH(double, expected);
        const KnnGraph graph{5,
                             3,
                             {1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2, 0, -1, -1},
                             {0.5f, 1, 10, 0.5f, 2, 10, 0.5f, 3, 10, 0.5f, 4, 30, 0.5f, kInf, kInf},
                             "hand-made"};
        QVERIFY(std::abs(suggestTau(graph, m, c) - expected) < 1e-9);
    }
};

QTEST_APPLESS_MAIN(TestPositiveSampler)
#include "tst_positive_sampler.moc"
