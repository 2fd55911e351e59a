// The figure model and its three writers: ranges hold every point, ticks are nice, and each file
// is what its format says (SVG text, a PDF whose cross-reference table is right, a PNG of the
// asked size), written whole or not at all.
#include "report/chart.h"
#include "report/chart_scene.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
using namespace gps::report;

namespace {

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Figure sampleFigure() {
    Panel top;
    top.title = "Loss and learning rate";
    top.xLabel = "Step";
    top.yLabel = "Loss";
    top.rightLabel = "Learning rate";
    Series loss;
    loss.name = "training loss";
    loss.colour = {31, 119, 180};
    for (int i = 0; i < 50; ++i) {
        loss.x.push_back(i);
        loss.y.push_back(5.0 * std::exp(-i / 15.0));
    }
    Series lr;
    lr.name = "learning rate";
    lr.colour = {255, 127, 14};
    lr.dashed = true;
    lr.axis = YAxisSide::Right;
    lr.x = {0, 10, 49};
    lr.y = {0.0, 0.1, 0.0};
    top.series = {loss, lr};
    Panel bottom;
    bottom.yLabel = "Accuracy";
    bottom.leftAtLeast = AxisRange{0, 1};
    Series probe;
    probe.name = "linear probe";
    probe.colour = {214, 39, 40};
    probe.markers = true;
    probe.x = {20, 49};
    probe.y = {0.6, 0.75};
    probe.lastPointLabel = "75.0 %";
    bottom.series = {probe};
    bottom.references = {{0.802, {120, 120, 120}, true, "prior linear probe 80.2 %"}};
    return {"a run", {top, bottom}};
}

} // namespace

class TestChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rangeHoldsEveryPoint_data() {
        QTest::addColumn<std::vector<double>>("values");
        QTest::addColumn<bool>("log");
        QTest::newRow("positive") << std::vector<double>{3, 1, 7, 2} << false;
        QTest::newRow("negative") << std::vector<double>{-3, -10, -4} << false;
        QTest::newRow("both signs") << std::vector<double>{-2, 5, 0.5} << false;
        QTest::newRow("with NaN") << std::vector<double>{std::nan(""), 4, 9} << false;
        QTest::newRow("log") << std::vector<double>{0.01, 3, 0.2} << true;
        QTest::newRow("log skips zero") << std::vector<double>{0, 0.5, 2} << true;
    }
    void rangeHoldsEveryPoint() {
        QFETCH(std::vector<double>, values);
        QFETCH(bool, log);
        const AxisRange range = axisRange(values, log);
        QVERIFY(range.lo < range.hi);
        for (const double v : values)
            if (std::isfinite(v) && (!log || v > 0))
                QVERIFY2(v >= range.lo && v <= range.hi, qPrintable(QString::number(v)));
    }
    void paddingNeverCrossesZero() {
        const AxisRange lr = axisRange({0.0, 0.05, 0.1});
        QCOMPARE(lr.lo, 0.0);
        QVERIFY(lr.hi > 0.1);
        const AxisRange negative = axisRange({-1.0, -0.1});
        QVERIFY(negative.hi <= 0.0);
    }
    void singlePointGetsARangeAroundIt() {
        const AxisRange one = axisRange({5.0});
        QVERIFY(one.lo < 5.0 && one.hi > 5.0);
        const AxisRange zero = axisRange({0.0});
        QCOMPARE(zero.lo, 0.0);
        QVERIFY(zero.hi > 0.0);
        const AxisRange none = axisRange({});
        QVERIFY(none.lo < none.hi);
    }
    void accuraciesKeepTheAskedRangeUnlessAPointLeavesIt() {
        const AxisRange inside = axisRange({0.4, 0.99}, false, AxisRange{0, 1});
        QCOMPARE(inside.lo, 0.0);
        QCOMPARE(inside.hi, 1.0);
        const AxisRange outside = axisRange({0.4, 1.2}, false, AxisRange{0, 1});
        QCOMPARE(outside.lo, 0.0);
        QVERIFY(outside.hi >= 1.2);
    }
    void ticksAreNice_data() {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::newRow("0-1") << 0.0 << 1.0;
        QTest::newRow("0-7.3") << 0.0 << 7.3;
        QTest::newRow("steps") << -12.0 << 31234.0;
        QTest::newRow("lr") << 0.0 << 0.00042;
    }
    void ticksAreNice() {
        QFETCH(double, lo);
        QFETCH(double, hi);
        const std::vector<double> ticks = niceTicks(lo, hi, 6);
        QVERIFY(ticks.size() >= 3 && ticks.size() <= 12);
        const double step = ticks[1] - ticks[0];
        const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
        QVERIFY2(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 ||
                     std::abs(mantissa - 5) < 1e-6,
                 qPrintable(QString::number(step)));
        for (std::size_t i = 0; i < ticks.size(); ++i) {
            QVERIFY(ticks[i] >= lo - 1e-12 && ticks[i] <= hi + 1e-12);
            if (i > 0)
                QVERIFY(std::abs(ticks[i] - ticks[i - 1] - step) < step * 1e-6);
        }
    }
    void tickLabelsUseTheDigitsTheStepNeeds() {
        QCOMPARE(tickLabel(0.2, 0.2), std::string("0.2"));
        QCOMPARE(tickLabel(2000, 500), std::string("2000"));
        QCOMPARE(tickLabel(0, 0.1), std::string("0"));
        QCOMPARE(tickLabel(0.0002, 0.0001), std::string("2e-4"));
        const std::vector<double> decades = logTicks(0.01, 100);
        QCOMPARE(decades, (std::vector<double>{0.01, 0.1, 1, 10, 100}));
    }

    void svgHoldsTheSeriesAndTheLegend() {
        QTemporaryDir dir;
        const fs::path file = dir.filePath(QStringLiteral("figure.svg")).toStdString();
        QVERIFY(writeFigure(sampleFigure(), file, {800, 600}).ok());
        const std::string svg = readText(file);
        QVERIFY(svg.rfind("<?xml", 0) == 0);
        QVERIFY(svg.find("<svg") != std::string::npos);
        QVERIFY(svg.find("</svg>") != std::string::npos);
        QVERIFY(svg.find("<polyline") != std::string::npos);
        QVERIFY(svg.find("stroke=\"#1f77b4\"") != std::string::npos); // the loss's colour
        QVERIFY(svg.find(">training loss<") != std::string::npos);
        QVERIFY(svg.find(">learning rate<") != std::string::npos);
        QVERIFY(svg.find(">prior linear probe 80.2 %<") != std::string::npos);
        QVERIFY(svg.find(">75.0 %<") != std::string::npos);
        QVERIFY(svg.find("stroke-dasharray") != std::string::npos);
    }
    void pdfCrossReferencesPointAtTheirObjects() {
        QTemporaryDir dir;
        const fs::path file = dir.filePath(QStringLiteral("figure.pdf")).toStdString();
        QVERIFY(writeFigure(sampleFigure(), file, {800, 600}).ok());
        const std::string pdf = readText(file);
        QVERIFY(pdf.rfind("%PDF-1.4", 0) == 0);
        QVERIFY(pdf.size() > 6 && pdf.compare(pdf.size() - 6, 6, "%%EOF\n") == 0);
        const auto startxref = pdf.rfind("startxref\n");
        QVERIFY(startxref != std::string::npos);
        const std::size_t xref = std::stoul(pdf.substr(startxref + 10));
        QVERIFY(pdf.compare(xref, 5, "xref\n") == 0);
        std::istringstream table(pdf.substr(xref + 5));
        int first = -1, count = 0;
        table >> first >> count;
        QCOMPARE(first, 0);
        QCOMPARE(count, 6);
        std::string line;
        std::getline(table, line); // the rest of the "0 6" line
        for (int object = 0; object < count; ++object) {
            QVERIFY(std::getline(table, line));
            QCOMPARE(line.size(), std::size_t(19)); // 20 bytes with the newline, as PDF wants
            if (object == 0)
                continue;
            const std::size_t offset = std::stoul(line.substr(0, 10));
            const std::string header = std::to_string(object) + " 0 obj";
            QVERIFY2(pdf.compare(offset, header.size(), header) == 0, header.c_str());
        }
        QVERIFY(pdf.find("/BaseFont /Helvetica") != std::string::npos);
        QVERIFY(pdf.find("(prior linear probe 80.2 %) Tj") != std::string::npos);
        // The stream's /Length is the count of bytes between "stream\n" and "endstream".
        const std::smatch length = [&] {
            std::smatch m;
            std::regex_search(pdf, m, std::regex("/Length (\\d+) >>\nstream\n"));
            return m;
        }();
        QVERIFY(!length.empty());
        const std::size_t begin = static_cast<std::size_t>(length.position(0) + length.length(0));
        QCOMPARE(pdf.find("endstream", begin) - begin, std::stoul(length[1].str()));
    }
    void pngHasTheAskedSizeAndIsNotBlank() {
        QTemporaryDir dir;
        const fs::path file = dir.filePath(QStringLiteral("figure.PNG")).toStdString();
        QVERIFY(writeFigure(sampleFigure(), file, {640, 480}).ok());
        const cv::Mat image = cv::imread(file.string(), cv::IMREAD_COLOR);
        QVERIFY(!image.empty());
        QCOMPARE(image.cols, 640);
        QCOMPARE(image.rows, 480);
        double lowest = 0, highest = 0;
        cv::minMaxLoc(image.reshape(1), &lowest, &highest);
        QVERIFY(highest - lowest > 100);
        // The loss's blue is drawn somewhere.
        bool blue = false;
        for (int y = 0; y < image.rows && !blue; ++y)
            for (int x = 0; x < image.cols && !blue; ++x) {
                const auto pixel = image.at<cv::Vec3b>(y, x);
                blue = pixel[0] > 150 && pixel[2] < 80;
            }
        QVERIFY(blue);
    }
    void anEmptyFigureStillDraws() {
        QTemporaryDir dir;
        const fs::path file = dir.filePath(QStringLiteral("empty.svg")).toStdString();
        Figure figure;
        figure.panels.resize(2);
        QVERIFY(writeFigure(figure, file).ok());
        QVERIFY(fs::file_size(file) > 0);
    }
    void unknownExtensionIsAnErrorNamingTheFile() {
        QTemporaryDir dir;
        const fs::path file = dir.filePath(QStringLiteral("figure.jpg")).toStdString();
        const gps::Status status = writeFigure(sampleFigure(), file);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, gps::ErrorCode::InvalidInput);
        QVERIFY(status.error().message.find(file.string()) != std::string::npos);
        QVERIFY(status.error().message.find(".png, .svg or .pdf") != std::string::npos);
        QVERIFY(!fs::exists(file));
    }
    void aMissingFolderIsAnErrorAndLeavesNothing_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("png") << QStringLiteral("f.png");
        QTest::newRow("svg") << QStringLiteral("f.svg");
        QTest::newRow("pdf") << QStringLiteral("f.pdf");
    }
    void aMissingFolderIsAnErrorAndLeavesNothing() {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const fs::path folder = dir.filePath(QStringLiteral("missing")).toStdString();
        const fs::path file = folder / name.toStdString();
        const gps::Status status = writeFigure(sampleFigure(), file);
        QVERIFY(!status.ok());
        // The shared atomic writer reports a missing folder as NotFound, a failed write as Io.
        QVERIFY(status.error().code == gps::ErrorCode::NotFound ||
                status.error().code == gps::ErrorCode::Io);
        QVERIFY(status.error().message.find(file.string()) != std::string::npos);
        QVERIFY(!fs::exists(folder));
        QVERIFY(fs::is_empty(dir.path().toStdString()));
    }
    void aFailedWriteIsAnIoErrorNamingTheFile() {
        // /proc exists but takes no new files, for root too.
        const fs::path file = "/proc/gps-studio-chart-test.svg";
        const gps::Status status = writeFigure(sampleFigure(), file);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, gps::ErrorCode::Io);
        QVERIFY(status.error().message.find(file.string()) != std::string::npos);
        QVERIFY(!fs::exists(file));
    }
    void sizeOutsideTheLimitsIsRefused() {
        QTemporaryDir dir;
        const fs::path file = dir.filePath(QStringLiteral("f.png")).toStdString();
        QCOMPARE(writeFigure(sampleFigure(), file, {10, 10}).error().code,
                 gps::ErrorCode::InvalidInput);
        QVERIFY(!fs::exists(file));
    }
    void nonAsciiTextIsKeptInSvgAndReplacedElsewhere() {
        QCOMPARE(asciiOnly("r\xC3\xA9sum\xC3\xA9 \xCF\x84"), std::string("r?sum? ?"));
        QVERIFY(textWidth("WW", 10) > textWidth("ii", 10));
    }
};

QTEST_APPLESS_MAIN(TestChart)
#include "tst_chart.moc"
