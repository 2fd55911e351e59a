// CurvesPanel: a run's steps and evaluations become curves (every step kept), the prior's own
// accuracies become dashed lines, overlays carry their run's name, the view settings persist,
// and plots export to PNG, SVG and PDF files that are what they say (or fail naming the file).

#include "panels/curves_panel.h"
#include "widgets/live_plot.h"
#include "widgets/plot_export.h"

#include "report/curves_csv.h"

#include <QFile>
#include <QImage>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "widgets/qcustomplot_include.h"

using gps::ui::CurvesPanel;

namespace {

constexpr int kTimeoutMs = 5000;

gps::train::StepMetrics step(std::int64_t index, double loss) {
    gps::train::StepMetrics m;
    m.step = index;
    m.totalSteps = 100;
    m.epochs = double(index) / 10.0;
    m.seconds = 0.25 * double(index);
    m.loss = loss;
    m.lr = 0.01 * double(index);
    m.onlineProbeAcc = 0.5;
    return m;
}

QByteArray head(const QString& file, int bytes) {
    QFile in(file);
    return in.open(QIODevice::ReadOnly) ? in.read(bytes) : QByteArray();
}

} // namespace

class TestCurvesPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear(); // the view settings persist: start from the defaults
    }

    void stepsEvaluationsAndThePriorsLines() {
        CurvesPanel panel;
        for (int i = 1; i <= 30; ++i)
            panel.addStep(step(i, 3.0 - 0.05 * i));
        gps::train::EvalMetrics prior;
        prior.ofPrior = true;
        prior.linearProbeAcc = 0.802;
        prior.knnAcc = 0.813;
        panel.addEval(prior);
        gps::train::EvalMetrics eval;
        eval.epoch = 3;
        eval.step = 30;
        eval.linearProbeAcc = 0.85;
        eval.knnAcc = 0.84;
        panel.addEval(eval);

        QCOMPARE(panel.lossPlot()->pointCount(CurvesPanel::lossSeries()), 30);
        QCOMPARE(panel.accuracyPlot()->pointCount(CurvesPanel::linearSeries()), 1);
        QCOMPARE(panel.accuracyPlot()->referenceCount(), 2);
        const gps::report::RunCurves& live = panel.liveCurves();
        QCOMPARE(live.loss.size(), std::size_t(30));
        QCOMPARE(live.priorLinearProbe.value_or(0), 0.802);
        QCOMPARE(live.linearProbe.at(0).seconds, 7.5); // the time of the step before it
        QCOMPARE(live.linearProbe.at(0).epochs, 3.0);

        panel.clear(); // a new run: curves and the prior's lines go
        QCOMPARE(panel.lossPlot()->pointCount(CurvesPanel::lossSeries()), 0);
        QCOMPARE(panel.accuracyPlot()->referenceCount(), 0);
        QVERIFY(panel.liveCurves().empty());
    }

    void overlaysAndViewSettings() {
        {
            CurvesPanel panel;
            gps::report::RunCurves other;
            for (int i = 1; i <= 5; ++i)
                other.loss.push_back({.step = double(i), .value = 2.0});
            panel.setOverlay(QStringLiteral("run-1"), QStringLiteral("gps-simclr · seed 0"),
                             Qt::darkCyan, other);
            QCOMPARE(panel.lossPlot()->overlayRuns(), QStringList{QStringLiteral("run-1")});
            QTRY_VERIFY_WITH_TIMEOUT(!panel.lossPlot()->updatePending(), kTimeoutMs);
            QVERIFY(
                panel.lossPlot()->legendNames().contains(QStringLiteral("gps-simclr · seed 0")));
            QCOMPARE(panel.accuracyPlot()->referenceCount(), 0); // it has no prior baseline
            other.priorKnn = 0.79; // without a live run, an overlaid run's prior is the line
            panel.setOverlay(QStringLiteral("run-1"), QStringLiteral("gps-simclr · seed 0"),
                             Qt::darkCyan, other);
            QCOMPARE(panel.accuracyPlot()->referenceCount(), 1);
            panel.removeOverlay(QStringLiteral("run-1"));
            QCOMPARE(panel.lossPlot()->overlayCount(), 0);
            QCOMPARE(panel.accuracyPlot()->referenceCount(), 0);

            panel.setXAxis(gps::report::XAxis::Epoch);
            panel.setSmoothing(0.6);
            panel.setLogLoss(true);
            QCOMPARE(panel.accuracyPlot()->xAxis(), gps::report::XAxis::Epoch);
            QCOMPARE(panel.accuracyPlot()->smoothing(), 0.6);
            QVERIFY(panel.lossPlot()->leftLog());
            QVERIFY(!panel.accuracyPlot()->leftLog()); // accuracies stay linear
        }
        CurvesPanel again; // the next start reads them back
        QCOMPARE(again.xAxis(), gps::report::XAxis::Epoch);
        QCOMPARE(again.smoothing(), 0.6);
        QVERIFY(again.lossPlot()->leftLog());
        again.setXAxis(gps::report::XAxis::Step);
        again.setSmoothing(0);
        again.setLogLoss(false);
    }

    void plotsExportToPngSvgAndPdf() {
        CurvesPanel panel;
        panel.resize(800, 600);
        for (int i = 1; i <= 20; ++i)
            panel.addStep(step(i, 1.0 / i));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.lossPlot()->updatePending(), kTimeoutMs);
        QTemporaryDir dir;
        QCustomPlot* plot = panel.lossPlot()->plot();

        const QString png = dir.filePath(QStringLiteral("loss.png"));
        QCOMPARE(gps::ui::savePlot(plot, png), QString());
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 2 * 320); // twice the widget's resolution
        QSet<QRgb> colours;                // axes, text and the curve: not one flat colour
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 10, qPrintable(QString::number(colours.size())));

        const QString svg = dir.filePath(QStringLiteral("loss.svg"));
        QCOMPARE(gps::ui::savePlot(plot, svg), QString());
        QVERIFY(head(svg, 400).contains("<svg"));
        QVERIFY(QFileInfo(svg).size() > 2000);

        const QString pdf = dir.filePath(QStringLiteral("loss.pdf"));
        QCOMPARE(gps::ui::savePlot(plot, pdf), QString());
        QVERIFY(head(pdf, 5) == "%PDF-");

        // The curves as CSV: the live run and the overlaid one, with the report's header.
        gps::report::RunCurves other;
        other.loss.push_back({.step = 1, .value = 2.5});
        panel.setOverlay(QStringLiteral("r"), QStringLiteral("baseline, seed 0"), Qt::gray, other);
        const QString csv = dir.filePath(QStringLiteral("curves.csv"));
        QCOMPARE(panel.writeCsv(csv, QStringLiteral("live")), QString());
        QFile in(csv);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QStringList rows =
            QString::fromUtf8(in.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(rows.first(), QString::fromLatin1(gps::report::kCurvesCsvHeader));
        QCOMPARE(rows.size(), 1 + 20 + 1);
        QVERIFY(rows[1].startsWith(QStringLiteral("live,1,0.1,0.25,1,0.01,0.5,")));
        QVERIFY(rows.last().startsWith(QStringLiteral("\"baseline, seed 0\",1,")));
        QVERIFY(panel.writeCsv(dir.filePath(QStringLiteral("no/curves.csv")))
                    .contains(QStringLiteral("no")));

        // Bad targets fail naming the file and leave nothing behind.
        const QString bmp = dir.filePath(QStringLiteral("loss.bmp"));
        QVERIFY(gps::ui::savePlot(plot, bmp).contains(QStringLiteral("loss.bmp")));
        QVERIFY(!QFileInfo::exists(bmp));
        const QString nowhere = dir.filePath(QStringLiteral("missing/loss.png"));
        QVERIFY(gps::ui::savePlot(plot, nowhere).contains(QStringLiteral("missing")));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 4);
    }
};

QTEST_MAIN(TestCurvesPanel)
#include "tst_curves_panel.moc"
