// Per-class purity and the anchors with the most other-class candidates, on the hand-made graph.

#include "neighbors/class_quality.h"

#include "neighbor_fixtures.h"

#include <QtTest>

#include <cmath>

using namespace gps::neighbors;

class TestClassQuality : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void purityPerClassAndWorstAnchors() {
        // τ = 1: candidates 0→{1,2,3}, 1→{0}, 3→{2,4,0,1}; anchors 2 and 4 have none.
        const auto graph = gps::test::handGraph();
        const std::vector<int> labels = {0, 1, 1, 1, 0};
        const ClassQuality q = classQuality(*graph, labels, {1.0f, 1, Rule::Uniform, false});
        QCOMPARE(q.classes.size(), std::size_t(2));
        // Class 0: anchor 0 has 0 of 3 same, anchor 4 none → mean 0, one without.
        QCOMPARE(q.classes[0].label, 0);
        QCOMPARE(q.classes[0].anchors, std::int64_t(2));
        QCOMPARE(q.classes[0].meanPurity, 0.0);
        QCOMPARE(q.classes[0].withNone, std::int64_t(1));
        // Class 1: anchor 1 has 0 of 1, anchor 3 has 2 of 4 ({2, 1}), anchor 2 none.
        QCOMPARE(q.classes[1].anchors, std::int64_t(3));
        QCOMPARE(q.classes[1].meanPurity, (0.0 + 0.5) / 2);
        QCOMPARE(q.classes[1].withNone, std::int64_t(1));
        // Other-class counts: 0 → 3 of 3, 3 → 2 of 4, 1 → 1 of 1.
        QCOMPARE(q.worst.size(), std::size_t(3));
        QCOMPARE(q.worst[0].anchor, std::int64_t(0));
        QCOMPARE(q.worst[0].otherClass, std::int64_t(3));
        QCOMPARE(q.worst[0].candidates, std::int64_t(3));
        QCOMPARE(q.worst[1].anchor, std::int64_t(3));
        QCOMPARE(q.worst[1].otherClass, std::int64_t(2));
        QCOMPARE(q.worst[2].anchor, std::int64_t(1));

        const ClassQuality top = classQuality(*graph, labels, {1.0f, 1, Rule::Uniform, false}, 2);
        QCOMPARE(top.worst.size(), std::size_t(2));
    }

    void kModeAndUnlabelledAnchors() {
        // k = 1: first neighbours 0→1, 1→0, 2→3, 3→2, 4→0. Anchor 2 is unlabelled.
        const auto graph = gps::test::handGraph();
        const std::vector<int> labels = {0, 0, -1, 1, 1};
        const ClassQuality q =
            classQuality(*graph, labels, {std::nullopt, 1, Rule::Uniform, false});
        QCOMPARE(q.classes[0].meanPurity, 1.0); // 0→1 and 1→0 share class 0
        QCOMPARE(q.classes[1].anchors, std::int64_t(2));
        QCOMPARE(q.classes[1].meanPurity, 0.0); // 3→2 (unlabelled never matches), 4→0
        // Ties at one other-class candidate of one: the smaller index first.
        QCOMPARE(q.worst.size(), std::size_t(2));
        QCOMPARE(q.worst[0].anchor, std::int64_t(3));
        QCOMPARE(q.worst[1].anchor, std::int64_t(4));
    }

    void noCandidatesIsNanAndNoLabelsIsEmpty() {
        const auto graph = gps::test::handGraph();
        const std::vector<int> labels = {0, 1, 1, 1, 0};
        const ClassQuality q = classQuality(*graph, labels, {0.0f, 1, Rule::Uniform, false});
        QVERIFY(std::isnan(q.classes[0].meanPurity));
        QCOMPARE(q.classes[0].withNone, std::int64_t(2));
        QVERIFY(q.worst.empty());
        QVERIFY(classQuality(*graph, {}, {1.0f, 1, Rule::Uniform, false}).classes.empty());
    }
};

QTEST_APPLESS_MAIN(TestClassQuality)
#include "tst_class_quality.moc"
