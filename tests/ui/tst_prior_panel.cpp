// PriorPanel: computing a graph on a worker, a spec that fails (the previous graph stays),
// cancelling, and reading specs into the form.

#include "panels/prior_panel.h"
#include "ui_fixtures.h"

#include <QSignalSpy>
#include <QtTest>

using gps::ui::PriorPanel;

namespace {
constexpr int kTimeoutMs = 20000;
}

class TestPriorPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void computesPixelsGraph() {
        PriorPanel panel;
        panel.setDataset(gps::test::inMemory(gps::test::makeTinyImages(40, 8, 8, 1, 4)));
        QVERIFY(panel.setSpec(QStringLiteral("pixels")));
        panel.setKMax(5);
        QSignalSpy ready(&panel, &PriorPanel::graphReady);
        panel.compute();
        QVERIFY(panel.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
        const auto graph = ready.at(0).at(0).value<gps::ui::NeighborGraphPtr>();
        QVERIFY(graph && graph == panel.graph());
        QCOMPARE(graph->graph->rows, 40);
        QCOMPARE(graph->graph->k, 5);
        QCOMPARE(graph->labels.size(), std::size_t(40));
        QCOMPARE(graph->labels[7], 3); // 7 mod 4
        QVERIFY(graph->tauMax > 0.0f);
        QCOMPARE(panel.state(), PriorPanel::State::Done);
        QVERIFY2(panel.statusText().contains(QStringLiteral("pixels: 40 rows")),
                 qPrintable(panel.statusText()));
    }

    void badSpecShowsErrorAndKeepsTheGraph() {
        PriorPanel panel;
        panel.setDataset(gps::test::inMemory(gps::test::makeTinyImages(12, 8, 8, 1, 2)));
        panel.setKMax(3);
        QSignalSpy ready(&panel, &PriorPanel::graphReady);
        panel.compute(); // pixels, the first form
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
        const auto previous = panel.graph();

        QVERIFY(panel.setSpec(QStringLiteral("npy:/no/such.npy")));
        QCOMPARE(panel.spec(), QStringLiteral("npy:/no/such.npy"));
        panel.compute();
        QTRY_COMPARE_WITH_TIMEOUT(panel.state(), PriorPanel::State::Failed, kTimeoutMs);
        QVERIFY2(panel.statusText().contains(QStringLiteral("such.npy")),
                 qPrintable(panel.statusText()));
        QCOMPARE(ready.count(), 1);
        QCOMPARE(panel.graph(), previous);
    }

    void malformedSpecFailsAtOnce() {
        PriorPanel panel;
        panel.setDataset(gps::test::inMemory(gps::test::makeTinyImages(12, 8, 8, 1, 2)));
        QVERIFY(panel.setSpec(QStringLiteral("npy:x")));
        QVERIFY(!panel.setSpec(QStringLiteral("pca:abc")));
        QCOMPARE(panel.spec(), QStringLiteral("npy:x")); // a rejected spec changes nothing
        QVERIFY(panel.setSpec(QStringLiteral(" PCA:032 ")));
        QCOMPARE(panel.spec(), QStringLiteral("pca:32"));
        QVERIFY(panel.setSpec(QStringLiteral("npy:x")));
        auto* path = panel.findChild<QWidget*>(QStringLiteral("priorPath"));
        QVERIFY(path);
        path->setProperty("text", QString()); // "npy:" has no PATH
        panel.compute();
        QCOMPARE(panel.state(), PriorPanel::State::Failed);
        QVERIFY2(panel.statusText().contains(QStringLiteral("missing PATH")),
                 qPrintable(panel.statusText()));
        QVERIFY(!panel.isRunning());
    }

    void cancelEndsWithoutGraph() {
        PriorPanel panel;
        panel.setDataset(gps::test::inMemory(gps::test::makeTinyImages(2000, 16, 16, 3, 10)));
        QSignalSpy ready(&panel, &PriorPanel::graphReady);
        panel.cancel(); // nothing running: a no-op
        QCOMPARE(panel.state(), PriorPanel::State::Idle);
        panel.compute();
        panel.cancel(); // set before the worker reports once: it must stop
        QTRY_COMPARE_WITH_TIMEOUT(panel.state(), PriorPanel::State::Cancelled, kTimeoutMs);
        QVERIFY(panel.statusText().contains(QStringLiteral("Cancelled")));
        QCOMPARE(ready.count(), 0);
        QVERIFY(!panel.graph());
        QVERIFY(!panel.isRunning());
    }

    void withoutDatasetNothingStarts() {
        PriorPanel panel;
        QSignalSpy ready(&panel, &PriorPanel::graphReady);
        panel.compute();
        QCOMPARE(panel.state(), PriorPanel::State::Failed);
        QCOMPARE(ready.count(), 0);
    }
};

QTEST_MAIN(TestPriorPanel)
#include "tst_prior_panel.moc"
