// Every registered SSL method, data-driven over the registry: on a tiny small_cnn (width 8) with
// small heads, 20 optimiser steps on a fixed batch lower the loss; features are detached and
// B×F; momentum encoders get no gradient but follow the online network by EMA; project() has
// the head's width. Then the pieces the methods share: auto head sizes, queues, the EMA schedule.
#include "common/check.h"
#include "models/backbone.h"
#include "ssl/byol.h"
#include "ssl/method_util.h"
#include "ssl/mocov2.h"
#include "ssl/nnclr.h"
#include "ssl/registry.h"
#include "train/train_step.h"

#include <QtTest>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <set>

using nlohmann::json;

namespace {

constexpr int kBatch = 8;
constexpr int kSide = 12;

gps::models::Backbone tinyBackbone(const std::string& name = "small_cnn", int width = 8) {
    gps::models::BackboneConfig config;
    config.name = name;
    config.inChannels = 1;
    config.imageSize = kSide;
    config.width = width;
    auto made = gps::models::makeBackbone(config);
    GPS_CHECK(made.ok(), made.error().message);
    return made.value();
}

constexpr int kPoolBatches = 4;
/// MoCo's queue holds the keys of the previous 3 batches of the 4-batch cycle, never keys of the
/// images in the current batch (a copy of the positive among the negatives would keep the loss
/// up). NNCLR's queue is larger than the pool: a view's neighbour is its own earlier projection.
constexpr int kMocoQueue = (kPoolBatches - 1) * kBatch;

/// Small head sizes for whichever keys the method's schema has.
gps::ssl::HParams smallHParams(const gps::ssl::MethodInfo& info) {
    json given = json::object();
    for (const auto& spec : info.hparams) {
        if (spec.name == "proj_hidden_dim" || spec.name == "pred_hidden_dim")
            given[spec.name] = 32;
        else if (spec.name == "proj_output_dim")
            given[spec.name] = 16;
        else if (spec.name == "queue_size")
            given[spec.name] = info.name == "mocov2" ? kMocoQueue : 64;
    }
    auto values = gps::ssl::resolveHParams(info.hparams, given, "method.");
    GPS_CHECK(values.ok(), values.error().message);
    return values.value();
}

gps::ssl::Method makeMethod(const std::string& name, gps::models::Backbone backbone) {
    const auto* info = gps::ssl::findMethod(name);
    GPS_CHECK(info, "no method " + name);
    gps::ssl::MethodContext context;
    context.batchSize = kBatch;
    context.totalSteps = 20;
    return info->make(std::move(backbone), smallHParams(*info), context);
}

/// Fixed data: kPoolBatches batches of random images and, as their positives, the same images
/// shifted by one pixel with a little noise. Step s trains on batch s mod kPoolBatches.
std::vector<std::pair<torch::Tensor, torch::Tensor>> fixedPool() {
    torch::manual_seed(42);
    std::vector<std::pair<torch::Tensor, torch::Tensor>> pool;
    for (int b = 0; b < kPoolBatches; ++b) {
        const auto anchors = torch::randn({kBatch, 1, kSide, kSide});
        const auto positives = torch::roll(anchors, {1}, {3}) + 0.1 * torch::randn_like(anchors);
        pool.emplace_back(anchors, positives);
    }
    return pool;
}

std::pair<torch::Tensor, torch::Tensor> fixedPairs() {
    return fixedPool().front();
}

std::vector<torch::Tensor> trainableParameters(gps::ssl::MethodImpl& method) {
    std::vector<torch::Tensor> out;
    for (const auto& item : method.named_parameters())
        if (!method.isMomentumParameter(item.key()))
            out.push_back(item.value());
    return out;
}

bool hasMomentumEncoder(const std::string& name) {
    return name == "byol" || name == "mocov2";
}

} // namespace

class TestSslMethods : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void registryListsTheDesignsMethods() {
        std::set<std::string> names;
        for (const auto& info : gps::ssl::methodRegistry()) {
            QVERIFY(names.insert(info.name).second);
            QVERIFY(!info.title.empty() && !info.description.empty());
            QVERIFY(info.make);
            QCOMPARE(gps::ssl::findMethod(info.name), &info);
        }
        QVERIFY(names == (std::set<std::string>{"simclr", "byol", "nnclr", "vicreg", "barlow",
                                                "mocov2", "simsiam"}));
        QVERIFY(gps::ssl::findMethod("simclrr") == nullptr);
        QCOMPARE(QString::fromStdString(gps::ssl::methodNamesList()),
                 QStringLiteral("simclr, byol, nnclr, vicreg, barlow, mocov2, simsiam"));
    }

    void lossFallsOnAFixedBatch_data() {
        QTest::addColumn<QString>("method");
        for (const auto& info : gps::ssl::methodRegistry())
            QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
    }
    void lossFallsOnAFixedBatch() {
        QFETCH(QString, method);
        const std::string name = method.toStdString();
        torch::manual_seed(0);
        auto backbone = tinyBackbone();
        const auto model = makeMethod(name, backbone);
        model->train();
        QVERIFY(model->backbone() == backbone);
        const auto pool = fixedPool();

        // Momentum parameters: present exactly for the methods that have a momentum encoder,
        // frozen, and recorded to check that EMA moves them.
        std::vector<torch::Tensor> momentum, momentumBefore;
        for (const auto& item : model->named_parameters())
            if (model->isMomentumParameter(item.key())) {
                QVERIFY2(!item.value().requires_grad(), item.key().c_str());
                momentum.push_back(item.value());
                momentumBefore.push_back(item.value().detach().clone());
            }
        QCOMPARE(!momentum.empty(), hasMomentumEncoder(name));

        torch::optim::Adam optimizer(trainableParameters(*model), torch::optim::AdamOptions(1e-3));
        constexpr int kSteps = 20;
        std::vector<double> losses;
        for (int step = 0; step < kSteps; ++step) {
            const auto& [first, second] = pool[step % kPoolBatches];
            optimizer.zero_grad();
            const auto out = model->pairLoss(first, second);
            QCOMPARE(out.loss.dim(), 0);
            QVERIFY(std::isfinite(out.loss.item<double>()));
            if (step == 0) {
                QVERIFY(!out.features.requires_grad());
                QCOMPARE(out.features.sizes().vec(),
                         (std::vector<int64_t>{kBatch, backbone->featureDim()}));
            }
            out.loss.backward();
            for (const auto& p : momentum)
                QVERIFY(!p.grad().defined());
            optimizer.step();
            model->afterOptimizerStep(double(step + 1) / kSteps);
            losses.push_back(out.loss.item<double>());
        }
        // One pass over the pool once the queues hold real keys (steps 4–7) against the last
        // pass (steps 16–19), same batches in the same order: the loss must fall by a clear
        // margin, not by noise.
        const auto passMean = [&](int from) {
            double sum = 0;
            for (int s = from; s < from + kPoolBatches; ++s)
                sum += losses[s];
            return sum / kPoolBatches;
        };
        const double early = passMean(kPoolBatches);
        const double late = passMean(kSteps - kPoolBatches);
        const double margin = 0.05 * std::max(1.0, std::abs(early));
        QVERIFY2(
            late < early - margin,
            qPrintable(QStringLiteral("%1: early %2, late %3").arg(method).arg(early).arg(late)));

        for (std::size_t i = 0; i < momentum.size(); ++i)
            QVERIFY(!torch::equal(momentum[i], momentumBefore[i]));

        const auto projected = model->project(pool.front().first);
        QCOMPARE(projected.dim(), 2);
        QCOMPARE(projected.size(0), kBatch);
        QCOMPARE(projected.size(1), 16);
        QVERIFY(projected.requires_grad());
    }

    void headsFollowTheBackbonesSize_data() {
        QTest::addColumn<QString>("backbone");
        QTest::addColumn<int>("simclrDim");
        QTest::addColumn<int>("vicregDim");
        QTest::newRow("small_cnn") << QStringLiteral("small_cnn") << 128 << 1024;
        QTest::newRow("resnet18_cifar") << QStringLiteral("resnet18_cifar") << 256 << 2048;
    }
    void headsFollowTheBackbonesSize() {
        QFETCH(QString, backbone);
        QFETCH(int, simclrDim);
        QFETCH(int, vicregDim);
        const gps::ssl::MethodContext context;
        const auto project = [&](const char* name) {
            const auto* info = gps::ssl::findMethod(name);
            // No hyper-parameters given at all: the registry fills the defaults (0 = auto).
            const auto model = info->make(tinyBackbone(backbone.toStdString()), {}, context);
            model->eval();
            torch::NoGradGuard noGrad;
            return model->project(torch::randn({2, 1, kSide, kSide})).size(1);
        };
        QCOMPARE(project("simclr"), int64_t(simclrDim));
        QCOMPARE(project("vicreg"), int64_t(vicregDim));
    }

    void nnclrQueueFillsAfterEachStepAndWraps() {
        torch::manual_seed(1);
        const auto model = makeMethod("nnclr", tinyBackbone());
        auto& nnclr = dynamic_cast<gps::ssl::NnclrImpl&>(*model);
        const auto [first, second] = fixedPairs();
        QCOMPARE(nnclr.supportSet().size(0), 0);
        // Without a support set the loss still works (own projection as neighbour).
        QVERIFY(std::isfinite(model->pairLoss(first, second).loss.item<double>()));
        QCOMPARE(nnclr.supportSet().size(0), 0); // nothing enqueued before the step
        model->afterOptimizerStep(0.1);
        QCOMPARE(nnclr.supportSet().size(0), kBatch);
        const auto rows = nnclr.supportSet();
        QVERIFY(torch::allclose(rows.norm(2, 1), torch::ones({kBatch}), 1e-4, 1e-5));
        for (int step = 0; step < 10; ++step) {
            (void)model->pairLoss(first, second);
            model->afterOptimizerStep(0.2);
        }
        QCOMPARE(nnclr.supportSet().size(0), 64); // capped at queue_size
        // Evaluation calls do not touch the queue.
        model->eval();
        const auto before = nnclr.supportSet().clone();
        (void)model->pairLoss(first, second);
        model->afterOptimizerStep(0.3);
        QVERIFY(torch::equal(before, nnclr.supportSet()));
    }

    void mocoEnqueuesEachViewsKeysInItsQueue() {
        torch::manual_seed(2);
        const auto model = makeMethod("mocov2", tinyBackbone());
        auto& moco = dynamic_cast<gps::ssl::MocoV2Impl&>(*model);
        for (int view = 0; view < 2; ++view)
            QCOMPARE(moco.negatives(view).size(0), kMocoQueue); // starts full of random rows
        const auto before0 = moco.negatives(0).clone();
        const auto before1 = moco.negatives(1).clone();
        QVERIFY(!torch::equal(before0, before1));
        const auto [first, second] = fixedPairs();
        (void)model->pairLoss(first, second);
        QVERIFY(torch::equal(moco.negatives(0), before0)); // nothing before the step
        model->afterOptimizerStep(0.5);
        // B rows replaced at the front of each ring, the rest untouched.
        for (const auto& [view, before] : {std::pair{0, before0}, std::pair{1, before1}}) {
            const auto after = moco.negatives(view);
            QVERIFY(!torch::equal(after.narrow(0, 0, kBatch), before.narrow(0, 0, kBatch)));
            QVERIFY(torch::equal(after.narrow(0, kBatch, kMocoQueue - kBatch),
                                 before.narrow(0, kBatch, kMocoQueue - kBatch)));
            QVERIFY(torch::allclose(after.norm(2, 1), torch::ones({kMocoQueue}), 1e-4, 1e-5));
        }
        // The queues are buffers: saved with the module and moved with it.
        std::set<std::string> buffers;
        for (const auto& item : model->named_buffers(false))
            buffers.insert(item.key());
        QVERIFY(buffers.count("queue1") && buffers.count("queue2") && buffers.count("queue1_ptr"));
    }

    // A semantic step makes two pairs, (DA(x), DA(x)) and (DA(x), DA(x')); only the main pair's
    // keys may enter the queue, or it would hold this batch's anchors twice.
    // solo-learn's CIFAR recipe for MoCo-v2: projector output 256, 32,768 keys per queue, EMA
    // momentum 0.99 → 0.999; and SimCLR's projector ends in an affine BatchNorm1d.
    void headsFollowTheRecipes() {
        const gps::ssl::MethodContext context;
        const auto* mocoInfo = gps::ssl::findMethod("mocov2");
        const auto moco = mocoInfo->make(tinyBackbone("resnet18_cifar"), {}, context);
        const auto& impl = dynamic_cast<gps::ssl::MocoV2Impl&>(*moco);
        QCOMPARE(impl.negatives(0).sizes().vec(), (std::vector<std::int64_t>{32768, 256}));
        const auto finalMomentum =
            std::find_if(mocoInfo->hparams.begin(), mocoInfo->hparams.end(),
                         [](const auto& spec) { return spec.name == "momentum_final"; });
        QVERIFY(finalMomentum != mocoInfo->hparams.end());
        QCOMPARE(finalMomentum->defaultValue, 0.999);

        const auto simclr = gps::ssl::findMethod("simclr")->make(tinyBackbone(), {}, context);
        std::vector<std::string> norms;
        for (const auto& item : simclr->named_modules())
            if (item.value()->as<torch::nn::BatchNorm1d>())
                norms.push_back(item.key());
        QVERIFY(!norms.empty());
        const auto last = simclr->named_modules()[norms.back()]->as<torch::nn::BatchNorm1d>();
        QCOMPARE(last->options.num_features(), std::int64_t(128)); // small backbone: 128 out
        QVERIFY(last->options.affine());
        // It is the projector's last layer: the output is batch-normalised per feature.
        simclr->train();
        const auto z = simclr->project(torch::randn({16, 1, kSide, kSide}));
        QVERIFY(torch::allclose(z.mean(0), torch::zeros({z.size(1)}), 1e-4, 1e-4));
    }

    void semanticStepEnqueuesTheMainPairOnly_data() {
        QTest::addColumn<QString>("method");
        QTest::newRow("nnclr") << QStringLiteral("nnclr");
        QTest::newRow("mocov2") << QStringLiteral("mocov2");
    }
    void semanticStepEnqueuesTheMainPairOnly() {
        QFETCH(QString, method);
        torch::manual_seed(4);
        const auto model = makeMethod(method.toStdString(), tinyBackbone());
        const auto pool = fixedPool();
        gps::train::Batch batch;
        batch.first = pool[0].first;
        batch.second = pool[0].second;
        batch.extra = pool[1].second;
        gps::train::PositiveConfig semantic;
        semantic.source = gps::train::PositiveSource::Semantic;
        semantic.semanticWeight = 1.0;
        const auto queues = [&] {
            std::vector<torch::Tensor> rows;
            if (auto* nnclr = dynamic_cast<gps::ssl::NnclrImpl*>(model.get()))
                rows.push_back(nnclr->supportSet().clone());
            if (auto* moco = dynamic_cast<gps::ssl::MocoV2Impl*>(model.get()))
                rows = {moco->negatives(0).clone(), moco->negatives(1).clone()};
            return rows;
        };
        const auto before = queues();
        const auto step = gps::train::detail::forwardStep(*model, batch, semantic,
                                                          torch::Device(torch::kCPU), false);
        QVERIFY(step.parts.count("semantic"));
        model->afterOptimizerStep(0.1);
        const auto after = queues();
        for (std::size_t q = 0; q < after.size(); ++q) {
            if (method == QStringLiteral("nnclr")) {
                QCOMPARE(after[q].size(0), kBatch); // was empty: one batch of rows, not two
                continue;
            }
            const auto changed = (after[q] != before[q]).any(1).sum().item<std::int64_t>();
            QCOMPARE(changed, std::int64_t(kBatch));
        }
    }

    void autoQueueSizeStaysBelowTheDataset_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<qint64>("datasetSize");
        QTest::addColumn<int>("given");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("nnclr unknown size")
            << QStringLiteral("nnclr") << qint64(0) << 0 << qint64(4096);
        QTest::newRow("nnclr large dataset")
            << QStringLiteral("nnclr") << qint64(60000) << 0 << qint64(4096);
        QTest::newRow("nnclr 3000 images")
            << QStringLiteral("nnclr") << qint64(3000) << 0 << qint64(3000 - 256);
        QTest::newRow("mocov2 3000 images")
            << QStringLiteral("mocov2") << qint64(3000) << 0 << qint64(3000 - 256);
        QTest::newRow("explicit size kept")
            << QStringLiteral("mocov2") << qint64(3000) << 5000 << qint64(5000);
    }
    void autoQueueSizeStaysBelowTheDataset() {
        QFETCH(QString, method);
        QFETCH(qint64, datasetSize);
        QFETCH(int, given);
        QFETCH(qint64, expected);
        const auto* info = gps::ssl::findMethod(method.toStdString());
        gps::ssl::MethodContext context;
        context.batchSize = 256;
        context.datasetSize = datasetSize;
        const auto model = info->make(tinyBackbone(), {{"queue_size", double(given)}}, context);
        const auto queue = method == QStringLiteral("nnclr")
                               ? model->named_buffers(false)["queue"]
                               : model->named_buffers(false)["queue1"];
        QCOMPARE(queue.size(0), expected);
    }

    void byolMomentumFollowsTheCosineSchedule() {
        QCOMPARE(gps::ssl::detail::cosineMomentum(0.99, 1.0, 0.0), 0.99);
        QCOMPARE(gps::ssl::detail::cosineMomentum(0.99, 1.0, 1.0), 1.0);
        QVERIFY(std::abs(gps::ssl::detail::cosineMomentum(0.99, 1.0, 0.5) - 0.995) < 1e-12);
        QVERIFY(gps::ssl::detail::cosineMomentum(0.99, 1.0, 0.25) < 0.995);

        torch::manual_seed(3);
        const auto model = makeMethod("byol", tinyBackbone());
        auto& byol = dynamic_cast<gps::ssl::ByolImpl&>(*model);
        // τ = 1 at the end of training: the momentum encoder no longer moves.
        for (auto& p : byol.backbone()->parameters()) {
            torch::NoGradGuard noGrad;
            p.add_(1.0);
        }
        std::vector<torch::Tensor> before;
        for (const auto& item : model->named_parameters())
            if (model->isMomentumParameter(item.key()))
                before.push_back(item.value().clone());
        model->afterOptimizerStep(1.0);
        QCOMPARE(byol.currentMomentum(), 1.0);
        std::size_t i = 0;
        for (const auto& item : model->named_parameters())
            if (model->isMomentumParameter(item.key()))
                QVERIFY(torch::equal(item.value(), before[i++]));
        // τ = 0.99 at the start: each momentum weight moves 1% of the way to the online one.
        model->afterOptimizerStep(0.0);
        const auto online = byol.backbone()->parameters();
        std::vector<torch::Tensor> target;
        for (const auto& item : model->named_parameters())
            if (item.key().rfind("momentum_backbone.", 0) == 0)
                target.push_back(item.value());
        QCOMPARE(target.size(), online.size());
        for (std::size_t k = 0; k < online.size(); ++k) {
            const auto expected = 0.99 * before[k] + 0.01 * online[k].detach();
            QVERIFY(torch::allclose(target[k], expected, 1e-5, 1e-6));
        }
    }

    void fifoQueueKeepsTheNewestRows() {
        torch::nn::Module owner;
        gps::ssl::detail::FifoQueue queue(owner, "q", torch::zeros({4, 1}), 0);
        QCOMPARE(queue.capacity(), 4);
        queue.push(torch::tensor({1.f, 2.f, 3.f}).view({3, 1}));
        QVERIFY(torch::equal(queue.rows(), torch::tensor({1.f, 2.f, 3.f}).view({3, 1})));
        queue.push(torch::tensor({4.f, 5.f}).view({2, 1}));
        // Ring order: 5 overwrote 1.
        QVERIFY(torch::equal(queue.rows(), torch::tensor({5.f, 2.f, 3.f, 4.f}).view({4, 1})));
        queue.push(torch::tensor({6.f, 7.f, 8.f, 9.f, 10.f, 11.f}).view({6, 1}));
        // More rows than capacity: the last four stay.
        const auto kept = std::get<0>(queue.rows().flatten().sort());
        QVERIFY(torch::equal(kept, torch::tensor({8.f, 9.f, 10.f, 11.f})));
    }
};

QTEST_APPLESS_MAIN(TestSslMethods)
#include "tst_ssl_methods.moc"
