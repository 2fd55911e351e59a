// The trainer's optimisers against updates computed by hand, weight-decay exclusion of 1-D
// parameters, exact state round trips, and the warm-up + cosine schedule.

#include "train/optimizers.h"
#include "train/schedule.h"

#include <QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace gps::train;

Q_DECLARE_METATYPE(gps::train::OptimizerKind)

namespace {

constexpr double kTol = 1e-6;

at::Tensor param(std::initializer_list<float> values, std::vector<std::int64_t> shape) {
    return torch::tensor(std::vector<float>(values)).reshape(shape).requires_grad_(true);
}

void setGrad(const at::Tensor& p, std::initializer_list<float> values) {
    p.mutable_grad() = torch::tensor(std::vector<float>(values)).reshape(p.sizes());
}

bool near(const at::Tensor& t, std::initializer_list<double> expected) {
    const at::Tensor flat = t.detach().to(torch::kDouble).flatten();
    if (flat.numel() != static_cast<std::int64_t>(expected.size()))
        return false;
    std::int64_t i = 0;
    for (double e : expected)
        if (std::abs(flat[i++].item<double>() - e) > kTol * std::max(1.0, std::abs(e))) {
            qWarning() << "value" << i - 1 << flat[i - 1].item<double>() << "expected" << e;
            return false;
        }
    return true;
}

OptimizerConfig config(OptimizerKind kind, double wd, bool exclude = true) {
    OptimizerConfig c;
    c.kind = kind;
    c.weightDecay = wd;
    c.momentum = 0.9;
    c.larsEta = 0.02;
    c.excludeBiasAndNorm = exclude;
    return c;
}

} // namespace

class TestOptimizers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sgdMomentumTwoSteps() {
        const at::Tensor w = param({1, 2}, {1, 2});
        Optimizer sgd(config(OptimizerKind::Sgd, 0.01), {{"w", w}});
        sgd.setLr(0.1);
        double w0 = 1, w1 = 2, b0 = 0, b1 = 0;
        for (int step = 0; step < 2; ++step) {
            setGrad(w, {0.5f, -1.0f});
            sgd.step();
            // d = g + wd·w; buf = 0.9·buf + d; w -= lr·buf
            b0 = 0.9 * b0 + (0.5 + 0.01 * w0);
            b1 = 0.9 * b1 + (-1.0 + 0.01 * w1);
            w0 -= 0.1 * b0;
            w1 -= 0.1 * b1;
        }
        QVERIFY(near(w, {w0, w1}));
        QVERIFY(near(w, {0.852151, 2.284102})); // the same, written out
    }

    void larsTrustRatio() {
        // ‖w‖ = 5, ‖g‖ = 2: trust = 0.02·5 / (2 + 0.1·5) = 0.04; d = 0.04·(g + 0.1·w).
        const at::Tensor w = param({3, 4}, {1, 2});
        const at::Tensor bias = param({1, -1}, {2});
        const at::Tensor zero = param({0, 0}, {2, 1});
        Optimizer lars(config(OptimizerKind::Lars, 0.1), {{"w", w}, {"b", bias}, {"z", zero}});
        lars.setLr(1.0);
        setGrad(w, {0, 2});
        setGrad(bias, {0.5f, 0.5f});
        setGrad(zero, {1, 1});
        lars.step();
        QVERIFY(near(w, {3 - 0.04 * 0.3, 4 - 0.04 * 2.4}));
        QVERIFY(near(bias, {0.5, -1.5})); // 1-D: plain SGD, no decay, no trust ratio
        QVERIFY(near(zero, {-1, -1}));    // ‖w‖ = 0: no adaptation, no decay
        // The momentum buffer holds the adapted update: a zero gradient next keeps moving by 0.9·d.
        setGrad(w, {0, 0});
        lars.step();
        QVERIFY(near(w, {3 - 0.04 * 0.3 * 1.9, 4 - 0.04 * 2.4 * 1.9}));
    }

    // The reference's clip_lr: a layer's step size is min(trust, lr). Here trust = 0.04 as above;
    // at lr 0.01 the clip makes d = min(0.04 / 0.01, 1)·(g + wd·w) = g + wd·w, a step of
    // 0.01·(g + wd·w); without the clip the step would be 0.01·0.04·(g + wd·w).
    void larsClipLimitsTheStepToLr_data() {
        QTest::addColumn<bool>("clip");
        QTest::addColumn<double>("factor");
        QTest::newRow("clip") << true << 0.01;
        QTest::newRow("no clip") << false << 0.01 * 0.04;
    }
    void larsClipLimitsTheStepToLr() {
        QFETCH(bool, clip);
        QFETCH(double, factor);
        const at::Tensor w = param({3, 4}, {1, 2});
        OptimizerConfig c = config(OptimizerKind::Lars, 0.1);
        c.larsClipLr = clip;
        Optimizer lars(c, {{"w", w}});
        lars.setLr(0.01);
        setGrad(w, {0, 2});
        lars.step();
        QVERIFY(near(w, {3 - factor * 0.3, 4 - factor * 2.4}));
    }

    void larsWithoutExclusionAdaptsBiases() {
        const at::Tensor bias = param({3, 4}, {2});
        Optimizer lars(config(OptimizerKind::Lars, 0.1, false), {{"b", bias}});
        lars.setLr(1.0);
        setGrad(bias, {0, 2});
        lars.step();
        QVERIFY(near(bias, {3 - 0.04 * 0.3, 4 - 0.04 * 2.4}));
        QVERIFY(lars.decayed("b"));
    }

    void oneDimensionalParametersGetNoDecay_data() {
        QTest::addColumn<OptimizerKind>("kind");
        QTest::newRow("sgd") << OptimizerKind::Sgd;
        QTest::newRow("lars") << OptimizerKind::Lars;
        QTest::newRow("adamw") << OptimizerKind::AdamW;
    }
    void oneDimensionalParametersGetNoDecay() {
        QFETCH(OptimizerKind, kind);
        const at::Tensor w = param({1, 1, 1, 1}, {2, 2});
        const at::Tensor bias = param({1, 1}, {2});
        Optimizer opt(config(kind, 0.5), {{"w", w}, {"b", bias}});
        opt.setLr(0.1);
        QVERIFY(opt.decayed("w"));
        QVERIFY(!opt.decayed("b"));
        // A gradient of exactly zero: only weight decay can move a parameter. (LARS with a zero
        // gradient norm does not adapt, so use a tiny gradient there.)
        const float g = kind == OptimizerKind::Lars ? 1e-3f : 0.0f;
        setGrad(w, {g, g, g, g});
        setGrad(bias, {0, 0});
        opt.step();
        QVERIFY(w.detach().lt(1.0).all().item<bool>());
        QVERIFY(near(bias, {1, 1}));
    }

    void adamWTwoSteps() {
        const at::Tensor w = param({1, -2}, {1, 2});
        OptimizerConfig c = config(OptimizerKind::AdamW, 0.1);
        Optimizer adam(c, {{"w", w}});
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        adam.setLr(lr);
        double x[2] = {1, -2}, m[2] = {0, 0}, v[2] = {0, 0};
        const double grads[2][2] = {{0.1, 0.3}, {-0.2, 0.05}};
        for (int t = 1; t <= 2; ++t) {
            setGrad(w, {float(grads[t - 1][0]), float(grads[t - 1][1])});
            adam.step();
            for (int i = 0; i < 2; ++i) {
                const double g = double(float(grads[t - 1][i]));
                x[i] *= 1 - lr * 0.1;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                const double denom = std::sqrt(v[i]) / std::sqrt(1 - std::pow(b2, t)) + eps;
                x[i] -= lr / (1 - std::pow(b1, t)) * m[i] / denom;
            }
        }
        QVERIFY(near(w, {x[0], x[1]}));
    }

    void parametersWithoutGradientAreSkipped() {
        const at::Tensor w = param({1, 2}, {1, 2});
        Optimizer sgd(config(OptimizerKind::Sgd, 0.1), {{"w", w}});
        sgd.setLr(1.0);
        sgd.step();
        QVERIFY(near(w, {1, 2}));
        setGrad(w, {1, 1});
        sgd.zeroGrad();
        QVERIFY(!w.grad().defined());
    }

    void stateRoundTripContinuesExactly_data() { oneDimensionalParametersGetNoDecay_data(); }
    void stateRoundTripContinuesExactly() {
        QFETCH(OptimizerKind, kind);
        torch::manual_seed(3);
        const at::Tensor a = torch::randn({3, 4}).requires_grad_(true);
        const at::Tensor b = a.detach().clone().requires_grad_(true);
        Optimizer first(config(kind, 0.05), {{"p", a}});
        Optimizer second(config(kind, 0.05), {{"p", b}});
        first.setLr(0.05);
        second.setLr(0.05);
        const at::Tensor g1 = torch::randn({3, 4}), g2 = torch::randn({3, 4});
        a.mutable_grad() = g1.clone();
        first.step();
        {
            const torch::NoGradGuard noGrad;
            b.copy_(a);
        }
        QVERIFY(second.loadState(first.state()).ok());
        a.mutable_grad() = g2.clone();
        b.mutable_grad() = g2.clone();
        first.step();
        second.step();
        QVERIFY(torch::equal(a, b));
    }

    void loadStateNamesTheMissingKey() {
        const at::Tensor w = param({1, 2}, {1, 2});
        Optimizer adam(config(OptimizerKind::AdamW, 0.1), {{"layer.weight", w}});
        TensorMap state = adam.state();
        QVERIFY(state.count("layer.weight.exp_avg_sq"));
        state.erase("layer.weight.exp_avg_sq");
        const gps::Status loaded = adam.loadState(state);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, gps::ErrorCode::Corrupt);
        QVERIFY2(loaded.error().message.find("layer.weight.exp_avg_sq") != std::string::npos,
                 loaded.error().message.c_str());
        state = adam.state();
        state["layer.weight.exp_avg"] = torch::zeros({3});
        QCOMPARE(adam.loadState(state).error().code, gps::ErrorCode::Corrupt);
    }

    void schedule_data() {
        QTest::addColumn<double>("warmupEpochs");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<double>("expected");
        // lr 0.3 at batch 512 → peak 0.6; 10 epochs × 10 steps; floor 0.06.
        QTest::newRow("warm-up start") << 2.0 << qint64(0) << 0.0;
        QTest::newRow("warm-up middle") << 2.0 << qint64(10) << 0.3;
        QTest::newRow("warm-up end = peak") << 2.0 << qint64(20) << 0.6;
        QTest::newRow("cosine middle") << 2.0 << qint64(60) << 0.06 + 0.54 * 0.5;
        QTest::newRow("cosine quarter")
            << 2.0 << qint64(40) << 0.06 + 0.54 * 0.5 * (1 + std::cos(M_PI / 4));
        QTest::newRow("cosine end = floor") << 2.0 << qint64(100) << 0.06;
        QTest::newRow("no warm-up starts at peak") << 0.0 << qint64(0) << 0.6;
        QTest::newRow("warm-up clamped to the run") << 50.0 << qint64(50) << 0.3;
    }
    void schedule() {
        QFETCH(double, warmupEpochs);
        QFETCH(qint64, step);
        QFETCH(double, expected);
        OptimizerConfig optimizer;
        optimizer.lr = 0.3;
        ScheduleConfig schedule;
        schedule.warmupEpochs = warmupEpochs;
        schedule.minLrFactor = 0.1;
        const LrSchedule lr = makeSchedule(optimizer, schedule, 512, 10, 10);
        QCOMPARE(lr.totalSteps, std::int64_t(100));
        QVERIFY2(std::abs(lr.at(step) - expected) < 1e-12,
                 qPrintable(QString::number(lr.at(step), 'g', 17)));
    }
};

QTEST_APPLESS_MAIN(TestOptimizers)
#include "tst_optimizers.moc"
