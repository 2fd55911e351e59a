// A run's curves as values: what RunCurves takes from metrics lines, the smoothing against hand
// values, decimation that keeps every peak, and MetricsTail following a file that grows, is cut
// short mid-line, and is replaced by a resumed run.

#include "project/metrics_log.h"
#include "report/curve_math.h"
#include "report/run_curves.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using gps::report::Curve;
using gps::report::CurvePoint;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

void appendText(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::app | std::ios::binary);
    out << text;
}

} // namespace

class TestRunCurves : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void takesEachKindOfLine() {
        gps::report::RunCurves curves;
        curves.add(json{{"epoch", 0},
                        {"step", 0},
                        {"prior_linear_probe_acc", 0.802},
                        {"prior_knn_acc", 0.813}});
        curves.add(json{{"epoch", 0},
                        {"step", 1},
                        {"epochs", 0.25},
                        {"time", 0.5},
                        {"loss", 5.0},
                        {"lr", 0.1},
                        {"images_per_second", 900}});
        curves.add(json{{"epoch", 0},
                        {"step", 4},
                        {"epochs", 1.0},
                        {"time", 2.0},
                        {"loss", 4.0},
                        {"lr", 0.2},
                        {"online_probe_acc", 0.3}});
        curves.add(json{{"epoch", 1}, {"step", 4}, {"epoch_loss", 4.5}});
        curves.add(json{{"epoch", 1}, {"step", 4}, {"linear_probe_acc", 0.7}, {"knn_acc", 0.6}});
        curves.add(json{{"loss", 1.0}});                             // no step: ignored
        curves.add(json{{"step", 5}, {"loss", "NaN"}, {"lr", 0.3}}); // a string is no number

        QCOMPARE(curves.priorLinearProbe.value_or(0), 0.802);
        QCOMPARE(curves.priorKnn.value_or(0), 0.813);
        QCOMPARE(curves.loss.size(), std::size_t(2));
        QCOMPARE(curves.loss[1].epochs, 1.0);
        QCOMPARE(curves.loss[1].seconds, 2.0);
        QCOMPARE(curves.lr.size(), std::size_t(3));
        QCOMPARE(curves.onlineProbe.size(), std::size_t(1));
        QCOMPARE(curves.imagesPerSecond[0].value, 900.0);
        // The evaluation: epochs completed, and the time of the step before it.
        QCOMPARE(curves.linearProbe.size(), std::size_t(1));
        QCOMPARE(curves.linearProbe[0].epochs, 1.0);
        QCOMPARE(curves.linearProbe[0].seconds, 2.0);
        QCOMPARE(curves.knn[0].value, 0.6);
        QCOMPARE(curves.lastStep(), 5.0);
        QVERIFY(!curves.empty());
        // An old file without epochs and time: the integer epoch, no time.
        gps::report::RunCurves old;
        old.add(json{{"epoch", 2}, {"step", 30}, {"loss", 1.0}});
        QCOMPARE(old.loss[0].epochs, 2.0);
        QVERIFY(std::isnan(old.loss[0].seconds));
        QVERIFY(std::isnan(old.loss[0].x(gps::report::XAxis::Time)));
    }

    void smoothingAgainstHandValues() {
        // w = 0.6: s1 = 0.4·10 = 4 → 4/0.4 = 10; s2 = 0.6·4 + 0.4·20 = 10.4 → 10.4/0.64 = 16.25;
        // s3 = 0.6·10.4 + 0.4·0 = 6.24 → 6.24/0.784.
        const auto smooth = gps::report::smoothEma({10, 20, NAN, 0}, 0.6);
        QCOMPARE(smooth.size(), std::size_t(4));
        QCOMPARE(smooth[0], 10.0);
        QCOMPARE(smooth[1], 16.25);
        QVERIFY(std::isnan(smooth[2])); // passes through, not into the mean
        QVERIFY(std::abs(smooth[3] - 6.24 / 0.784) < 1e-12);
        QCOMPARE(gps::report::smoothEma({1, 5, 2}, 0), (std::vector<double>{1, 5, 2}));
        const auto clamped = gps::report::smoothEma({3, 3, 3}, 7.0); // clamped to 0.999
        QVERIFY(std::abs(clamped[2] - 3.0) < 1e-9);
    }

    void decimationKeepsPeaks() {
        Curve curve;
        for (int i = 0; i < 10000; ++i)
            curve.push_back(CurvePoint{.step = double(i), .value = std::sin(i * 0.01)});
        curve[5123].value = 50;  // a spike
        curve[7777].value = -50; // and a dip
        const Curve drawn = gps::report::decimated(curve, 500);
        QVERIFY(drawn.size() <= 500);
        QVERIFY(drawn.size() > 400);
        QCOMPARE(drawn.front().step, 0.0);
        QCOMPARE(drawn.back().step, 9999.0);
        bool spike = false, dip = false;
        for (std::size_t i = 0; i < drawn.size(); ++i) {
            spike = spike || drawn[i].value == 50;
            dip = dip || drawn[i].value == -50;
            if (i > 0)
                QVERIFY(drawn[i].step > drawn[i - 1].step); // order kept
        }
        QVERIFY(spike && dip);
        QCOMPARE(gps::report::decimated(Curve(10), 500).size(), std::size_t(10));
    }

    void tailFollowsAGrowingFile() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "metrics.jsonl";
        gps::project::MetricsTail tail(file);
        auto missing = tail.poll();
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, gps::ErrorCode::NotFound);

        appendText(file, "{\"step\":1,\"loss\":3}\n{\"step\":2,\"lo");
        auto first = tail.poll();
        QVERIFY(first.ok());
        QCOMPARE(first->lines.size(), std::size_t(1)); // the half line waits
        QVERIFY(!first->restarted);
        appendText(file, "ss\":2}\nnot json\n{\"step\":3,\"loss\":1}\n");
        auto second = tail.poll();
        QVERIFY(second.ok());
        QCOMPARE(second->lines.size(), std::size_t(2));
        QCOMPARE(second->lines[0]["loss"].get<int>(), 2);
        QCOMPARE(second->warnings.size(), std::size_t(1));
        QVERIFY2(second->warnings[0].find("line 3") != std::string::npos,
                 second->warnings[0].c_str());
        QVERIFY(tail.poll()->lines.empty()); // nothing new

        // A resumed run writes a new file in its place: read from the start again.
        const fs::path replacement = file.string() + ".new";
        appendText(replacement, "{\"step\":1,\"loss\":3}\n");
        fs::rename(replacement, file);
        auto third = tail.poll();
        QVERIFY(third.ok());
        QVERIFY(third->restarted);
        QCOMPARE(third->lines.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestRunCurves)
#include "tst_run_curves.moc"
