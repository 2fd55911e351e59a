// session::buildPriorGraph, the one way a prior becomes positives: what it builds, what it
// remembers of how it was built (so a run can tell whether a given graph fits it), progress and
// cancel; and makeSampler's τ "auto", τ and k-mode.
#include "data/class_names.h"
#include "data/in_memory_dataset.h"
#include "priors/embedding_cache.h"
#include "project/project.h"
#include "session/prior_graph.h"
#include "test_data.h"

#include <QtTest>

#include <algorithm>

using gps::session::buildPriorGraph;
using gps::session::GraphRecipe;
using gps::session::PriorGraphRequest;

namespace {

gps::data::DatasetPtr tinyDataset(int count, int seed = 0) {
    const auto tiny = gps::test::makeTinyImages(count, 8, 8, 1, 3, seed);
    gps::data::InMemoryParts parts;
    parts.images = gps::data::ImageBlock(std::size_t(count), {8, 8, 1});
    std::copy(tiny.pixels.begin(), tiny.pixels.end(), parts.images.data());
    parts.labels = tiny.labels;
    parts.classNames = gps::data::numberedClassNames(3);
    parts.split = "train";
    parts.format = "test";
    return std::make_shared<const gps::data::InMemoryDataset>(std::move(parts));
}

PriorGraphRequest request(gps::data::DatasetPtr dataset, const std::string& spec, int kMax,
                          gps::neighbors::Metric metric = gps::neighbors::Metric::L2) {
    PriorGraphRequest out;
    out.dataset = std::move(dataset);
    out.recipe.priorSpec = spec;
    out.recipe.knn.kMax = kMax;
    out.recipe.knn.metric = metric;
    out.cache.enabled = false;
    return out;
}

} // namespace

class TestPriorGraph : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void buildsTheEmbeddingAndTheGraph() {
        const auto dataset = tinyDataset(40);
        double last = -1;
        bool ordered = true;
        auto built =
            buildPriorGraph(request(dataset, " PCA:004 ", 6), [&](double f, std::string_view) {
                ordered = ordered && f >= last && f <= 1.0;
                last = f;
                return true;
            });
        QVERIFY2(built.ok(), built.ok() ? "" : built.error().message.c_str());
        QVERIFY(ordered);
        QCOMPARE(built->embedding->rows, 40);
        QCOMPARE(built->embedding->dim, 4);
        QCOMPARE(built->graph->rows, 40);
        QCOMPARE(built->graph->k, 6);
        QCOMPARE(built->recipe.priorSpec, std::string("pca:4")); // canonical
        QCOMPARE(built->datasetFingerprint, gps::priors::datasetFingerprint(*dataset));
        QVERIFY(built->dataset == dataset);
        QVERIFY(!built->embedReport.hit);
    }

    // What a run checks before it trains with a graph it was given.
    void remembersWhatItWasBuiltFrom() {
        const auto dataset = tinyDataset(40);
        auto built = buildPriorGraph(request(dataset, "pixels", 8), nullptr);
        QVERIFY(built.ok());
        const std::string fingerprint = gps::priors::datasetFingerprint(*dataset);
        GraphRecipe same = request(dataset, " Pixels ", 8).recipe;
        QVERIFY(built->builtFrom(fingerprint, same));
        GraphRecipe otherK = same;
        otherK.knn.kMax = 16;
        QVERIFY(!built->builtFrom(fingerprint, otherK));
        GraphRecipe cosine = same;
        cosine.knn.metric = gps::neighbors::Metric::Cosine;
        QVERIFY(!built->builtFrom(fingerprint, cosine));
        GraphRecipe otherPrior = same;
        otherPrior.priorSpec = "pca:4";
        QVERIFY(!built->madeWith(otherPrior));
        GraphRecipe standardized = same;
        standardized.priorOptions.standardize = true;
        QVERIFY(!built->madeWith(standardized));
        // Other pixels of the same size, and fewer images, are other data.
        QVERIFY(!built->builtFrom(gps::priors::datasetFingerprint(*tinyDataset(40, 7)), same));
        QVERIFY(!built->builtFrom(gps::priors::datasetFingerprint(*tinyDataset(20)), same));
    }

    void cancelStopsIt() {
        auto built = buildPriorGraph(request(tinyDataset(40), "pixels", 8),
                                     [](double, std::string_view) { return false; });
        QVERIFY(!built.ok());
        QCOMPARE(built.error().code, gps::ErrorCode::Cancelled);
    }

    void errorsNameTheStep() {
        auto built = buildPriorGraph(request(tinyDataset(40), "npy:/no/such/file.npy", 8), nullptr);
        QVERIFY(!built.ok());
        QVERIFY2(built.error().message.rfind("embedding: ", 0) == 0, built.error().message.c_str());
    }

    void samplerFollowsTheNeighbourSection() {
        auto built = buildPriorGraph(request(tinyDataset(40), "pixels", 8), nullptr);
        QVERIFY(built.ok());
        gps::project::NeighborSection section;
        section.tauAuto = true;
        auto sampler = gps::session::makeSampler(built->graph, section);
        QVERIFY(sampler.ok());
        QCOMPARE(*(*sampler)->options().tau, float(gps::neighbors::suggestTau(*built->graph)));

        section.tauAuto = false;
        section.tau = 0.25f;
        section.rule = gps::neighbors::Rule::Farthest;
        sampler = gps::session::makeSampler(built->graph, section);
        QVERIFY(sampler.ok());
        QCOMPARE(*(*sampler)->options().tau, 0.25f);
        QCOMPARE((*sampler)->options().rule, gps::neighbors::Rule::Farthest);

        section.tau.reset();
        section.k = 30; // above the graph's k_max: served as k_max
        sampler = gps::session::makeSampler(built->graph, section);
        QVERIFY(sampler.ok());
        QVERIFY(!(*sampler)->options().tau);
        QCOMPARE((*sampler)->options().k, 8);
    }
};

QTEST_MAIN(TestPriorGraph)
#include "tst_prior_graph.moc"
