// The CSV exports and the standard run figure, on a metrics.jsonl written here by hand: one row
// per (run, step) with blank cells for values not logged, quoting, full precision, the τ and k
// statistics, and the figure's series, priors and x-axis choice.
#include "report/curves_csv.h"
#include "report/run_figure.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace gps::report;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::string readText(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Two training steps, an evaluation at step 2, and a step logged before runs kept the time.
constexpr const char* kMetrics =
    R"({"step":0,"epoch":0,"prior_linear_probe_acc":0.802,"prior_knn_acc":0.78}
{"step":1,"epochs":0.5,"epoch":0,"time":1.25,"loss":4.123456789012,"lr":0.05,"online_probe_acc":0.25}
{"step":2,"epochs":1.0,"epoch":0,"time":2.5,"loss":3.5,"lr":0.1,"images_per_second":1234.5}
{"step":2,"epoch":1,"linear_probe_acc":0.625,"knn_acc":0.5}
{"step":3,"epochs":1.5,"epoch":1,"loss":3.25}
)";

RunCurves curvesFromText(const std::string& text) {
    QTemporaryDir dir;
    const fs::path file = dir.filePath(QStringLiteral("metrics.jsonl")).toStdString();
    std::ofstream(file) << text;
    auto curves = readRunCurves(file);
    if (!curves)
        qFatal("%s", curves.error().message.c_str());
    return *curves;
}

} // namespace

class TestCurvesExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void csvHasOneRowPerStepWithBlankCells() {
        const std::string csv = curvesCsv({{"run-a", curvesFromText(kMetrics)}});
        const auto rows = lines(csv);
        QCOMPARE(rows.size(), std::size_t(4)); // header + steps 1, 2, 3 (step 0 logged no curve)
        QCOMPARE(rows[0], std::string(kCurvesCsvHeader));
        QCOMPARE(rows[0], std::string("run,step,epochs,time,loss,lr,online_probe_acc,"
                                      "images_per_second,linear_probe_acc,knn_acc"));
        QCOMPARE(rows[1], std::string("run-a,1,0.5,1.25,4.12345679,0.05,0.25,,,"));
        // The step line's fractional epochs, the evaluation's values on the same row.
        QCOMPARE(rows[2], std::string("run-a,2,1,2.5,3.5,0.1,,1234.5,0.625,0.5"));
        // No time logged for step 3: it carries the last time seen, as RunCurves does.
        QCOMPARE(rows[3], std::string("run-a,3,1.5,2.5,3.25,,,,,"));
    }
    void missingTimeIsABlankCell() {
        const std::string csv =
            curvesCsv({{"old", curvesFromText("{\"step\":7,\"epochs\":0.25,\"loss\":1}\n")}});
        QCOMPARE(lines(csv).at(1), std::string("old,7,0.25,,1,,,,,"));
    }
    void twoRunsFollowEachOtherAndNamesAreQuoted() {
        const RunCurves curves = curvesFromText(kMetrics);
        const std::string csv = curvesCsv({{"first", curves}, {"b, \"quoted\"", curves}});
        const auto rows = lines(csv);
        QCOMPARE(rows.size(), std::size_t(7));
        QVERIFY(rows[1].rfind("first,1,", 0) == 0);
        QVERIFY(rows[3].rfind("first,3,", 0) == 0);
        QVERIFY(rows[4].rfind("\"b, \"\"quoted\"\"\",1,", 0) == 0);
        QCOMPARE(csvCell("plain-name_1"), std::string("plain-name_1"));
        QCOMPARE(csvCell(" padded"), std::string("\" padded\""));
    }
    void csvIsWrittenAtomicallyAndErrorsNameTheFile() {
        QTemporaryDir dir;
        const fs::path file = dir.filePath(QStringLiteral("curves.csv")).toStdString();
        const std::vector<NamedRun> runs = {{"run-a", curvesFromText(kMetrics)}};
        QVERIFY(writeCurvesCsv(file, runs).ok());
        QCOMPARE(readText(file), curvesCsv(runs));
        const fs::path missing = fs::path(dir.path().toStdString()) / "no" / "curves.csv";
        const gps::Status failed = writeCurvesCsv(missing, runs);
        QVERIFY(!failed.ok());
        QVERIFY(failed.error().message.find(missing.string()) != std::string::npos);
        QVERIFY(!fs::exists(missing.parent_path()));
    }

    void tauCsvHasEveryColumn() {
        gps::neighbors::TauCurves curves;
        curves.taus = {0.5f, 1.25f};
        curves.purity = {std::nan(""), 0.75};
        curves.coverage = {0.0, 0.6};
        curves.meanCandidates = {0.0, 1.6};
        curves.shareTruncated = {0.0, 0.2};
        const auto rows = lines(tauCurvesCsv(curves));
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(rows[0], std::string("tau,purity,coverage,mean_candidates,share_truncated"));
        QCOMPARE(rows[1], std::string("0.5,,0,0,0")); // no candidate: no purity
        QCOMPARE(rows[2], std::string("1.25,0.75,0.6,1.6,0.2"));
        QTemporaryDir dir;
        const fs::path file = dir.filePath(QStringLiteral("tau.csv")).toStdString();
        QVERIFY(writeTauCurvesCsv(file, curves).ok());
        QCOMPARE(readText(file), tauCurvesCsv(curves));
    }
    void kCsvHasEveryColumn() {
        gps::neighbors::KCurves curves;
        curves.ks = {1, 2};
        curves.purity = {1.0 / 3, std::nan("")};
        curves.coverage = {0.8, 1.0};
        const auto rows = lines(kCurvesCsv(curves));
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(rows[0], std::string("k,purity,coverage"));
        QCOMPARE(rows[1], std::string("1,0.333333333,0.8"));
        QCOMPARE(rows[2], std::string("2,,1"));
    }

    void figureHasBothPanelsAndThePriors() {
        const Figure figure = runFigure({{"run-a", curvesFromText(kMetrics)}});
        QCOMPARE(figure.panels.size(), std::size_t(2));
        QCOMPARE(figure.title, std::string("run-a"));
        const Panel& top = figure.panels[0];
        QCOMPARE(top.series.size(), std::size_t(2)); // loss, learning rate
        QCOMPARE(top.series[0].y.size(), std::size_t(3));
        QVERIFY(top.series[1].axis == YAxisSide::Right);
        const Panel& bottom = figure.panels[1];
        QVERIFY(bottom.leftAtLeast.has_value());
        QCOMPARE(bottom.references.size(), std::size_t(2));
        QCOMPARE(bottom.references[0].label, std::string("prior linear probe 80.2 %"));
        QVERIFY(bottom.references[0].dashed);
        bool linearProbe = false;
        for (const Series& s : bottom.series)
            if (s.name == "linear probe") {
                linearProbe = true;
                QVERIFY(s.markers);
                QCOMPARE(s.lastPointLabel, std::string("62.5 %"));
            }
        QVERIFY(linearProbe);
    }
    void timeAxisSkipsPointsWithoutTime() {
        const RunCurves curves =
            curvesFromText("{\"step\":1,\"epochs\":0.1,\"loss\":2}\n"
                           "{\"step\":2,\"epochs\":0.2,\"time\":3,\"loss\":1}\n");
        RunFigureOptions options;
        options.x = XAxis::Time;
        const Figure figure = runFigure({{"r", curves}}, options);
        QCOMPARE(figure.panels[0].series[0].x, (std::vector<double>{3}));
        QCOMPARE(figure.panels[0].xLabel, std::string("Time (s)"));
    }
    void smoothingDrawsTheRawCurveFaintUnderneath() {
        RunFigureOptions options;
        options.smoothing = 0.6;
        const Figure figure = runFigure({{"r", curvesFromText(kMetrics)}}, options);
        const Panel& top = figure.panels[0];
        QCOMPARE(top.series.size(), std::size_t(3)); // raw loss, smoothed loss, learning rate
        QVERIFY(top.series[0].name.empty());
        QCOMPARE(top.series[1].name, std::string("loss"));
        QCOMPARE(top.series[0].colour, lightened(top.series[1].colour, 0.7));
        QCOMPARE(top.series[0].y.back(), 3.25);
        QVERIFY(top.series[1].y.back() != 3.25);
    }
    void severalRunsGetOneColourEachAndNamedLegends() {
        const RunCurves curves = curvesFromText(kMetrics);
        const Figure figure = runFigure({{"a", curves}, {"b", curves}});
        const Panel& top = figure.panels[0];
        QCOMPARE(top.series.size(), std::size_t(4));
        QCOMPARE(top.series[0].name, std::string("a: loss"));
        QCOMPARE(top.series[2].name, std::string("b: loss"));
        QVERIFY(!(top.series[0].colour == top.series[2].colour));
        // The same prior in both runs is drawn once.
        QCOMPARE(figure.panels[1].references.size(), std::size_t(2));
    }
    void decimationThinsLongCurves() {
        std::string text;
        for (int step = 1; step <= 5000; ++step)
            text += "{\"step\":" + std::to_string(step) +
                    ",\"loss\":" + std::to_string(1.0 + (step % 7)) + "}\n";
        RunFigureOptions options;
        options.maxPointsPerCurve = 500;
        const Figure figure = runFigure({{"long", curvesFromText(text)}}, options);
        QVERIFY(figure.panels[0].series[0].x.size() <= 502);
        QVERIFY(figure.panels[0].series[0].x.size() > 100);
    }
};

QTEST_APPLESS_MAIN(TestCurvesExport)
#include "tst_curves_export.moc"
