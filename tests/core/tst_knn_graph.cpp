#include "common/npy.h"
#include "common/rng.h"
#include "neighbors/knn_graph.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

using namespace gps::neighbors;
using gps::ErrorCode;

Q_DECLARE_METATYPE(gps::neighbors::Metric)
Q_DECLARE_METATYPE(gps::neighbors::IndexKind)
Q_DECLARE_METATYPE(gps::ErrorCode)

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

/// n × dim rows of small integers (0..levels-1): every distance FAISS and the brute force
/// compute is an exact float, so ties are real ties. The first `duplicates` rows repeat row 0;
/// with `scaledCopies` the repeats are 2× row 0 instead (the same direction for cosine).
std::vector<float> gridRows(std::int64_t n, std::int64_t dim, int levels, int duplicates,
                            bool scaledCopies, std::uint64_t seed) {
    gps::Rng rng(seed);
    std::vector<float> rows(static_cast<std::size_t>(n * dim));
    for (auto& value : rows)
        value = float(rng.below(static_cast<std::uint64_t>(levels)));
    if (scaledCopies)
        for (std::int64_t j = 0; j < dim; ++j)
            rows[std::size_t(j)] += 1.0f; // row 0 non-zero, so its direction is defined
    for (int copy = 1; copy <= duplicates && copy < n; ++copy)
        for (std::int64_t j = 0; j < dim; ++j)
            rows[std::size_t(copy * dim + j)] = rows[std::size_t(j)] * (scaledCopies ? 2.0f : 1.0f);
    return rows;
}

/// The definition, computed the slow way in double: for each row, all other rows sorted by
/// (distance, index), the first k, padded.
KnnGraph bruteForce(const std::vector<float>& rows, std::int64_t n, std::int64_t dim, int k,
                    Metric metric) {
    std::vector<double> data(rows.begin(), rows.end());
    if (metric == Metric::Cosine)
        for (std::int64_t i = 0; i < n; ++i) {
            double norm = 0;
            for (std::int64_t j = 0; j < dim; ++j)
                norm += data[std::size_t(i * dim + j)] * data[std::size_t(i * dim + j)];
            for (std::int64_t j = 0; j < dim && norm > 0; ++j)
                data[std::size_t(i * dim + j)] /= std::sqrt(norm);
        }
    KnnGraph graph{n, k, std::vector<std::int64_t>(std::size_t(n * k), -1),
                   std::vector<float>(std::size_t(n * k), kInf), "brute force"};
    for (std::int64_t i = 0; i < n; ++i) {
        std::vector<std::pair<double, std::int64_t>> all;
        for (std::int64_t other = 0; other < n; ++other) {
            if (other == i)
                continue;
            double d = 0;
            for (std::int64_t j = 0; j < dim; ++j) {
                const double diff =
                    data[std::size_t(i * dim + j)] - data[std::size_t(other * dim + j)];
                d += diff * diff;
            }
            all.emplace_back(d, other);
        }
        std::sort(all.begin(), all.end());
        for (int j = 0; j < k && j < int(all.size()); ++j) {
            graph.indices[std::size_t(i * k + j)] = all[std::size_t(j)].second;
            graph.distances[std::size_t(i * k + j)] = float(all[std::size_t(j)].first);
        }
    }
    return graph;
}

double recall(const KnnGraph& approximate, const KnnGraph& exact) {
    std::int64_t hits = 0;
    for (std::int64_t i = 0; i < exact.rows; ++i) {
        const auto truth = exact.neighborsOf(i);
        const std::set<std::int64_t> wanted(truth.begin(), truth.end());
        for (const auto id : approximate.neighborsOf(i))
            hits += wanted.count(id);
    }
    return double(hits) / double(exact.rows * exact.k);
}

/// Points around `clusters` well separated centres.
std::vector<float> clusteredRows(int clusters, int perCluster, int dim, std::uint64_t seed) {
    gps::Rng rng(seed);
    std::vector<float> rows;
    for (int c = 0; c < clusters; ++c) {
        std::vector<float> centre(static_cast<std::size_t>(dim));
        for (auto& x : centre)
            x = float(rng.uniform(-10, 10));
        for (int p = 0; p < perCluster; ++p)
            for (int j = 0; j < dim; ++j)
                rows.push_back(centre[std::size_t(j)] + float(rng.uniform(-1, 1)));
    }
    return rows;
}

} // namespace

class TestKnnGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exactMatchesBruteForce_data() {
        QTest::addColumn<Metric>("metric");
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("dim");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("duplicates");
        QTest::addColumn<int>("batchRows");
        // Few levels make many exact ties. 2500 rows span three database tiles of the exact
        // search, the last one partial.
        QTest::newRow("l2, ties, several tiles") << Metric::L2 << 2500 << 6 << 10 << 0 << 1000;
        QTest::newRow("l2, ties, small batches") << Metric::L2 << 90 << 4 << 7 << 0 << 7;
        QTest::newRow("l2, 3 duplicates") << Metric::L2 << 120 << 8 << 5 << 3 << 4096;
        QTest::newRow("l2, duplicates beyond k+1") << Metric::L2 << 60 << 5 << 2 << 6 << 32;
        QTest::newRow("l2, k = 1") << Metric::L2 << 50 << 3 << 1 << 2 << 25;
        QTest::newRow("l2, fewer rows than k+1") << Metric::L2 << 5 << 3 << 8 << 1 << 4096;
        QTest::newRow("l2, two rows") << Metric::L2 << 2 << 2 << 3 << 0 << 1;
        QTest::newRow("cosine, scaled duplicates") << Metric::Cosine << 200 << 16 << 6 << 3 << 64;
        QTest::newRow("cosine, fewer rows than k+1") << Metric::Cosine << 6 << 4 << 9 << 2 << 4096;
    }
    void exactMatchesBruteForce() {
        QFETCH(Metric, metric);
        QFETCH(int, n);
        QFETCH(int, dim);
        QFETCH(int, k);
        QFETCH(int, duplicates);
        QFETCH(int, batchRows);
        const bool cosine = metric == Metric::Cosine;
        // Cosine uses many levels so that distinct directions give distinct distances; the
        // brute force then agrees to rounding, and exact duplicates tie at exactly 0.
        const auto rows = gridRows(n, dim, cosine ? 1000 : 3, duplicates, cosine, 11);
        const auto built =
            buildKnnGraph(rows.data(), n, dim, {k, metric, IndexKind::Flat, batchRows});
        QVERIFY2(built.ok(), built.ok() ? "" : built.error().message.c_str());
        const KnnGraph expected = bruteForce(rows, n, dim, k, metric);
        QCOMPARE(built->rows, std::int64_t(n));
        QCOMPARE(built->k, k);
        QVERIFY(built->indexDescription.rfind("exact", 0) == 0);
        QVERIFY(validateKnnGraph(*built, "built").ok());
        const float tolerance = cosine ? 1e-5f : 0.0f;
        for (std::size_t cell = 0; cell < expected.indices.size(); ++cell) {
            QCOMPARE(built->indices[cell], expected.indices[cell]);
            const float got = built->distances[cell], want = expected.distances[cell];
            if (std::isinf(want))
                QVERIFY(std::isinf(got));
            else
                QVERIFY2(
                    std::abs(got - want) <= tolerance,
                    qPrintable(QStringLiteral("cell %1: %2 vs %3").arg(cell).arg(got).arg(want)));
        }
        if (duplicates > 0) // an exact duplicate reads exactly 0, not a rounding residue
            QCOMPARE(built->distances[0], 0.0f);
    }

    void duplicatesOfRealValuedRowsReadZero_data() {
        QTest::addColumn<Metric>("metric");
        QTest::newRow("l2") << Metric::L2;
        QTest::newRow("cosine") << Metric::Cosine;
    }
    void duplicatesOfRealValuedRowsReadZero() {
        // Values with full mantissas: ‖x‖² + ‖y‖² − 2x·y would leave a rounding residue.
        QFETCH(Metric, metric);
        const int n = 300, dim = 97, k = 5;
        gps::Rng rng(21);
        std::vector<float> rows(std::size_t(n * dim));
        for (auto& value : rows)
            value = float(rng.uniform(0.1, 3.0));
        for (int copy : {7, 150, 299}) // three copies of row 42
            std::copy_n(rows.begin() + 42 * dim, dim, rows.begin() + copy * dim);
        const auto built = buildKnnGraph(rows.data(), n, dim, {k, metric, IndexKind::Flat, 4096});
        QVERIFY(built.ok());
        const std::vector<std::pair<int, std::vector<std::int64_t>>> expected = {
            {42, {7, 150, 299}}, {7, {42, 150, 299}}, {299, {7, 42, 150}}};
        for (const auto& [row, twins] : expected)
            for (std::size_t j = 0; j < twins.size(); ++j) {
                QCOMPARE(built->neighborsOf(row)[j], twins[j]);
                QCOMPARE(built->distancesOf(row)[j], 0.0f);
            }
        QVERIFY(built->distancesOf(42)[3] > 0.0f);
    }

    void approximateIndexesHaveHighRecall_data() {
        QTest::addColumn<IndexKind>("kind");
        QTest::addColumn<Metric>("metric");
        QTest::newRow("ivf l2") << IndexKind::Ivf << Metric::L2;
        QTest::newRow("ivf cosine") << IndexKind::Ivf << Metric::Cosine;
        QTest::newRow("hnsw l2") << IndexKind::Hnsw << Metric::L2;
        QTest::newRow("hnsw cosine") << IndexKind::Hnsw << Metric::Cosine;
    }
    void approximateIndexesHaveHighRecall() {
        QFETCH(IndexKind, kind);
        QFETCH(Metric, metric);
        const int n = 3000, dim = 16, k = 10;
        const auto rows = clusteredRows(30, n / 30, dim, 5);
        const auto exact = buildKnnGraph(rows.data(), n, dim, {k, metric, IndexKind::Flat, 512});
        const auto approximate = buildKnnGraph(rows.data(), n, dim, {k, metric, kind, 512});
        QVERIFY(exact.ok() && approximate.ok());
        QVERIFY2(approximate->indexDescription.rfind("approximate (", 0) == 0,
                 approximate->indexDescription.c_str());
        QVERIFY(validateKnnGraph(*approximate, "approximate").ok());
        const double r = recall(*approximate, *exact);
        QVERIFY2(r > 0.9, qPrintable(QStringLiteral("recall %1").arg(r)));
    }

    void autoIsExactForSmallData() {
        const auto rows = gridRows(100, 4, 5, 0, false, 3);
        const auto built =
            buildKnnGraph(rows.data(), 100, 4, {4, Metric::L2, IndexKind::Auto, 4096});
        QVERIFY(built.ok());
        QCOMPARE(built->indexDescription, std::string("exact (brute force, BLAS sgemm)"));
    }

    void badInputIsRejected_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("badRow");
        QTest::addColumn<float>("badValue");
        QTest::addColumn<QString>("mention");
        QTest::newRow("one row") << 1 << 4 << -1 << 0.0f << "at least 2 rows";
        QTest::newRow("k_max 0") << 10 << 0 << -1 << 0.0f << "k_max must be >= 1";
        QTest::newRow("nan") << 10 << 4 << 7 << std::numeric_limits<float>::quiet_NaN() << "row 7";
        QTest::newRow("inf") << 10 << 4 << 3 << -kInf << "row 3";
    }
    void badInputIsRejected() {
        QFETCH(int, n);
        QFETCH(int, k);
        QFETCH(int, badRow);
        QFETCH(float, badValue);
        QFETCH(QString, mention);
        auto rows = gridRows(std::max(n, 1), 3, 4, 0, false, 1);
        if (badRow >= 0)
            rows[std::size_t(badRow * 3 + 1)] = badValue;
        const auto built = buildKnnGraph(rows.data(), n, 3, {k, Metric::L2, IndexKind::Flat, 4096});
        QVERIFY(!built.ok());
        QCOMPARE(built.error().code, ErrorCode::InvalidInput);
        QVERIFY2(built.error().message.find(mention.toStdString()) != std::string::npos,
                 built.error().message.c_str());
    }

    void cancelStopsTheBuild() {
        const int n = 4000;
        const auto rows = gridRows(n, 8, 10, 0, false, 2);
        int calls = 0;
        const auto stopOnSecond = [&calls](double, std::string_view) { return ++calls < 2; };
        const auto built =
            buildKnnGraph(rows.data(), n, 8, {16, Metric::L2, IndexKind::Flat, 200}, stopOnSecond);
        QVERIFY(!built.ok());
        QCOMPARE(built.error().code, ErrorCode::Cancelled);
        QCOMPARE(calls, 2); // 20 batches, stopped after the second
    }

    void progressReachesOne() {
        const auto rows = gridRows(500, 4, 10, 0, false, 4);
        std::vector<double> fractions;
        const auto built = buildKnnGraph(rows.data(), 500, 4, {3, Metric::L2, IndexKind::Flat, 100},
                                         [&](double f, std::string_view) {
                                             fractions.push_back(f);
                                             return true;
                                         });
        QVERIFY(built.ok());
        QCOMPARE(fractions.size(), std::size_t(5));
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
    }

    void saveLoadRoundTrip() {
        QTemporaryDir dir;
        const std::string prefix = dir.filePath(QStringLiteral("graph")).toStdString();
        const auto rows = gridRows(30, 4, 3, 2, false, 9);
        const auto built =
            buildKnnGraph(rows.data(), 30, 4, {40, Metric::L2, IndexKind::Flat, 4096});
        QVERIFY(built.ok()); // 29 neighbours + 11 padding columns per row
        QVERIFY(saveKnnGraph(*built, prefix).ok());
        const auto ids = gps::readNpy(prefix + "_indices.npy");
        const auto distances = gps::readNpy(prefix + "_distances.npy");
        QVERIFY(ids.ok() && distances.ok());
        QCOMPARE(ids->dtype, std::string("<i8"));
        QCOMPARE(distances->dtype, std::string("<f4"));
        QCOMPARE(ids->shape, (std::vector<std::int64_t>{30, 40}));
        QCOMPARE(distances->shape, (std::vector<std::int64_t>{30, 40}));
        const auto loaded = loadKnnGraph(prefix);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->rows, built->rows);
        QCOMPARE(loaded->k, built->k);
        QVERIFY(loaded->indices == built->indices);
        QVERIFY(loaded->distances == built->distances); // +inf padding survives too
    }

    void loadRejectsBadFiles_data() {
        QTest::addColumn<QString>("idsDtype");
        QTest::addColumn<QList<qint64>>("idsShape");
        QTest::addColumn<QString>("distancesDtype");
        QTest::addColumn<QList<qint64>>("distancesShape");
        QTest::addColumn<qint64>("badIndex");
        QTest::addColumn<QString>("mention");
        const QList<qint64> good = {4, 2};
        QTest::newRow("shapes differ")
            << "<i8" << good << "<f4" << QList<qint64>{4, 3} << qint64(1) << "has shape (4, 3)";
        QTest::newRow("1-d indices")
            << "<i8" << QList<qint64>{8} << "<f4" << good << qint64(1) << "shape (8,)";
        QTest::newRow("float64 distances")
            << "<i8" << good << "<f8" << good << qint64(1) << "expected dtype <f4";
        QTest::newRow("int32 indices")
            << "<i4" << good << "<f4" << good << qint64(1) << "expected dtype <i8";
        QTest::newRow("index out of range")
            << "<i8" << good << "<f4" << good << qint64(4) << "outside [0, 4)";
        QTest::newRow("lists itself")
            << "<i8" << good << "<f4" << good << qint64(0) << "lists itself";
    }
    void loadRejectsBadFiles() {
        QFETCH(QString, idsDtype);
        QFETCH(QList<qint64>, idsShape);
        QFETCH(QString, distancesDtype);
        QFETCH(QList<qint64>, distancesShape);
        QFETCH(qint64, badIndex);
        QFETCH(QString, mention);
        QTemporaryDir dir;
        const std::string prefix = dir.filePath(QStringLiteral("bad")).toStdString();
        const auto write = [](const std::string& path, const QString& dtype,
                              const QList<qint64>& shape, std::int64_t firstValue) {
            const std::vector<std::int64_t> dims(shape.begin(), shape.end());
            std::int64_t count = 1;
            for (auto d : dims)
                count *= d;
            const std::size_t item = gps::npyItemSize(dtype.toStdString());
            std::vector<std::uint8_t> bytes(std::size_t(count) * item, 0);
            // Row 0 lists row `firstValue` then row 1... (valid unless firstValue is bad).
            if (dtype == QStringLiteral("<i8")) {
                auto* ids = reinterpret_cast<std::int64_t*>(bytes.data());
                for (std::int64_t c = 0; c < count; ++c)
                    ids[c] = (c / 2 + 1 + c % 2) % 4;
                ids[0] = firstValue;
            }
            QVERIFY(gps::writeNpy(path, dtype.toStdString(), dims, bytes.data()).ok());
        };
        write(prefix + "_indices.npy", idsDtype, idsShape, badIndex);
        write(prefix + "_distances.npy", distancesDtype, distancesShape, 0);
        const auto loaded = loadKnnGraph(prefix);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, ErrorCode::Corrupt);
        QVERIFY2(loaded.error().message.find(mention.toStdString()) != std::string::npos,
                 loaded.error().message.c_str());
    }

    void loadMissingFileIsNotFound() {
        QTemporaryDir dir;
        const auto loaded = loadKnnGraph(dir.filePath(QStringLiteral("none")).toStdString());
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, ErrorCode::NotFound);
    }
};

QTEST_APPLESS_MAIN(TestKnnGraph)
#include "tst_knn_graph.moc"
