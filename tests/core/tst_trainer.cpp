// The method-agnostic training loop with a tiny fake method: exact resume, cancel, observers
// that stop, the NaN guard, damaged checkpoints, metrics, and the online probe.

#include "augment/presets.h"
#include "data/class_names.h"
#include "data/in_memory_dataset.h"
#include "eval/online_probe.h"
#include "ssl/method.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

#include <QtTest>

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <limits>

using namespace gps::train;
namespace fs = std::filesystem;

namespace {

constexpr int kSide = 8;

/// 64 px → 8 features, with a BatchNorm so the checkpoint has buffers.
class TinyBackboneImpl : public gps::models::BackboneImpl {
public:
    TinyBackboneImpl() : BackboneImpl({"tiny", 1, kSide, 0}) {
        m_fc = register_module("fc", torch::nn::Linear(kSide * kSide, 8));
        m_bn = register_module("bn", torch::nn::BatchNorm1d(8));
    }
    torch::Tensor forward(const torch::Tensor& images) override {
        return torch::relu(m_bn(m_fc(images.flatten(1))));
    }
    int featureDim() const override { return 8; }
    std::string emitTorchScript(gps::models::ScriptEmitter&,
                                const std::string& input) const override {
        return input; // never exported here
    }

private:
    torch::nn::Linear m_fc{nullptr};
    torch::nn::BatchNorm1d m_bn{nullptr};
};

/// MSE between normalised projections; the loss of pairLoss call `nanAtCall` (1-based) is NaN.
class FakeMethodImpl : public gps::ssl::MethodImpl {
public:
    explicit FakeMethodImpl(int nanAtCall = -1) : m_nanAtCall(nanAtCall) {
        m_backbone = register_module("backbone", std::make_shared<TinyBackboneImpl>());
        m_head = register_module("head", torch::nn::Linear(8, 4));
    }
    gps::ssl::PairLossOutput pairLoss(const torch::Tensor& first,
                                      const torch::Tensor& second) override {
        const torch::Tensor f1 = m_backbone->forward(first);
        const torch::Tensor z1 = torch::nn::functional::normalize(m_head(f1));
        const torch::Tensor z2 = torch::nn::functional::normalize(project(second));
        torch::Tensor loss = (z1 - z2).pow(2).sum(1).mean();
        if (++m_calls == m_nanAtCall)
            loss = loss * std::numeric_limits<double>::quiet_NaN();
        return {loss, f1.detach(), {{"mse", loss.item<double>()}}};
    }
    torch::Tensor project(const torch::Tensor& views) override {
        return m_head(m_backbone->forward(views));
    }
    gps::models::Backbone backbone() const override { return m_backbone; }

private:
    std::shared_ptr<TinyBackboneImpl> m_backbone;
    torch::nn::Linear m_head{nullptr};
    int m_nanAtCall;
    int m_calls = 0;
};

std::shared_ptr<FakeMethodImpl> makeMethod(std::uint64_t initSeed, int nanAtCall = -1) {
    torch::manual_seed(initSeed);
    return std::make_shared<FakeMethodImpl>(nanAtCall);
}

/// Two classes a linear probe separates: dark images (class 0) and bright ones (class 1).
gps::data::DatasetPtr twoClassImages(int count) {
    gps::data::InMemoryParts parts;
    parts.images = gps::data::ImageBlock(std::size_t(count), {kSide, kSide, 1});
    gps::Rng rng(5);
    for (int i = 0; i < count; ++i) {
        std::uint8_t* p = parts.images.imageData(std::size_t(i));
        for (int k = 0; k < kSide * kSide; ++k)
            p[k] = std::uint8_t((i % 2 ? 160 : 30) + int(rng.below(60)));
        parts.labels.push_back(i % 2);
    }
    parts.classNames = gps::data::numberedClassNames(2);
    parts.split = "train";
    parts.format = "memory";
    return std::make_shared<const gps::data::InMemoryDataset>(std::move(parts));
}

TrainerInputs inputsFor(gps::ssl::Method method) {
    TrainerInputs in;
    in.train = twoClassImages(32);
    in.augment = *gps::augment::presetSpec("crop_flip", {kSide, kSide, 1});
    in.method = std::move(method);
    in.classes = 2;
    return in;
}

TrainConfig smallConfig(int epochs) {
    TrainConfig c;
    c.epochs = epochs;
    c.batchSize = 8; // 32 images → 4 steps per epoch
    c.seed = 11;
    c.device = "cpu";
    c.logEvery = 1;
    c.schedule.warmupEpochs = 1;
    c.optimizer.lr = 1.0;
    return c;
}

/// Counts hooks; stops at step `stopAtStep` (onStep) or epoch `stopAtEpoch` (onEpoch).
struct Recorder : TrainObserver {
    std::vector<StepMetrics> steps;
    std::vector<EpochMetrics> epochs;
    std::vector<EvalMetrics> evals;
    std::vector<std::string> messages;
    std::int64_t stopAtStep = -1;
    int stopAtEpoch = -1;
    std::function<void(const StepMetrics&)> onEachStep;
    bool onStep(const StepMetrics& m) override {
        steps.push_back(m);
        if (onEachStep)
            onEachStep(m);
        return m.step != stopAtStep;
    }
    bool onEpoch(const EpochMetrics& m) override {
        epochs.push_back(m);
        return m.epoch != stopAtEpoch;
    }
    bool onEval(const EvalMetrics& m) override {
        evals.push_back(m);
        return true;
    }
    void onMessage(const std::string& m) override { messages.push_back(m); }
};

bool sameParameters(const gps::ssl::MethodImpl& a, const gps::ssl::MethodImpl& b) {
    const auto pa = a.named_parameters(true), pb = b.named_parameters(true);
    const auto ba = a.named_buffers(true), bb = b.named_buffers(true);
    if (pa.size() != pb.size() || ba.size() != bb.size())
        return false;
    for (const auto& item : pa)
        if (!torch::allclose(item.value(), pb[item.key()], 0, 1e-6))
            return false;
    for (const auto& item : ba)
        if (!torch::equal(item.value(), bb[item.key()]))
            return false;
    return true;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void resumeEqualsAnUninterruptedRun() {
        const TrainConfig config = smallConfig(3);
        auto whole = makeMethod(1);
        Recorder wholeLog;
        auto full = runTraining(inputsFor(whole), config, {file("whole.ckpt"), {}}, wholeLog, {});
        QVERIFY(full.ok());
        QCOMPARE(full->stepsDone, std::int64_t(12));
        QVERIFY(!full->stopped);

        // Stopped in the middle of epoch 2, then resumed into a differently initialised method.
        auto first = makeMethod(1);
        Recorder stopper;
        stopper.stopAtStep = 6;
        auto part = runTraining(inputsFor(first), config, {file("part.ckpt"), {}}, stopper, {});
        QVERIFY(part.ok());
        QVERIFY(part->stopped);
        QCOMPARE(part->stepsDone, std::int64_t(6));
        auto resumed = makeMethod(99);
        QVERIFY(!sameParameters(*resumed, *whole));
        Recorder resumedLog;
        auto rest = runTraining(inputsFor(resumed), config, {file("part.ckpt"), file("part.ckpt")},
                                resumedLog, {});
        QVERIFY2(rest.ok(), rest.ok() ? "" : rest.error().message.c_str());
        QCOMPARE(rest->stepsDone, std::int64_t(12));
        QVERIFY(sameParameters(*resumed, *whole));
        QCOMPARE(rest->finalLoss, full->finalLoss);
        QCOMPARE(rest->onlineProbeAcc, full->onlineProbeAcc);
        QCOMPARE(resumedLog.steps.front().step, std::int64_t(7));
        QCOMPARE(resumedLog.epochs.back().meanLoss, wholeLog.epochs.back().meanLoss);
        QCOMPARE(resumedLog.epochs.front().meanLoss,
                 wholeLog.epochs[1].meanLoss); // mid-epoch sums kept
    }

    void cancelStopsWithinOneStepAndCheckpoints() {
        gps::CancelToken cancel;
        Recorder log;
        log.onEachStep = [&](const StepMetrics& m) {
            if (m.step == 3)
                cancel.cancel(); // as a GUI thread would, while step 3 finishes
        };
        auto result = runTraining(inputsFor(makeMethod(1)), smallConfig(3),
                                  {file("cancel.ckpt"), {}}, log, cancel);
        QVERIFY(result.ok());
        QVERIFY(result->stopped);
        QCOMPARE(result->stepsDone, std::int64_t(3));
        QCOMPARE(log.steps.size(), std::size_t(3));
        const auto counters = readCheckpointCounters(file("cancel.ckpt"));
        QVERIFY(counters.ok());
        QCOMPARE(counters->step, std::int64_t(3));
    }

    void observerReturningFalseStops() {
        Recorder log;
        log.stopAtEpoch = 1;
        auto result = runTraining(inputsFor(makeMethod(1)), smallConfig(3),
                                  {file("observer.ckpt"), {}}, log, {});
        QVERIFY(result.ok());
        QVERIFY(result->stopped);
        QCOMPARE(result->epochsDone, 1);
        QCOMPARE(log.epochs.size(), std::size_t(1));
        QCOMPARE(readCheckpointCounters(file("observer.ckpt"))->step, std::int64_t(4));
    }

    void nanLossStopsAndKeepsTheLastGoodCheckpoint() {
        TrainConfig config = smallConfig(3);
        Recorder log;
        auto result =
            runTraining(inputsFor(makeMethod(1, 7)), config, {file("nan.ckpt"), {}}, log, {});
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, gps::ErrorCode::InvalidInput);
        const std::string& message = result.error().message;
        QVERIFY2(message.find("loss became NaN at epoch 2, step 7") != std::string::npos,
                 message.c_str());
        QVERIFY2(message.find(file("nan.ckpt").string()) != std::string::npos, message.c_str());
        QCOMPARE(log.steps.size(), std::size_t(6));
        const auto counters = readCheckpointCounters(file("nan.ckpt"));
        QVERIFY(counters.ok());
        QCOMPARE(counters->step, std::int64_t(4)); // the end of epoch 1, not step 6
    }

    void damagedCheckpointsAreCorrupt() {
        auto method = makeMethod(1);
        {
            const torch::NoGradGuard noGrad;
            method->named_parameters()["head.bias"].fill_(1234.5f);
        }
        Recorder log;
        TrainConfig config = smallConfig(1);
        config.optimizer.lr = 1e-9; // keep the marker value in place
        config.schedule.warmupEpochs = 0;
        QVERIFY(runTraining(inputsFor(method), config, {file("good.ckpt"), {}}, log, {}).ok());
        std::string bytes = readAll(file("good.ckpt"));

        Optimizer optimizer(config.optimizer, {});
        auto fresh = makeMethod(2);
        const CheckpointParts parts{*fresh, optimizer, nullptr};
        const auto missing = loadCheckpoint(file("none.ckpt"), parts);
        QCOMPARE(missing.error().code, gps::ErrorCode::NotFound);
        QVERIFY(missing.error().message.find("none.ckpt") != std::string::npos);

        writeAll(file("garbage.ckpt"), "this is not a checkpoint");
        writeAll(file("truncated.ckpt"), bytes.substr(0, bytes.size() / 2));
        std::string flipped = bytes;
        const float marker = 1234.5f;
        const auto at =
            flipped.find(std::string(reinterpret_cast<const char*>(&marker), sizeof marker));
        QVERIFY(at != std::string::npos);
        flipped[at + 1] = char(flipped[at + 1] ^ 0x10);
        writeAll(file("flipped.ckpt"), flipped);
        for (const char* name : {"garbage.ckpt", "truncated.ckpt", "flipped.ckpt"}) {
            const auto loaded = loadCheckpoint(file(name), parts);
            QVERIFY(!loaded.ok());
            QCOMPARE(loaded.error().code, gps::ErrorCode::Corrupt);
            QVERIFY2(loaded.error().message.find(file(name).string()) != std::string::npos,
                     loaded.error().message.c_str());
        }
        // The same file read by a run resuming from it.
        auto resumed =
            runTraining(inputsFor(makeMethod(1)), config, {{}, file("truncated.ckpt")}, log, {});
        QCOMPARE(resumed.error().code, gps::ErrorCode::Corrupt);
    }

    void metricsArrive() {
        TrainerInputs in = inputsFor(makeMethod(1));
        int evaluations = 0;
        bool probeGiven = true;
        in.evaluate = [&](gps::models::BackboneImpl& backbone, int epochsDone,
                          const gps::ProgressFn&, gps::eval::OnlineProbe* probe) {
            ++evaluations;
            probeGiven = probeGiven && probe != nullptr;
            (void)backbone;
            EvalMetrics m;
            m.knnAcc = 0.5 + 0.1 * epochsDone;
            return gps::Result<EvalMetrics>(m);
        };
        in.evalEvery = 2;
        TrainConfig config = smallConfig(3);
        config.logEvery = 3;
        Recorder log;
        auto result = runTraining(in, config, {}, log, {});
        QVERIFY(result.ok());
        // The observer hears every step (the run's file keeps them all); log_every marks the
        // ones a printer shows: steps 3, 6, 9, 12.
        QCOMPARE(log.steps.size(), std::size_t(12));
        std::vector<StepMetrics> printed;
        for (const StepMetrics& step : log.steps)
            if (step.printDue)
                printed.push_back(step);
        QCOMPARE(printed.size(), std::size_t(4));
        QCOMPARE(printed[1].step, std::int64_t(6));
        QCOMPARE(printed[1].epoch, 1);
        QCOMPARE(printed[1].totalSteps, std::int64_t(12));
        QCOMPARE(printed[1].epochs, 1.5); // 4 steps per epoch
        QVERIFY(printed[1].imagesPerSecond > 0);
        QVERIFY(printed[3].seconds > printed[1].seconds);
        QVERIFY(printed[1].parts.count("mse") && printed[1].parts.count("pair"));
        // Warm-up over epoch 1 (4 steps) at lr 1.0 · 8/256, so step 3 (0-based 2) uses half the
        // peak.
        QCOMPARE(printed[0].lr, 0.5 * 8.0 / 256.0);
        QCOMPARE(log.epochs.size(), std::size_t(3));
        QCOMPARE(log.epochs[2].epoch, 3);
        QCOMPARE(log.epochs[2].step, std::int64_t(12));
        QCOMPARE(evaluations, 2); // after epoch 2 and at the end
        QVERIFY(probeGiven);      // labelled data: the hook sees the online classifier
        QCOMPARE(log.evals.size(), std::size_t(2));
        QCOMPARE(log.evals[1].epoch, 3);
        QVERIFY(result->lastEval && result->lastEval->knnAcc);
        QVERIFY(qFuzzyCompare(*result->lastEval->knnAcc, 0.8));
        QCOMPARE(result->device.rfind("cpu (", 0), std::size_t(0));
        QVERIFY(std::find(log.messages.begin(), log.messages.end(), "device: " + result->device) !=
                log.messages.end());
    }

    void onlineProbeLearnsSeparableData() {
        Recorder log;
        auto result = runTraining(inputsFor(makeMethod(1)), smallConfig(6), {}, log, {});
        QVERIFY(result.ok());
        QVERIFY(result->onlineProbeAcc.has_value());
        QVERIFY2(*result->onlineProbeAcc > 0.8,
                 qPrintable(QString::number(*result->onlineProbeAcc)));
    }

    void inputsThatDoNotFit() {
        TrainConfig config = smallConfig(1);
        config.batchSize = 64;
        Recorder log;
        auto tooBig = runTraining(inputsFor(makeMethod(1)), config, {}, log, {});
        QCOMPARE(tooBig.error().code, gps::ErrorCode::InvalidInput);
        TrainerInputs noSampler = inputsFor(makeMethod(1));
        noSampler.positives.source = PositiveSource::Gps;
        QCOMPARE(runTraining(noSampler, smallConfig(1), {}, log, {}).error().code,
                 gps::ErrorCode::InvalidInput);
        QVERIFY(resolveDevice("cpu").ok());
        QCOMPARE(resolveDevice("tpu").error().code, gps::ErrorCode::InvalidInput);
        if (!torch::cuda::is_available()) {
            QCOMPARE(resolveDevice("auto")->type(), torch::kCPU);
            const auto cuda = resolveDevice("cuda");
            QCOMPARE(cuda.error().code, gps::ErrorCode::InvalidInput);
            QVERIFY(cuda.error().message.find("train.device") != std::string::npos);
        }
    }

private:
    fs::path file(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }
    static std::string readAll(const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static void writeAll(const fs::path& path, const std::string& bytes) {
        std::ofstream(path, std::ios::binary) << bytes;
    }

    QTemporaryDir m_dir;
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
