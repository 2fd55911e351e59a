#include "common/rng.h"
#include "neighbors/neighbor_stats.h"

#include "neighbor_fixtures.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace gps::neighbors;

namespace {

using gps::test::handGraph;
using gps::test::kInf;

SamplerOptions ballOf(float tau) {
    return {tau, 1, Rule::Uniform, false};
}

bool sameOrBothNan(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || std::abs(a - b) < 1e-12;
}

} // namespace

class TestNeighborStats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handMadeLabelledCase_data() {
        QTest::addColumn<QList<int>>("labels");
        QTest::addColumn<double>("purityAtOne");
        QTest::addColumn<double>("candidatePurity");
        // τ = 1: candidates 0→{1,2,3}, 1→{0}, 3→{2,4,0,1}; anchors 2 and 4 have none.
        // First neighbours: 0→1, 1→0, 2→3, 3→2, 4→0.
        QTest::newRow("two classes") << QList<int>{0, 1, 1, 1, 0} << 3.0 / 5 << 2.0 / 8;
        QTest::newRow("one class: everything pure") << QList<int>{2, 2, 2, 2, 2} << 1.0 << 1.0;
        // Anchor 0 unlabelled: left out; as a neighbour it never matches.
        QTest::newRow("an unlabelled anchor") << QList<int>{-1, 1, 1, 1, 0} << 2.0 / 4 << 2.0 / 5;
    }
    void handMadeLabelledCase() {
        QFETCH(QList<int>, labels);
        QFETCH(double, purityAtOne);
        QFETCH(double, candidatePurity);
        const auto graph = handGraph();
        const PositiveSampler sampler(graph, ballOf(1.0f));
        const std::vector<int> labelVector(labels.begin(), labels.end());
        const NeighborStats stats = computeNeighborStats(*graph, sampler, labelVector, 4);
        QCOMPARE(stats.anchors, std::int64_t(5));
        QVERIFY(stats.purityAtOne.has_value() && stats.candidatePurity.has_value());
        QCOMPARE(*stats.purityAtOne, purityAtOne);
        QCOMPARE(*stats.candidatePurity, candidatePurity);
        QCOMPARE(stats.meanCandidates, 8.0 / 5);
        QCOMPARE(stats.shareWithNone, 2.0 / 5);
        QCOMPARE(stats.shareTruncated, 1.0 / 5);
    }

    void histogramCountsOnCommonEdges() {
        const auto graph = handGraph();
        const PositiveSampler sampler(graph, ballOf(1.0f));
        const NeighborStats stats = computeNeighborStats(*graph, sampler, {}, 4);
        // Largest listed distance 8 → edges 0 2 4 6 8. Candidates (all < 2): 8 in bin 0.
        // Others: 1.5 1.6 1.7 1.8 → bin 0; 2.0 3.0 → bin 1; 5 → bin 2; 6 7 8 → bin 3 (8 is the
        // right edge, kept in the last bin).
        QCOMPARE(stats.histogram.edges, (std::vector<double>{0, 2, 4, 6, 8}));
        QCOMPARE(stats.histogram.candidates, (std::vector<std::int64_t>{8, 0, 0, 0}));
        QCOMPARE(stats.histogram.others, (std::vector<std::int64_t>{4, 2, 1, 3}));
        QVERIFY(!stats.purityAtOne.has_value()); // no labels, no purity
        QVERIFY(!stats.candidatePurity.has_value());
    }

    void kModeStatistics() {
        const auto graph = handGraph();
        const PositiveSampler sampler(graph, {std::nullopt, 2, Rule::Uniform, false});
        const std::vector<int> labels = {0, 1, 1, 1, 0};
        const NeighborStats stats = computeNeighborStats(*graph, sampler, labels, 2);
        // First two: 0→{1,2} 0 same; 1→{0,2} 1 same; 2→{3,0} 1; 3→{2,4} 1; 4→{0,1} 1.
        QCOMPARE(*stats.candidatePurity, 4.0 / 10);
        QCOMPARE(stats.meanCandidates, 2.0);
        QCOMPARE(stats.shareWithNone, 0.0);
        QCOMPARE(stats.shareTruncated, 0.0);
        // Edges 0 4 8: candidates 0.5 1 0.5 3 1.5 1.6 0.1 0.2 5 6 → 8 | 2.
        QCOMPARE(stats.histogram.candidates, (std::vector<std::int64_t>{8, 2}));
        QCOMPARE(stats.histogram.others, (std::vector<std::int64_t>{6, 2}));
    }

    void tauCurvesOnTheHandMadeGraph() {
        const auto graph = handGraph();
        const std::vector<int> labels = {0, 1, 1, 1, 0};
        const std::vector<float> taus = {100.0f, 1.0f, 0.0f};
        const TauCurves curves = tauCurves(*graph, labels, taus);
        QCOMPARE(curves.taus, taus);
        QCOMPARE(curves.coverage, (std::vector<double>{1.0, 3.0 / 5, 0.0}));
        QCOMPARE(curves.meanCandidates, (std::vector<double>{18.0 / 5, 8.0 / 5, 0.0}));
        QCOMPARE(curves.shareTruncated, (std::vector<double>{4.0 / 5, 1.0 / 5, 0.0}));
        QCOMPARE(curves.purity[1], 2.0 / 8);
        QVERIFY(std::isnan(curves.purity[2])); // no candidate at τ = 0
    }

    // k-mode's curves over k are, entry by entry, the statistics of a k-mode sampler with that k.
    void kCurvesEqualPerKRecomputation() {
        const auto graph = handGraph();
        const std::vector<int> labels{0, 1, 1, -1, 0};
        const KCurves curves = kCurves(*graph, labels);
        QCOMPARE(int(curves.ks.size()), graph->k);
        for (int k = 1; k <= graph->k; ++k) {
            const PositiveSampler sampler(graph, {std::nullopt, k, Rule::Uniform, false});
            const NeighborStats stats = computeNeighborStats(*graph, sampler, labels, 4);
            const std::size_t i = std::size_t(k - 1);
            QCOMPARE(curves.ks[i], k);
            QVERIFY2(sameOrBothNan(curves.purity[i], stats.candidatePurity.value_or(
                                                         std::numeric_limits<double>::quiet_NaN())),
                     qPrintable(QStringLiteral("k = %1").arg(k)));
            QVERIFY(sameOrBothNan(curves.coverage[i], 1.0 - stats.shareWithNone));
        }
        const KCurves unlabelled = kCurves(*graph, {});
        QVERIFY(std::isnan(unlabelled.purity.front()));
    }

    void tauCurvesEqualPerTauRecomputation_data() {
        QTest::addColumn<bool>("handMade");
        QTest::addColumn<bool>("labelled");
        QTest::newRow("hand-made, labelled") << true << true;
        QTest::newRow("random graph, labelled") << false << true;
        QTest::newRow("random graph, unlabelled") << false << false;
    }
    void tauCurvesEqualPerTauRecomputation() {
        QFETCH(bool, handMade);
        QFETCH(bool, labelled);
        gps::Rng rng(17);
        std::shared_ptr<const KnnGraph> graph = handGraph();
        std::vector<int> labels = {0, 1, 1, 1, 0};
        std::vector<float> taus = {1.0f, 0.0f, 100.0f, 0.45f, 1.0f, 1.55f, 0.5f, 7.0f};
        if (!handMade) {
            const int n = 400, dim = 6;
            std::vector<float> rows(n * dim);
            for (auto& x : rows)
                x = float(rng.uniform());
            auto built =
                buildKnnGraph(rows.data(), n, dim, {12, Metric::L2, IndexKind::Flat, 4096});
            QVERIFY(built.ok());
            graph = std::make_shared<const KnnGraph>(std::move(*built));
            labels.resize(n);
            for (auto& label : labels)
                label = int(rng.below(4)) - (rng.bernoulli(0.05) ? 5 : 0); // a few unlabelled
            const double suggested = suggestTau(*graph, 6, 1.0);
            taus.clear();
            for (int t = 0; t < 25; ++t)
                taus.push_back(float(suggested * rng.uniform(0.0, 2.0)));
            taus.push_back(graph->distances[7]); // exactly one listed distance: d == τ is inside
        }
        if (!labelled)
            labels.clear();
        const TauCurves curves = tauCurves(*graph, labels, taus);
        QCOMPARE(curves.purity.size(), taus.size());
        for (std::size_t t = 0; t < taus.size(); ++t) {
            const PositiveSampler sampler(graph, ballOf(taus[t]));
            const NeighborStats stats = computeNeighborStats(*graph, sampler, labels);
            const double purity = stats.candidatePurity.value_or(std::nan(""));
            QVERIFY2(sameOrBothNan(curves.purity[t], purity),
                     qPrintable(QStringLiteral("tau %1: %2 vs %3")
                                    .arg(taus[t])
                                    .arg(curves.purity[t])
                                    .arg(purity)));
            QCOMPARE(curves.coverage[t], 1.0 - stats.shareWithNone);
            QCOMPARE(curves.meanCandidates[t], stats.meanCandidates);
            QCOMPARE(curves.shareTruncated[t], stats.shareTruncated);
        }
    }
};

QTEST_APPLESS_MAIN(TestNeighborStats)
#include "tst_neighbor_stats.moc"
