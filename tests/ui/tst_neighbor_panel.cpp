// NeighborPanel on a hand-made graph: the anchor's candidates and their red marks, statistics that
// follow τ, the slider's scale, k-mode, the farthest rule and the histogram split at τ.

#include "bridge/neighbor_job.h"
#include "panels/neighbor_panel.h"
#include "ui_fixtures.h"
#include "widgets/distance_histogram_plot.h"
#include "widgets/image_grid.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

using gps::ui::ImageGrid;
using gps::ui::NeighborPanel;

namespace {

// 6 images, labels i mod 2 (0 1 0 1 0 1), k = 3. Rows ascend and never list themselves.
gps::ui::NeighborGraphPtr makeGraph() {
    auto graph = std::make_shared<gps::neighbors::KnnGraph>();
    graph->rows = 6;
    graph->k = 3;
    graph->indices = {2,      1, 4, /**/ 3, 5, 0, /**/ 0, 4, 3,
                      /**/ 1, 2, 5, /**/ 2, 0, 5, /**/ 1, 3, 4};
    graph->distances = {0.1f,      0.2f, 0.5f, /**/ 0.1f, 0.3f, 0.6f, /**/ 0.1f, 0.2f, 0.7f,
                        /**/ 0.1f, 0.4f, 0.8f, /**/ 0.2f, 0.5f, 0.9f, /**/ 0.3f, 0.8f, 0.9f};
    graph->indexDescription = "hand-made";
    const auto dataset = gps::test::inMemory(gps::test::makeTinyImages(6, 8, 8, 1, 2));
    return gps::ui::makeNeighborGraph(dataset, graph, {}, QStringLiteral("test"));
}

QString textOf(const NeighborPanel& panel, const char* name) {
    auto* label = panel.findChild<QLabel*>(QString::fromLatin1(name));
    return label ? label->text() : QStringLiteral("<missing %1>").arg(QString::fromLatin1(name));
}

ImageGrid* gridOf(const NeighborPanel& panel) {
    return panel.findChild<ImageGrid*>(QStringLiteral("neighborGrid"));
}

} // namespace

class TestNeighborPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void labelsAndScaleComeFromTheDataset() {
        const auto graph = makeGraph();
        QCOMPARE(graph->labels, (std::vector<int>{0, 1, 0, 1, 0, 1}));
        QCOMPARE(graph->tauMax, 0.9f); // the 99th percentile of 18 distances is the 17th
        QCOMPARE(int(graph->curves.taus.size()), gps::ui::kCurvePoints);
    }

    void showsTheAnchorThenItsCandidatesMarkingOtherClasses() {
        NeighborPanel panel;
        panel.setGraph(makeGraph());
        panel.showAnchor(0);
        panel.setTau(0.25);
        QCOMPARE(panel.candidateCount(), 2);
        ImageGrid* grid = gridOf(panel);
        QCOMPARE(grid->count(), 1 + 2);
        QVERIFY(grid->caption(0).contains(QStringLiteral("#0")));
        QVERIFY(grid->caption(1).startsWith(QStringLiteral("0.1 #2")));
        QVERIFY(grid->caption(2).startsWith(QStringLiteral("0.2 #1")));
        QVERIFY(!grid->isFlagged(0));
        QVERIFY(!grid->isFlagged(1)); // image 2 has the anchor's class 0
        QVERIFY(grid->isFlagged(2));  // image 1 has class 1
        QVERIFY(textOf(panel, "neighborAnchorText")
                    .contains(QStringLiteral("2 candidates; 1 of another class")));

        panel.setTau(0.55);
        QCOMPARE(panel.candidateCount(), 3);
        QCOMPARE(grid->count(), 1 + 3);
        QVERIFY(grid->isFlagged(2) && !grid->isFlagged(3));
        QVERIFY(textOf(panel, "neighborAnchorText").contains(QStringLiteral("truncated")));

        panel.showAnchor(5);
        QCOMPARE(panel.candidateCount(), 1); // 0.3 only
        panel.showAnchor(-1);
        QCOMPARE(grid->count(), 0);
    }

    void statisticsFollowTau() {
        NeighborPanel panel;
        panel.setGraph(makeGraph());
        panel.setTau(0.25);
        // Candidates per row: 2 1 2 1 1 0; 6 of the 7 share their anchor's class.
        QTRY_COMPARE(textOf(panel, "neighborMeanCandidates"), QStringLiteral("1.17"));
        QCOMPARE(textOf(panel, "neighborShareNone"), QStringLiteral("16.7 %"));
        QCOMPARE(textOf(panel, "neighborShareTruncated"), QStringLiteral("0.0 %"));
        QCOMPARE(textOf(panel, "neighborPurity"), QStringLiteral("85.7 %"));
        QCOMPARE(textOf(panel, "neighborPurityAtOne"), QStringLiteral("100.0 %"));
        auto* plot = panel.findChild<gps::ui::DistanceHistogramPlot*>();
        QVERIFY(plot);
        QTRY_COMPARE(plot->candidateTotal(), 7.0);
        QCOMPARE(plot->otherTotal(), 11.0);
        QVERIFY(plot->shownTau() && qFuzzyCompare(*plot->shownTau(), 0.25));

        panel.setTau(0.55); // 3 2 2 2 2 1: row 0 holds all k = 3
        QTRY_COMPARE(textOf(panel, "neighborMeanCandidates"), QStringLiteral("2.00"));
        QCOMPARE(textOf(panel, "neighborShareNone"), QStringLiteral("0.0 %"));
        QCOMPARE(textOf(panel, "neighborShareTruncated"), QStringLiteral("16.7 %"));

        panel.setTau(0.0);
        QTRY_COMPARE(textOf(panel, "neighborShareNone"), QStringLiteral("100.0 %"));
        QCOMPARE(textOf(panel, "neighborPurity"), QStringLiteral("—")); // no candidate at all
        QVERIFY(!panel.statsPending());
    }

    // When τ cuts more than a fifth of the balls at k_max, the panel says so and offers a graph
    // with four times as many neighbours; in k-mode, or below the share, it is silent.
    void truncationAboveAFifthOffersMoreNeighbours() {
        NeighborPanel panel;
        panel.show();
        panel.setGraph(makeGraph());
        auto* warning = panel.findChild<QLabel*>(QStringLiteral("neighborTruncationWarning"));
        auto* raise = panel.findChild<QPushButton*>(QStringLiteral("neighborRaiseKMax"));
        QVERIFY(warning && raise);
        panel.setTau(0.55); // one row of six (16.7 %) holds all k = 3: below a fifth
        QTRY_COMPARE(textOf(panel, "neighborShareTruncated"), QStringLiteral("16.7 %"));
        QVERIFY(!warning->isVisible() && !raise->isVisible());
        panel.setTau(0.75); // rows 0, 1 and 2 hold all three: half
        QTRY_COMPARE(textOf(panel, "neighborShareTruncated"), QStringLiteral("50.0 %"));
        QVERIFY(warning->isVisible() && raise->isVisible());
        QVERIFY2(warning->text().startsWith(QStringLiteral("50.0 % of anchors hold all k_max = 3")),
                 qPrintable(warning->text()));
        QCOMPARE(raise->text(), QStringLiteral("Rebuild with k_max = 12"));
        QSignalSpy requested(&panel, &NeighborPanel::raiseKMaxRequested);
        raise->click();
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).toInt(), 12);
        panel.setKMode(true); // k-mode takes the first k by design: nothing to warn about
        QTRY_VERIFY(!warning->isVisible());
    }

    void sliderMapsOntoZeroToTauMax() {
        NeighborPanel panel;
        panel.setGraph(makeGraph());
        panel.showAnchor(0);
        auto* slider = panel.findChild<QSlider*>(QStringLiteral("neighborTauSlider"));
        QVERIFY(slider);
        slider->setValue(slider->maximum()); // τ = 0.9: every listed neighbour
        QCOMPARE(panel.samplerOptions().tau.value_or(-1.0f), 0.9f);
        QCOMPARE(panel.candidateCount(), 3);
        QCOMPARE(textOf(panel, "neighborTauValue"), QStringLiteral("τ = 0.9"));
        QTRY_COMPARE(textOf(panel, "neighborShareTruncated"), QStringLiteral("100.0 %"));
        slider->setValue(0);
        QCOMPARE(panel.candidateCount(), 0);
        QCOMPARE(gridOf(panel)->count(), 1); // the anchor alone
    }

    void kModeTakesTheFirstK() {
        NeighborPanel panel;
        panel.setGraph(makeGraph());
        panel.showAnchor(3);
        panel.setTau(0.0);
        panel.setKMode(true);
        panel.setK(2);
        QVERIFY(!panel.samplerOptions().tau.has_value());
        QCOMPARE(panel.candidateCount(), 2);
        QTRY_COMPARE(textOf(panel, "neighborMeanCandidates"), QStringLiteral("2.00"));
        QCOMPARE(textOf(panel, "neighborShareTruncated"), QStringLiteral("0.0 %"));
        // The plots speak of k: the legend names the first k, the curves run over k.
        auto* plot = panel.findChild<gps::ui::DistanceHistogramPlot*>();
        QTRY_COMPARE(plot->candidateLegend(), QStringLiteral("candidates (the first k = 2)"));
        QCOMPARE(plot->curveAxisLabel(), QStringLiteral("k"));
        QVERIFY(!plot->shownTau());
        panel.setK(1);
        QCOMPARE(panel.candidateCount(), 1);
        QTRY_COMPARE(textOf(panel, "neighborMeanCandidates"), QStringLiteral("1.00"));
        panel.setKMode(false); // back to τ = 0
        QCOMPARE(panel.candidateCount(), 0);
        QTRY_COMPARE(plot->curveAxisLabel(), QStringLiteral("τ"));
        QCOMPARE(plot->candidateLegend(), QStringLiteral("candidates (d ≤ τ)"));
    }

    void farthestRuleFramesTheLastCandidate() {
        NeighborPanel panel;
        panel.setGraph(makeGraph());
        panel.showAnchor(0);
        panel.setTau(0.55);
        panel.setRule(gps::neighbors::Rule::Farthest);
        ImageGrid* grid = gridOf(panel);
        QVERIFY(grid->isHighlighted(3) && !grid->isHighlighted(1) && !grid->isHighlighted(2));
        QVERIFY(textOf(panel, "neighborAnchorText").contains(QStringLiteral("Drawn: #4")));
        panel.setRule(gps::neighbors::Rule::Uniform);
        QVERIFY(!grid->isHighlighted(3));
    }

    // With more candidates than tiles the farthest rule still draws the last candidate, not the
    // last tile: the header names the image the pair strip draws.
    void farthestBeyondTheShownTilesIsNamed() {
        constexpr int kRows = 31, kK = 30; // every row lists all the others
        auto graph = std::make_shared<gps::neighbors::KnnGraph>();
        graph->rows = kRows;
        graph->k = kK;
        for (int row = 0; row < kRows; ++row)
            for (int j = 0, other = 0; j < kK; ++j, ++other) {
                other += other == row ? 1 : 0;
                graph->indices.push_back(other);
                graph->distances.push_back(0.1f * float(j + 1));
            }
        graph->indexDescription = "hand-made";
        const auto dataset = gps::test::inMemory(gps::test::makeTinyImages(kRows, 8, 8, 1, 2));
        NeighborPanel panel;
        panel.setGraph(gps::ui::makeNeighborGraph(dataset, graph, {}, QStringLiteral("test")));
        panel.showAnchor(0);
        panel.setTau(100.0);
        panel.setRule(gps::neighbors::Rule::Farthest);
        QCOMPARE(panel.candidateCount(), kK);
        ImageGrid* grid = gridOf(panel);
        QCOMPARE(grid->count(), 1 + NeighborPanel::kMaxShown);
        for (int tile = 1; tile < grid->count(); ++tile)
            QVERIFY(!grid->isHighlighted(tile)); // the drawn one is not among the tiles
        const QString text = textOf(panel, "neighborAnchorText");
        QVERIFY2(text.contains(QStringLiteral("Drawn: #30, the farthest (not among those shown)")),
                 qPrintable(text));
    }

    void suggestedTauIsUsedFirst() {
        NeighborPanel panel;
        const auto graph = makeGraph();
        panel.setGraph(graph);
        QCOMPARE(panel.samplerOptions().tau.value_or(-1.0f), graph->suggestedTau);
        panel.setTau(0.0);
        panel.useSuggestedTau();
        QCOMPARE(panel.samplerOptions().tau.value_or(-1.0f), graph->suggestedTau);
        panel.setGraph(nullptr);
        QCOMPARE(textOf(panel, "neighborMeanCandidates"), QStringLiteral("—"));
    }
};

QTEST_MAIN(TestNeighborPanel)
#include "tst_neighbor_panel.moc"
