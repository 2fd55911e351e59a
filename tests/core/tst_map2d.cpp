// The 2-D map of an embedding: the sample (stratified, seeded, with the rows the user looks at),
// PCA along the spread, t-SNE separating two blobs, cancel, and the same seed giving the same map.

#include "common/rng.h"
#include "eval/map2d.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

using namespace gps::eval;
using gps::ErrorCode;

namespace {

double gaussian(gps::Rng& rng) { // Box–Muller: the tests' own, platform-independent noise
    const double u = std::max(rng.uniform(), 1e-12);
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * rng.uniform());
}

// Two blobs of `perBlob` rows in `dim` dimensions, σ = 1, centres 0 and (gap, gap, …); labels
// 0 for the first blob, 1 for the second.
gps::priors::Embedding twoBlobs(int perBlob, int dim, double gap, std::vector<int>& labels) {
    gps::Rng rng(7);
    gps::priors::Embedding e;
    e.rows = 2 * perBlob;
    e.dim = dim;
    labels.clear();
    for (int i = 0; i < 2 * perBlob; ++i) {
        const int blob = i < perBlob ? 0 : 1;
        labels.push_back(blob);
        for (int j = 0; j < dim; ++j)
            e.values.push_back(float(blob * gap + gaussian(rng)));
    }
    return e;
}

QPointF pointOf(const Map2d& map, std::size_t i) {
    return {map.xy[2 * i], map.xy[2 * i + 1]};
}

double distance(QPointF a, QPointF b) {
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

} // namespace

class TestMap2d : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sampleIsStratifiedSeededAndHoldsTheRequiredRows() {
        std::vector<int> labels;
        for (int i = 0; i < 500; ++i)
            labels.push_back(i % 5);
        const std::vector<std::int64_t> required = {499, 3, 250, 3};
        const auto rows = sampleMapRows(500, labels, 50, required, 11);
        QCOMPARE(rows.size(), std::size_t(50));
        QVERIFY(std::is_sorted(rows.begin(), rows.end()));
        QVERIFY(std::adjacent_find(rows.begin(), rows.end()) == rows.end());
        for (const std::int64_t r : required)
            QVERIFY(std::binary_search(rows.begin(), rows.end(), r));
        std::map<int, int> perClass;
        for (const std::int64_t r : rows)
            ++perClass[labels[std::size_t(r)]];
        for (const auto& [label, count] : perClass)
            QVERIFY2(count >= 9 && count <= 11, qPrintable(QString::number(count)));
        QCOMPARE(sampleMapRows(500, labels, 50, required, 11), rows);
        QVERIFY(sampleMapRows(500, labels, 50, required, 12) != rows);
        const auto small = sampleMapRows(40, std::span<const int>(labels).first(40), 50, {}, 1);
        QCOMPARE(small.size(), std::size_t(40)); // small data: every row
        // More required rows than places: all kept, nothing else.
        const std::vector<std::int64_t> many = {1, 2, 3, 4, 5};
        QCOMPARE(sampleMapRows(500, {}, 3, many, 1), many);
    }

    void pcaFollowsTheSpread() {
        // Points along (1, 2, 0, 1) with a large spread, plus small noise in every direction.
        gps::Rng rng(3);
        const std::vector<double> direction = {1 / std::sqrt(6.0), 2 / std::sqrt(6.0), 0,
                                               1 / std::sqrt(6.0)};
        gps::priors::Embedding e;
        e.rows = 200;
        e.dim = 4;
        std::vector<double> t;
        for (int i = 0; i < 200; ++i) {
            t.push_back(10.0 * gaussian(rng));
            for (int j = 0; j < 4; ++j)
                e.values.push_back(
                    float(5.0 + t.back() * direction[std::size_t(j)] + 0.1 * gaussian(rng)));
        }
        const auto map = computeMap2d(e, {}, {});
        QVERIFY2(map.ok(), map.ok() ? "" : map.error().message.c_str());
        QCOMPARE(map->rows.size(), std::size_t(200));
        // x is the position along the spread (up to sign); y only the noise.
        double xt = 0, xx = 0, tt = 0, yy = 0;
        for (std::size_t i = 0; i < 200; ++i) {
            const double x = map->xy[2 * i], y = map->xy[2 * i + 1];
            xt += x * t[i];
            xx += x * x;
            tt += t[i] * t[i];
            yy += y * y;
        }
        QVERIFY(std::abs(xt) / std::sqrt(xx * tt) > 0.999);
        QVERIFY(yy < 0.01 * xx);
    }

    void cosineMapsScaledCopiesOnOnePoint() {
        gps::priors::Embedding e{4, 3, {1, 0, 0, 3, 0, 0, 0, 1, 0, 0, 2, 1}};
        Map2dConfig config;
        config.metric = gps::neighbors::Metric::Cosine;
        const auto map = computeMap2d(e, {}, config);
        QVERIFY(map.ok());
        QVERIFY(distance(pointOf(*map, 0), pointOf(*map, 1)) < 1e-5);
        QVERIFY(distance(pointOf(*map, 0), pointOf(*map, 2)) > 0.1);
    }

    void tsneSeparatesTwoBlobs() {
        std::vector<int> labels;
        const auto e = twoBlobs(40, 10, 8.0, labels);
        Map2dConfig config;
        config.method = MapMethod::Tsne;
        config.seed = 5;
        const auto map = computeMap2d(e, labels, config);
        QVERIFY2(map.ok(), map.ok() ? "" : map.error().message.c_str());
        QCOMPARE(map->rows.size(), std::size_t(80));
        QPointF centre[2];
        for (std::size_t i = 0; i < 80; ++i)
            centre[labels[i]] += pointOf(*map, i) / 40.0;
        for (std::size_t i = 0; i < 80; ++i) {
            const int own = labels[i];
            QVERIFY2(distance(pointOf(*map, i), centre[own]) <
                         distance(pointOf(*map, i), centre[1 - own]),
                     qPrintable(QStringLiteral("point %1").arg(i)));
        }
    }

    void sameSeedSameMap_data() {
        QTest::addColumn<int>("method");
        QTest::newRow("pca") << int(MapMethod::Pca);
        QTest::newRow("t-SNE") << int(MapMethod::Tsne);
    }
    void sameSeedSameMap() {
        QFETCH(int, method);
        std::vector<int> labels;
        const auto e = twoBlobs(60, 6, 3.0, labels);
        Map2dConfig config;
        config.method = MapMethod(method);
        config.maxRows = 90;
        config.required = {0, 119};
        config.tsne.iterations = 200;
        config.seed = 21;
        const auto a = computeMap2d(e, labels, config);
        const auto b = computeMap2d(e, labels, config);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->rows, b->rows);
        QCOMPARE(a->xy, b->xy);
        QCOMPARE(a->rows.size(), std::size_t(90));
        QCOMPARE(a->rows.front(), std::int64_t(0));
        QCOMPARE(a->rows.back(), std::int64_t(119));
        config.seed = 22;
        const auto c = computeMap2d(e, labels, config);
        QVERIFY(c.ok() && c->rows != a->rows);
    }

    void cancelStopsWithinAStep() {
        std::vector<int> labels;
        const auto e = twoBlobs(50, 5, 4.0, labels);
        Map2dConfig config;
        config.method = MapMethod::Tsne;
        int calls = 0;
        int callsAfterNo = 0;
        bool stopped = false;
        const auto map = computeMap2d(e, labels, config, [&](double fraction, std::string_view) {
            ++calls;
            callsAfterNo += stopped;
            // Stop during the gradient steps, past the calibration of P.
            stopped = stopped || fraction > 0.2;
            return !stopped;
        });
        QVERIFY(!map.ok());
        QCOMPARE(map.error().code, ErrorCode::Cancelled);
        QCOMPARE(callsAfterNo, 0);
        QVERIFY(calls < 750 / 2);
    }

    void badInputIsAnError() {
        gps::priors::Embedding e{3, 2, {0, 0, 1, 1, 2, 2}};
        Map2dConfig config;
        config.maxRows = 1;
        QCOMPARE(computeMap2d(e, {}, config).error().code, ErrorCode::InvalidInput);
        config.maxRows = kMaxMapRows + 1;
        QCOMPARE(computeMap2d(e, {}, config).error().code, ErrorCode::InvalidInput);
        config.maxRows = 10;
        config.required = {3};
        QCOMPARE(computeMap2d(e, {}, config).error().code, ErrorCode::InvalidInput);
        config.required = {};
        const std::vector<int> twoLabels = {0, 1};
        QCOMPARE(computeMap2d(e, twoLabels, config).error().code, ErrorCode::InvalidInput);
        e.values[3] = std::nanf("");
        QCOMPARE(computeMap2d(e, {}, config).error().code, ErrorCode::InvalidInput);
    }
};

QTEST_APPLESS_MAIN(TestMap2d)
#include "tst_map2d.moc"
