// LivePlot: many appends are coalesced into a few replots; overlays of earlier runs are added,
// replaced and removed without touching the live series.

#include "widgets/live_plot.h"

#include <QSignalSpy>
#include <QtTest>

#include "widgets/qcustomplot_include.h"

using gps::ui::LivePlot;

namespace {

constexpr int kTimeoutMs = 5000;

std::vector<std::pair<double, double>> ramp(int n, double scale) {
    std::vector<std::pair<double, double>> points;
    for (int i = 0; i < n; ++i)
        points.emplace_back(i, scale * i);
    return points;
}

} // namespace

class TestLivePlot : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void manyAppendsReplotOnce() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), Qt::blue);
        plot.addSeries(QStringLiteral("lr"), Qt::red, LivePlot::Axis::Right);
        QTRY_VERIFY_WITH_TIMEOUT(!plot.updatePending(), kTimeoutMs);
        QTest::qWait(2 * LivePlot::kCoalesceMs);
        const int before = plot.replotCount();

        // A burst of points with no event loop in between: one coalesced redraw follows.
        for (int i = 0; i < 5000; ++i) {
            QVERIFY(plot.append(QStringLiteral("loss"), i, 1.0 / (1 + i)));
            QVERIFY(plot.append(QStringLiteral("lr"), i, 0.001 * i));
        }
        QVERIFY(plot.updatePending());
        QCOMPARE(plot.replotCount(), before);
        QTRY_COMPARE_WITH_TIMEOUT(plot.replotCount(), before + 1, kTimeoutMs);
        QTest::qWait(4 * LivePlot::kCoalesceMs);
        QCOMPARE(plot.replotCount(), before + 1);
        QCOMPARE(plot.pointCount(QStringLiteral("loss")), 5000);
        QCOMPARE(plot.pointCount(QStringLiteral("lr")), 5000);
        // The axes followed the data: the right axis holds the learning rate's range.
        QVERIFY(plot.plot()->yAxis2->range().upper >= 4.999);
        QVERIFY(plot.plot()->xAxis->range().upper >= 4999.0);
    }

    void streamOfPointsReplotsFarLessThanOncePerPoint() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), Qt::blue);
        QTRY_VERIFY_WITH_TIMEOUT(!plot.updatePending(), kTimeoutMs);
        const int before = plot.replotCount();
        // Points arrive one per event-loop turn, as queued signals do.
        constexpr int kPoints = 400;
        for (int i = 0; i < kPoints; ++i) {
            plot.append(QStringLiteral("loss"), i, i);
            QCoreApplication::processEvents();
        }
        QTRY_VERIFY_WITH_TIMEOUT(!plot.updatePending(), kTimeoutMs);
        QTest::qWait(2 * LivePlot::kCoalesceMs);
        const int replots = plot.replotCount() - before;
        QVERIFY2(replots >= 1 && replots < kPoints / 4, qPrintable(QString::number(replots)));
    }

    void rejectsUnknownSeriesAndNonFinite() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), Qt::blue);
        plot.addSeries(QStringLiteral("loss"), Qt::green); // ignored
        QVERIFY(!plot.append(QStringLiteral("nope"), 0, 1));
        QVERIFY(!plot.append(QStringLiteral("loss"), 0, std::nan("")));
        QVERIFY(!plot.append(QStringLiteral("loss"), 0, INFINITY));
        QVERIFY(plot.append(QStringLiteral("loss"), 0, 1));
        QCOMPARE(plot.pointCount(QStringLiteral("loss")), 1);
        QCOMPARE(plot.plot()->graphCount(), 1);
        plot.clearData();
        QCOMPARE(plot.pointCount(QStringLiteral("loss")), 0);
    }

    void overlays() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), QColor(0, 0, 255));
        plot.addSeries(QStringLiteral("knn"), QColor(0, 128, 0), LivePlot::Axis::Left, true);
        plot.append(QStringLiteral("loss"), 0, 2.0);

        QVERIFY(!plot.setOverlay(QStringLiteral("run-a"), QStringLiteral("nope"), ramp(3, 1)));
        QVERIFY(plot.setOverlay(QStringLiteral("run-a"), QStringLiteral("loss"), ramp(10, 1)));
        QVERIFY(plot.setOverlay(QStringLiteral("run-a"), QStringLiteral("knn"), ramp(2, 0.1)));
        QVERIFY(plot.setOverlay(QStringLiteral("run-b"), QStringLiteral("loss"), ramp(5, 2)));
        QCOMPARE(plot.overlayCount(), 3);
        QCOMPARE(plot.overlayRuns(),
                 QStringList({QStringLiteral("run-a"), QStringLiteral("run-b")}));
        // Same run and series again replaces the curve instead of adding one.
        QVERIFY(plot.setOverlay(QStringLiteral("run-a"), QStringLiteral("loss"), ramp(4, 1)));
        QCOMPARE(plot.overlayCount(), 3);
        QCOMPARE(plot.plot()->graphCount(), 2 + 3);

        // Overlays are dimmer and dashed, out of the legend; the live series stay untouched.
        const QCPGraph* live = plot.plot()->graph(0);
        const QCPGraph* overlay = plot.plot()->graph(2);
        QCOMPARE(overlay->dataCount(), 4);
        QVERIFY(overlay->pen().color().alpha() < live->pen().color().alpha());
        QVERIFY(overlay->pen().style() != Qt::SolidLine);
        QCOMPARE(overlay->pen().color().rgb(), live->pen().color().rgb());
        QCOMPARE(plot.plot()->legend->itemCount(), 2);

        plot.removeOverlay(QStringLiteral("run-a"));
        QCOMPARE(plot.overlayCount(), 1);
        QCOMPARE(plot.overlayRuns(), QStringList({QStringLiteral("run-b")}));
        plot.clearData();
        QCOMPARE(plot.overlayCount(), 1); // a new run keeps the comparison in view
        plot.clearOverlays();
        QCOMPARE(plot.overlayCount(), 0);
        QCOMPARE(plot.plot()->graphCount(), 2);
        QCOMPARE(plot.pointCount(QStringLiteral("loss")), 0);
    }

    void fixedLeftRangeSurvivesRescale() {
        LivePlot plot;
        plot.setLeftRange(0.0, 1.0);
        plot.addSeries(QStringLiteral("acc"), Qt::blue);
        plot.append(QStringLiteral("acc"), 0, 0.2);
        plot.append(QStringLiteral("acc"), 1, 0.4);
        QSignalSpy replotted(&plot, &LivePlot::replotted);
        QTRY_VERIFY_WITH_TIMEOUT(replotted.count() >= 1, kTimeoutMs);
        QCOMPARE(plot.plot()->yAxis->range().lower, 0.0);
        QCOMPARE(plot.plot()->yAxis->range().upper, 1.0);
    }
};

QTEST_MAIN(TestLivePlot)
#include "tst_live_plot.moc"
