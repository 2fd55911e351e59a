// LivePlot: appends are coalesced into few replots; every point is kept while the drawing is
// thinned; the first point shows at once and the ranges hold every point; smoothing, the x
// axis, the log scale, reference lines, value labels, the crosshair and overlays (one colour per
// run, named in the legend) behave as a reader expects.

#include "widgets/live_plot.h"

#include <QSignalSpy>
#include <QtTest>

#include "widgets/qcustomplot_include.h"

#include <cmath>

using gps::report::CurvePoint;
using gps::ui::LivePlot;

namespace {

constexpr int kTimeoutMs = 5000;

CurvePoint at(double step, double value, double seconds = NAN) {
    return {.step = step, .epochs = step / 10.0, .seconds = seconds, .value = value};
}

gps::report::Curve ramp(int n, double scale) {
    gps::report::Curve points;
    for (int i = 0; i < n; ++i)
        points.push_back(at(i, scale * i));
    return points;
}

LivePlot::SeriesStyle style(const QColor& colour, LivePlot::Axis axis = LivePlot::Axis::Left) {
    return {.colour = colour, .axis = axis};
}

/// Waits until the plot has redrawn what it was given.
void settle(LivePlot& plot) {
    QTRY_VERIFY_WITH_TIMEOUT(!plot.updatePending(), kTimeoutMs);
}

} // namespace

class TestLivePlot : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void manyAppendsReplotOnce() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), style(Qt::blue));
        plot.addSeries(QStringLiteral("lr"), style(Qt::red, LivePlot::Axis::Right));
        settle(plot);
        QTest::qWait(2 * LivePlot::kCoalesceMs);
        const int before = plot.replotCount();

        // A burst of points with no event loop in between: one coalesced redraw follows.
        for (int i = 0; i < 5000; ++i) {
            QVERIFY(plot.append(QStringLiteral("loss"), at(i, 1.0 / (1 + i))));
            QVERIFY(plot.append(QStringLiteral("lr"), at(i, 0.001 * i)));
        }
        QVERIFY(plot.updatePending());
        QCOMPARE(plot.replotCount(), before);
        QTRY_COMPARE_WITH_TIMEOUT(plot.replotCount(), before + 1, kTimeoutMs);
        QTest::qWait(4 * LivePlot::kCoalesceMs);
        QCOMPARE(plot.replotCount(), before + 1);
        // Every point kept, the drawing thinned.
        QCOMPARE(plot.pointCount(QStringLiteral("loss")), 5000);
        QVERIFY(plot.drawnPointCount(QStringLiteral("loss")) <= int(LivePlot::kMaxDrawnPoints));
        QVERIFY(plot.drawnPointCount(QStringLiteral("loss")) > 100);
        // The ranges hold every point, and the learning rate's axis starts at 0, not below.
        QVERIFY(plot.plot()->yAxis2->range().upper >= 4.999);
        QCOMPARE(plot.plot()->yAxis2->range().lower, 0.0);
        QVERIFY(plot.plot()->xAxis->range().upper > 4999.0);
        QVERIFY(plot.plot()->xAxis->range().lower < 0.0);
        QVERIFY(plot.plot()->yAxis->range().upper > 1.0);
    }

    void streamOfPointsReplotsFarLessThanOncePerPoint() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), style(Qt::blue));
        settle(plot);
        const int before = plot.replotCount();
        // Points arrive one per event-loop turn, as queued signals do.
        constexpr int kPoints = 400;
        for (int i = 0; i < kPoints; ++i) {
            plot.append(QStringLiteral("loss"), at(i, i));
            QCoreApplication::processEvents();
        }
        settle(plot);
        QTest::qWait(2 * LivePlot::kCoalesceMs);
        const int replots = plot.replotCount() - before;
        QVERIFY2(replots >= 1 && replots < kPoints / 4, qPrintable(QString::number(replots)));
    }

    void theFirstPointShowsAtOnce() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), style(Qt::blue));
        plot.addSeries(QStringLiteral("lr"), style(Qt::red, LivePlot::Axis::Right));
        plot.append(QStringLiteral("loss"), at(1, 2.3));
        plot.append(QStringLiteral("lr"), at(1, 0.05));
        settle(plot);
        const QCPGraph* loss = plot.plot()->graph(0);
        QCOMPARE(loss->dataCount(), 1);
        // One point has no line to draw: it gets a marker, and sits inside every range.
        QVERIFY(loss->scatterStyle().shape() != QCPScatterStyle::ssNone);
        QVERIFY(plot.plot()->xAxis->range().contains(1.0));
        QVERIFY(plot.plot()->xAxis->range().lower < 1.0 && plot.plot()->xAxis->range().upper > 1.0);
        QVERIFY(plot.plot()->yAxis->range().lower < 2.3 && plot.plot()->yAxis->range().upper > 2.3);
        QVERIFY(plot.plot()->yAxis2->range().lower >= 0.0);
        QVERIFY(plot.plot()->yAxis2->range().upper > 0.05);
        // With more points it is a line again.
        for (int i = 2; i < 6; ++i)
            plot.append(QStringLiteral("loss"), at(i, 2.0));
        settle(plot);
        QCOMPARE(loss->scatterStyle().shape(), QCPScatterStyle::ssNone);
    }

    void rejectsUnknownSeriesAndNonFinite() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), style(Qt::blue));
        plot.addSeries(QStringLiteral("loss"), style(Qt::green)); // ignored
        QVERIFY(!plot.append(QStringLiteral("nope"), at(0, 1)));
        QVERIFY(!plot.append(QStringLiteral("loss"), at(0, std::nan(""))));
        QVERIFY(!plot.append(QStringLiteral("loss"), at(0, INFINITY)));
        QVERIFY(plot.append(QStringLiteral("loss"), at(0, 1)));
        QCOMPARE(plot.pointCount(QStringLiteral("loss")), 1);
        QCOMPARE(plot.plot()->graphCount(), 1);
        plot.clearData();
        QCOMPARE(plot.pointCount(QStringLiteral("loss")), 0);
    }

    void xAxisSmoothingAndLogScale() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), style(Qt::blue));
        plot.append(QStringLiteral("loss"), at(10, 4.0, 1.5));
        plot.append(QStringLiteral("loss"), at(20, 0.0, 3.0));
        plot.append(QStringLiteral("loss"), at(30, 2.0)); // an old file: no time
        settle(plot);
        const QCPGraph* loss = plot.plot()->graph(0);
        QCOMPARE(loss->dataCount(), 3);
        QCOMPARE(loss->data()->at(1)->key, 20.0);

        plot.setXAxis(gps::report::XAxis::Epoch);
        settle(plot);
        QCOMPARE(loss->data()->at(2)->key, 3.0);
        plot.setXAxis(gps::report::XAxis::Time); // the point without a time is not drawn
        settle(plot);
        QCOMPARE(loss->dataCount(), 2);
        QCOMPARE(loss->data()->at(1)->key, 3.0);
        plot.setXAxis(gps::report::XAxis::Step);

        // Smoothing draws the EMA, with the raw curve faint underneath (and out of the legend).
        plot.setSmoothing(0.5);
        settle(plot);
        QCOMPARE(plot.plot()->graphCount(), 2);
        QCOMPARE(loss->data()->at(0)->value, 4.0); // debiased: starts at the value
        QCOMPARE(loss->data()->at(1)->value, (0.5 * 4.0 * 0.5) / 0.75); // (w(1-w)·4 + 0)/(1-w²)
        QCOMPARE(plot.legendNames(), QStringList{QStringLiteral("loss")});
        plot.setSmoothing(0);
        settle(plot);
        QCOMPARE(plot.plot()->graphCount(), 1);

        // A log axis cannot draw 0.
        plot.setLeftLog(true);
        settle(plot);
        QCOMPARE(loss->dataCount(), 2);
        QVERIFY(plot.plot()->yAxis->range().lower > 0);
    }

    void referencesLabelsAndCrosshair() {
        LivePlot plot;
        plot.setLeftRange(0.0, 1.0);
        plot.addSeries(
            QStringLiteral("linear probe"),
            {.colour = Qt::darkGreen, .marker = LivePlot::Marker::Disc, .labelValues = true});
        plot.append(QStringLiteral("linear probe"), at(100, 0.812));
        plot.append(QStringLiteral("linear probe"), at(200, 0.857));
        plot.setReference(QStringLiteral("prior"), 0.802, Qt::gray,
                          QStringLiteral("prior linear probe 80.2 %"));
        settle(plot);
        QCOMPARE(plot.referenceCount(), 1);
        QStringList labels;
        for (int i = 0; i < plot.plot()->itemCount(); ++i)
            if (auto* text = qobject_cast<QCPItemText*>(plot.plot()->item(i)))
                labels << text->text();
        QVERIFY2(labels.contains(QStringLiteral("81.2 %")),
                 qPrintable(labels.join(QLatin1Char('|'))));
        QVERIFY(labels.contains(QStringLiteral("85.7 %")));
        QVERIFY(labels.contains(QStringLiteral("prior linear probe 80.2 %")));
        // Evaluation points are markers, not a line.
        QCOMPARE(plot.plot()->graph(0)->lineStyle(), QCPGraph::lsNone);

        // The crosshair reads the nearest point.
        const QString text = plot.valuesAt(190);
        QVERIFY2(text.contains(QStringLiteral("step 190")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("linear probe  85.7 %")), qPrintable(text));

        plot.setReference(QStringLiteral("prior"), std::nullopt, {}, {});
        QCOMPARE(plot.referenceCount(), 0);
    }

    void userViewStaysUntilReset() {
        LivePlot plot;
        plot.resize(400, 300);
        plot.addSeries(QStringLiteral("loss"), style(Qt::blue));
        plot.append(QStringLiteral("loss"), at(0, 1));
        plot.append(QStringLiteral("loss"), at(10, 2));
        settle(plot);
        QVERIFY(!plot.userView());
        QWheelEvent wheel(QPointF(200, 150), QPointF(200, 150), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(plot.plot(), &wheel);
        QVERIFY(plot.userView());
        plot.plot()->xAxis->setRange(2, 3); // where the user zoomed
        plot.append(QStringLiteral("loss"), at(50, 2));
        settle(plot);
        QCOMPARE(plot.plot()->xAxis->range().upper, 3.0);
        plot.resetView();
        settle(plot);
        QVERIFY(!plot.userView());
        QVERIFY(plot.plot()->xAxis->range().upper > 50.0);
    }

    void overlaysInTheirRunsColourNamedInTheLegend() {
        LivePlot plot;
        plot.addSeries(QStringLiteral("loss"), style(QColor(0, 0, 255)));
        plot.addSeries(QStringLiteral("knn"),
                       {.colour = QColor(0, 128, 0), .marker = LivePlot::Marker::Square});
        plot.append(QStringLiteral("loss"), at(0, 2.0));

        const QColor red(200, 0, 0), teal(0, 128, 128);
        const QString a = QStringLiteral("run-a"), b = QStringLiteral("run-b");
        QVERIFY(!plot.setOverlay(a, QStringLiteral("A"), red, QStringLiteral("nope"), ramp(3, 1)));
        QVERIFY(plot.setOverlay(a, QStringLiteral("A"), red, QStringLiteral("loss"), ramp(10, 1)));
        QVERIFY(plot.setOverlay(a, QStringLiteral("A"), red, QStringLiteral("knn"), ramp(2, 0.1)));
        QVERIFY(plot.setOverlay(b, QStringLiteral("B"), teal, QStringLiteral("loss"), ramp(5, 2)));
        QCOMPARE(plot.overlayCount(), 3);
        QCOMPARE(plot.overlayRuns(), QStringList({a, b}));
        // Same run and series again replaces the curve instead of adding one.
        QVERIFY(plot.setOverlay(a, QStringLiteral("A"), red, QStringLiteral("loss"), ramp(4, 1)));
        QCOMPARE(plot.overlayCount(), 3);
        QCOMPARE(plot.plot()->graphCount(), 2 + 3);
        settle(plot);

        // Each run in its own colour, keeping the series' marker; each run once in the legend.
        const QCPGraph* overlayLoss = plot.plot()->graph(2);
        QCOMPARE(overlayLoss->dataCount(), 4);
        QCOMPARE(overlayLoss->pen().color(), red);
        QCOMPARE(plot.plot()->graph(3)->scatterStyle().shape(), QCPScatterStyle::ssSquare);
        QCOMPARE(plot.plot()->graph(4)->pen().color(), teal);
        // (A live series without points yet stays out of the legend.)
        QCOMPARE(plot.legendNames(),
                 QStringList({QStringLiteral("loss"), QStringLiteral("A"), QStringLiteral("B")}));
        QVERIFY(plot.valuesAt(3).contains(QStringLiteral("A: loss  3")));

        plot.removeOverlay(a);
        QCOMPARE(plot.overlayCount(), 1);
        QCOMPARE(plot.overlayRuns(), QStringList({b}));
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
        plot.addSeries(QStringLiteral("acc"), style(Qt::blue));
        plot.append(QStringLiteral("acc"), at(0, 0.2));
        plot.append(QStringLiteral("acc"), at(1, 0.4));
        QSignalSpy replotted(&plot, &LivePlot::replotted);
        QTRY_VERIFY_WITH_TIMEOUT(replotted.count() >= 1, kTimeoutMs);
        QCOMPARE(plot.plot()->yAxis->range().lower, 0.0);
        QCOMPARE(plot.plot()->yAxis->range().upper, 1.0);
    }
};

QTEST_MAIN(TestLivePlot)
#include "tst_live_plot.moc"
