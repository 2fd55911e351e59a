// The Map tab in the main window: a PCA map of a tiny graph's prior shows its points with the
// inspector's anchor and candidates, follows τ without recomputing, a click on a point makes it
// the inspector's anchor, the quality table counts per class, and a cancelled t-SNE ends
// cancelled and leaves the window usable.

#include "bridge/neighbor_job.h"
#include "main_window.h"
#include "panels/dataset_panel.h"
#include "panels/map_panel.h"
#include "panels/neighbor_panel.h"
#include "project/run_dir.h"
#include "ui_fixtures.h"
#include "widgets/class_quality_table.h"
#include "widgets/embedding_map.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using gps::ui::MainWindow;
using gps::ui::MapPanel;

namespace {

constexpr int kTimeoutMs = 30000;

// A graph of `n` tiny images in 3 classes over a prior embedding built by hand: each class a
// ring of its own radius, so every point has its own place on a PCA map.
gps::ui::NeighborGraphPtr makeGraph(int n) {
    const auto dataset = gps::test::inMemory(gps::test::makeTinyImages(n, 4, 4, 1, 3));
    auto embedding = std::make_shared<gps::priors::Embedding>();
    embedding->rows = n;
    embedding->dim = 3;
    for (int i = 0; i < n; ++i) {
        const double angle = 2.0 * 3.14159265 * i / n;
        const double radius = 1.0 + dataset->label(std::size_t(i));
        for (const double v : {radius * std::cos(angle), radius * std::sin(angle), 0.01 * i})
            embedding->values.push_back(float(v));
    }
    gps::neighbors::KnnOptions knn;
    knn.kMax = 5;
    auto graph = gps::neighbors::buildKnnGraph(embedding->values.data(), n, 3, knn);
    if (!graph)
        qFatal("graph: %s", graph.error().message.c_str());
    auto built = std::make_shared<gps::session::PriorGraph>();
    built->dataset = dataset;
    built->recipe.priorSpec = "hand";
    built->recipe.knn = knn;
    built->embedding = embedding;
    built->graph = std::make_shared<const gps::neighbors::KnnGraph>(std::move(*graph));
    return gps::ui::makeNeighborGraph(built);
}

} // namespace

class TestMapPanel : public QObject {
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;

    // Shows `graph` in the window's inspector with `anchor` selected, and the Map tab.
    MapPanel& showGraph(const gps::ui::NeighborGraphPtr& graph, qint64 anchor) {
        m_window->setDataset(graph->dataset, QStringLiteral("memory"));
        m_window->neighborPanel()->setGraph(graph);
        m_window->datasetPanel()->selectImage(anchor);
        m_window->showMap();
        return *m_window->mapPanel();
    }

    static bool computeAndWait(MapPanel& panel) {
        QSignalSpy finished(&panel, &MapPanel::mapFinished);
        panel.compute();
        return finished.count() == 1 || finished.wait(kTimeoutMs);
    }

private Q_SLOTS:
    void init() {
        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup() { m_window.reset(); }

    void pcaMapShowsThePointsAndFollowsTheInspector() {
        MapPanel& panel = showGraph(makeGraph(60), 5);
        gps::ui::NeighborPanel* inspector = m_window->neighborPanel();
        QCOMPARE(inspector->anchor(), qint64(5));
        panel.setMethod(gps::eval::MapMethod::Pca);
        QVERIFY(computeAndWait(panel));
        QVERIFY2(panel.statusText().startsWith(QStringLiteral("PCA of 60 of 60")),
                 qPrintable(panel.statusText()));
        gps::ui::EmbeddingMap* map = panel.map();
        QCOMPARE(map->pointCount(), 60);
        for (const char* name : {"class-A", "class-B", "class-C", "anchor"})
            QVERIFY2(map->legendNames().contains(QString::fromLatin1(name)), name);
        QVERIFY(map->anchorShown());
        QVERIFY(inspector->candidateCount() > 0);
        QCOMPARE(map->shownCandidates(), int(inspector->candidateCount()));

        // τ and the anchor move the highlights only: no new map is computed.
        QSignalSpy finished(&panel, &MapPanel::mapFinished);
        inspector->setTau(0.0);
        QCOMPARE(map->shownCandidates(), 0);
        inspector->setKMode(true);
        inspector->setK(3);
        QCOMPARE(map->shownCandidates(), 3);
        inspector->showAnchor(40);
        QCOMPARE(map->shownCandidates(), 3);
        QVERIFY(!panel.isComputing());
        QCOMPARE(finished.count(), 0);
        QCOMPARE(map->pointCount(), 60);

        // The quality table counts the inspector's candidates per class.
        gps::ui::ClassQualityTable* quality = panel.quality();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.qualityPending() && quality->classRows() == 3, kTimeoutMs);
        QVERIFY2(quality->caption().contains(QStringLiteral("k = 3")),
                 qPrintable(quality->caption()));
        // The outer ring's third neighbour lies on the middle ring: mixed anchors, one click away.
        QVERIFY(quality->worstRows() > 0);
        const qint64 worst = quality->worstAnchor(0);
        auto* table = quality->findChild<QTableWidget*>(QStringLiteral("qualityWorst"));
        QVERIFY(table);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualItemRect(table->item(0, 0)).center());
        QCOMPARE(inspector->anchor(), worst);
    }

    void clickingAPointMakesItTheAnchor() {
        MapPanel& panel = showGraph(makeGraph(60), 5);
        QVERIFY(computeAndWait(panel));
        gps::ui::EmbeddingMap* map = panel.map();
        const auto pixel = map->pixelOf(17);
        QVERIFY(pixel.has_value());
        QCOMPARE(map->pick(*pixel), qint64(17));
        QCOMPARE(map->pick(*pixel + QPointF(200, 200)), qint64(-1)); // far from every point

        QSignalSpy clicked(map, &gps::ui::EmbeddingMap::anchorClicked);
        QTest::mouseClick(map->canvas(), Qt::LeftButton, {}, pixel->toPoint());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toLongLong(), qint64(17));
        QCOMPARE(m_window->neighborPanel()->anchor(), qint64(17));
        QCOMPARE(m_window->datasetPanel()->currentImage(), qint64(17));
        QVERIFY(map->anchorShown());
    }

    void aRunsEmbeddingsAreMappedAndAnotherSplitsRefused() {
        QTemporaryDir dir;
        MapPanel& panel = showGraph(makeGraph(60), 5);
        const QString wrong = dir.filePath(QStringLiteral("wrong.npy"));
        const gps::priors::Embedding tenRows{10, 2, std::vector<float>(20, 1.0f)};
        QVERIFY(gps::project::writeEmbeddings(wrong.toStdString(), tenRows).ok());
        panel.setEmbeddingFile(wrong);
        QCOMPARE(panel.source(), MapPanel::Source::RunFile);
        QVERIFY(computeAndWait(panel));
        QVERIFY2(panel.statusText().contains(QStringLiteral("another split")),
                 qPrintable(panel.statusText()));
        QCOMPARE(panel.map()->pointCount(), 0);
        m_window->neighborPanel()->showAnchor(6); // an error stays until the next Compute
        QVERIFY(panel.statusText().contains(QStringLiteral("another split")));

        gps::priors::Embedding run{60, 2, {}};
        for (int i = 0; i < 60; ++i)
            run.values.insert(run.values.end(), {float(i), float(i % 7)});
        const QString good = dir.filePath(QStringLiteral("train_embeddings.npy"));
        QVERIFY(gps::project::writeEmbeddings(good.toStdString(), run).ok());
        panel.setEmbeddingFile(good);
        QVERIFY(computeAndWait(panel));
        QVERIFY2(panel.statusText().contains(QStringLiteral("train_embeddings.npy")),
                 qPrintable(panel.statusText()));
        QCOMPARE(panel.map()->pointCount(), 60);
    }

    void aGraphWithoutAnEmbeddingSaysSo() {
        auto knn = std::make_shared<gps::neighbors::KnnGraph>();
        knn->rows = 3;
        knn->k = 1;
        knn->indices = {1, 0, 1};
        knn->distances = {0.1f, 0.1f, 0.2f};
        const auto dataset = gps::test::inMemory(gps::test::makeTinyImages(3, 4, 4, 1, 1));
        MapPanel& panel = showGraph(gps::ui::makeNeighborGraph(dataset, knn), 0);
        QVERIFY(computeAndWait(panel));
        QVERIFY2(panel.statusText().contains(QStringLiteral("no prior embedding")),
                 qPrintable(panel.statusText()));
        QCOMPARE(panel.map()->pointCount(), 0);
    }

    void cancelledTsneEndsCancelledAndTheWindowStaysUsable() {
        MapPanel& panel = showGraph(makeGraph(2000), 0);
        panel.setMethod(gps::eval::MapMethod::Tsne);
        panel.setSampleSize(2000);
        QSignalSpy finished(&panel, &MapPanel::mapFinished);
        panel.compute();
        QVERIFY(panel.isComputing());
        // The GUI thread keeps serving events while the map computes.
        QTest::qWait(300);
        QVERIFY(panel.isComputing());
        m_window->neighborPanel()->showAnchor(3);
        QCOMPARE(m_window->neighborPanel()->anchor(), qint64(3));

        QElapsedTimer timer;
        timer.start();
        panel.cancel();
        QVERIFY(finished.wait(kTimeoutMs));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(panel.statusText(), QStringLiteral("Cancelled."));
        QVERIFY(!panel.isComputing());
        QCOMPARE(panel.map()->pointCount(), 0);

        panel.setMethod(gps::eval::MapMethod::Pca);
        QVERIFY(computeAndWait(panel));
        QCOMPARE(panel.map()->pointCount(), 2000);
    }
};

QTEST_MAIN(TestMapPanel)
#include "tst_map_panel.moc"
