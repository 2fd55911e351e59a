// A whole run of a project through runSession, the engine behind `train` and the training panel:
// the run folder it leaves, the exported backbone read back as a `run:DIR` prior, every positive
// source, stopping and resuming, and inputs that are wrong.
#include "common/npy.h"
#include "priors/run_backbone.h"
#include "project/metrics_log.h"
#include "project/run_dir.h"
#include "project/run_list.h"
#include "project_fixtures.h"
#include "session/run_session.h"

#include <torch/serialize.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

namespace fs = std::filesystem;
using gps::session::RunSummary;
using gps::session::SessionOptions;
using nlohmann::json;

namespace {

/// Stops the run after `stopAfter` steps (0 = never) and counts what it saw.
class StopAfter final : public gps::train::TrainObserver {
public:
    explicit StopAfter(int stopAfter = 0) : m_stopAfter(stopAfter) {}
    bool onStep(const gps::train::StepMetrics&) override { return ++steps != m_stopAfter; }
    bool onEval(const gps::train::EvalMetrics& m) override {
        (m.ofPrior ? priorEvals : evals) += 1;
        return true;
    }
    void onMessage(const std::string& message) override { messages += message + "\n"; }
    int steps = 0, evals = 0, priorEvals = 0;
    std::string messages;

private:
    int m_stopAfter;
};

std::vector<float> npyFloats(const fs::path& file, std::vector<std::int64_t>& shape) {
    auto array = gps::readNpy(file);
    if (!array)
        qFatal("%s", array.error().message.c_str());
    shape = array->shape;
    const auto* values = reinterpret_cast<const float*>(array->bytes.data());
    return {values, values + array->bytes.size() / sizeof(float)};
}

} // namespace

class TestRunSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    fs::path m_dataset;

    fs::path root() const { return m_dir.path().toStdString(); }

    gps::Result<RunSummary> run(const json& document, const std::string& name,
                                gps::train::TrainObserver& observer, bool resume = false,
                                SessionOptions options = {}) {
        auto project = gps::project::parseProject(document);
        if (!project)
            return project.error();
        options.runDir = root() / "runs" / name;
        options.cacheFolder = root() / "cache";
        options.resume = resume;
        return gps::session::runSession(*project, options, observer, {});
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_dataset = root() / "tiny";
        gps::test::writeTinyIdxDataset(m_dataset);
    }

    void runLeavesACompleteFolder_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("prior");
        QTest::newRow("augment") << "augment"
                                 << "pixels";
        QTest::newRow("gps") << "gps"
                             << "pixels";
        QTest::newRow("semantic") << "semantic"
                                  << "pca:8";
        QTest::newRow("synthetic") << "synthetic"
                                   << "vae:4";
    }
    void runLeavesACompleteFolder() {
        QFETCH(QString, source);
        QFETCH(QString, prior);
        json document = gps::test::tinyProjectDocument(m_dataset, 2);
        document["positives"]["source"] = source.toStdString();
        document["prior"] = {{"spec", prior.toStdString()}, {"epochs", 1}};
        StopAfter observer;
        auto summary = run(document, "complete-" + source.toStdString(), observer);
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().message.c_str());
        QCOMPARE(summary->epochs, 2);
        QVERIFY(!summary->stopped);
        QVERIFY(std::isfinite(summary->finalLoss));
        QVERIFY(summary->linearProbeAcc && summary->knnAcc && summary->onlineProbeAcc);
        QVERIFY(summary->priorLinearProbeAcc && summary->priorKnnAcc);
        QVERIFY(summary->device.rfind("cpu", 0) == 0);
        QCOMPARE(observer.steps, 8); // 64 images / 16 per batch × 2 epochs, logged every step
        QCOMPARE(observer.evals, 1);
        QCOMPARE(observer.priorEvals, 1); // the window draws the prior's accuracies as lines

        const gps::project::RunDir dir{summary->runDir};
        for (const fs::path& file :
             {dir.projectFile(), dir.metricsFile(), dir.checkpointFile(), dir.backboneFile(),
              dir.backboneSettingsFile(), dir.summaryFile(), dir.trainEmbeddingsFile(),
              dir.testEmbeddingsFile(), dir.logFile()})
            QVERIFY2(fs::is_regular_file(file), file.c_str());
        auto metrics = gps::project::readMetrics(dir.metricsFile());
        QVERIFY(metrics.ok());
        int stepLines = 0;
        bool sawEval = false, sawPrior = false;
        for (const json& line : metrics->lines) {
            QVERIFY(line.contains("epoch") && line.contains("step"));
            stepLines += line.contains("loss") && line.contains("lr");
            sawEval = sawEval || (line.contains("linear_probe_acc") && line.contains("knn_acc"));
            sawPrior = sawPrior || line.contains("prior_linear_probe_acc");
        }
        QCOMPARE(stepLines, 8);
        QVERIFY(sawEval && sawPrior);
        std::vector<std::int64_t> shape;
        npyFloats(dir.trainEmbeddingsFile(), shape);
        QCOMPARE(shape, (std::vector<std::int64_t>{64, 32})); // small_cnn width 8: 32 features
        npyFloats(dir.testEmbeddingsFile(), shape);
        QCOMPARE(shape, (std::vector<std::int64_t>{32, 32}));
    }

    // The TorchScript file, fed as backbone.json says, gives the features training computed:
    // so `run:DIR` priors and `eval` see the model the run trained.
    void exportedBackboneEmbedsLikeTheRun() {
        StopAfter observer;
        auto summary = run(gps::test::tinyProjectDocument(m_dataset, 1), "export", observer);
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().message.c_str());
        auto prior = gps::priors::makeRunBackbonePrior(summary->runDir, {}, "run:x");
        QVERIFY2(prior.ok(), prior.ok() ? "" : prior.error().message.c_str());
        auto project = gps::project::parseProject(gps::test::tinyProjectDocument(m_dataset, 1));
        auto splits = gps::session::openProjectSplits(project->dataset);
        QVERIFY(splits.ok());
        auto embedded = (*prior)->embed(*splits->train, {});
        QVERIFY(embedded.ok());
        std::vector<std::int64_t> shape;
        const auto recorded =
            npyFloats(gps::project::RunDir{summary->runDir}.trainEmbeddingsFile(), shape);
        QCOMPARE(embedded->values.size(), recorded.size());
        float worst = 0;
        for (std::size_t i = 0; i < recorded.size(); ++i)
            worst = std::max(worst, std::abs(embedded->values[i] - recorded[i]));
        QVERIFY2(worst < 1e-4f, qPrintable(QString::number(worst)));
    }

    // A graph built before the run (the studio's Neighbours tab) is trained with as it is when
    // it fits the run, and rebuilt, with the reason in the log, when it does not; either way the
    // run hands the graph it trains with to onGraph.
    void aGivenGraphIsUsedWhenItFits() {
        json document = gps::test::tinyProjectDocument(m_dataset, 1);
        document["positives"]["source"] = "gps";
        document["neighbors"] = {{"k_max", 12}, {"tau", "auto"}, {"metric", "cosine"}};
        auto project = gps::project::parseProject(document);
        QVERIFY(project.ok());
        auto splits = gps::session::openProjectSplits(project->dataset);
        QVERIFY(splits.ok());
        gps::session::PriorGraphRequest request;
        request.dataset = splits->train;
        request.recipe = gps::session::graphRecipe(*project);
        request.cache.folder = root() / "cache";
        auto built = gps::session::buildPriorGraph(request, nullptr);
        QVERIFY(built.ok());
        const auto given = std::make_shared<const gps::session::PriorGraph>(std::move(*built));

        SessionOptions options;
        options.graph = given;
        gps::session::PriorGraphPtr handed;
        options.onGraph = [&handed](const gps::session::PriorGraphPtr& graph) { handed = graph; };
        StopAfter fits;
        auto summary = run(document, "given-fits", fits, false, options);
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().message.c_str());
        QVERIFY(handed == given);
        QVERIFY2(fits.messages.find("not built again") != std::string::npos, fits.messages.c_str());

        document["neighbors"]["k_max"] = 10;
        StopAfter rebuilt;
        summary = run(document, "given-rebuilt", rebuilt, false, options);
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().message.c_str());
        QVERIFY(handed && handed != given);
        QCOMPARE(handed->graph->k, 10);
        QVERIFY2(rebuilt.messages.find("does not fit: it was built with k_max 12 (cosine), "
                                       "this run asks for k_max 10 (cosine)") != std::string::npos,
                 rebuilt.messages.c_str());
    }

    void stoppedRunResumesToTheSameModel() {
        StopAfter straight;
        auto full = run(gps::test::tinyProjectDocument(m_dataset, 2), "straight", straight);
        QVERIFY(full.ok());
        StopAfter early(3);
        auto stopped = run(gps::test::tinyProjectDocument(m_dataset, 2), "resumed", early);
        QVERIFY(stopped.ok());
        QVERIFY(stopped->stopped);
        StopAfter rest;
        auto resumed = run(gps::test::tinyProjectDocument(m_dataset, 2), "resumed", rest, true);
        QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().message.c_str());
        QVERIFY(!resumed->stopped);
        QCOMPARE(resumed->epochs, 2);
        QCOMPARE(rest.steps, 5); // steps 4..8
        std::vector<std::int64_t> shape;
        const auto a = npyFloats(gps::project::RunDir{full->runDir}.trainEmbeddingsFile(), shape);
        const auto b =
            npyFloats(gps::project::RunDir{resumed->runDir}.trainEmbeddingsFile(), shape);
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(std::abs(a[i] - b[i]) < 1e-5f, qPrintable(QString::number(i)));
    }

    // A run sizes NNCLR's and MoCo's automatic queues from its dataset: 64 images and batch 16
    // give at most 48 rows, so the queue never holds an older key of an image in the batch.
    void queueSizeFollowsTheRunsDataset_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("queue");
        QTest::newRow("nnclr") << "nnclr"
                               << "queue";
        QTest::newRow("mocov2") << "mocov2"
                                << "queue1";
    }
    void queueSizeFollowsTheRunsDataset() {
        QFETCH(QString, method);
        QFETCH(QString, queue);
        json document = gps::test::tinyProjectDocument(m_dataset, 1);
        document["method"] = {{"name", method.toStdString()}};
        StopAfter observer;
        auto summary = run(document, "queue-" + method.toStdString(), observer);
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().message.c_str());
        torch::serialize::InputArchive archive;
        archive.load_from(gps::project::RunDir{summary->runDir}.checkpointFile().string());
        c10::IValue model;
        archive.read("model", model);
        const auto tensors = c10::impl::toTypedDict<std::string, at::Tensor>(model.toGenericDict());
        QVERIFY(tensors.contains(queue.toStdString()));
        QCOMPARE(tensors.at(queue.toStdString()).size(0), std::int64_t(64 - 16));
    }

    void badInputsAreNamed_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing dataset") << "dataset"
                                         << R"({"path": "/no/such/folder"})"
                                         << "/no/such/folder";
        QTest::newRow("batch too large") << "train"
                                         << R"({"batch_size": 512, "device": "cpu"})"
                                         << "batch";
        QTest::newRow("backbone too wide") << "backbone"
                                           << R"({"name": "small_cnn", "width": 100000})"
                                           << "backbone";
    }
    void badInputsAreNamed() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, message);
        json document = gps::test::tinyProjectDocument(m_dataset, 1);
        document[key.toStdString()] = json::parse(value.toStdString());
        StopAfter observer;
        auto summary = run(document, "bad", observer);
        QVERIFY(!summary.ok());
        QVERIFY2(QString::fromStdString(summary.error().message).contains(message),
                 summary.error().message.c_str());
    }

    void summaryRecordsStateAndBestScores() {
        StopAfter observer;
        json document = gps::test::tinyProjectDocument(m_dataset, 2);
        document["eval"] = {{"every", 1}, {"probe_epochs", 5}};
        auto summary = run(document, "best", observer);
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().message.c_str());
        QCOMPARE(observer.evals, 2);
        auto recorded = gps::project::readSummary(summary->runDir);
        QVERIFY(recorded.ok());
        QCOMPARE((*recorded)["state"], json("finished"));
        QVERIFY(!recorded->contains("error"));
        // The best is the highest of the evaluation points, at least the last one.
        QVERIFY(summary->bestLinearProbeAcc && summary->bestKnnAcc);
        QVERIFY(*summary->bestLinearProbeAcc >= *summary->linearProbeAcc);
        QVERIFY(*summary->bestKnnAcc >= *summary->knnAcc);
        QCOMPARE((*recorded)["best_knn_acc"].get<double>(), *summary->bestKnnAcc);
        QCOMPARE((*recorded)["best_linear_probe_acc"].get<double>(), *summary->bestLinearProbeAcc);
        const auto info = gps::project::readRunInfo(summary->runDir);
        QVERIFY(info.state == gps::project::RunState::Finished);
        QCOMPARE(info.bestKnn, summary->bestKnnAcc);
    }

    void aRunThatFailsSaysSoInItsFolder() {
        // A prior of 3 rows for 64 images fails after the run took its folder.
        const fs::path prior = root() / "three-rows.npy";
        const std::vector<float> rows(3 * 4, 0.5f);
        QVERIFY(gps::writeNpy(prior, "<f4", {3, 4}, rows.data()).ok());
        json document = gps::test::tinyProjectDocument(m_dataset, 1);
        document["positives"]["source"] = "gps";
        document["prior"] = {{"spec", "npy:" + prior.string()}};
        StopAfter observer;
        auto summary = run(document, "fails", observer);
        QVERIFY(!summary.ok());
        const fs::path folder = root() / "runs" / "fails";
        auto recorded = gps::project::readSummary(folder);
        QVERIFY2(recorded.ok(), "a failed run writes summary.json");
        QCOMPARE((*recorded)["state"], json("failed"));
        QCOMPARE((*recorded)["error"].get<std::string>(), summary.error().message);
        const auto info = gps::project::readRunInfo(folder);
        QVERIFY(info.state == gps::project::RunState::Failed);
        QCOMPARE(info.error, summary.error().message);
    }

    void aFolderHoldingARunIsNotOverwritten() {
        StopAfter observer;
        QVERIFY(run(gps::test::tinyProjectDocument(m_dataset, 1), "twice", observer).ok());
        auto again = run(gps::test::tinyProjectDocument(m_dataset, 1), "twice", observer);
        QVERIFY(!again.ok());
        QVERIFY2(QString::fromStdString(again.error().message)
                     .contains(QStringLiteral("already holds a run")),
                 again.error().message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestRunSession)
#include "tst_run_session.moc"
