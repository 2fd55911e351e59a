// The online linear probe: it learns separable data, ignores rows labelled -1, never touches the
// backbone's graph, counts an epoch's accuracy, and a saved probe resumes bit for bit.

#include "common/check.h"
#include "eval/online_probe.h"

#include <QtTest>
#include <torch/torch.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

using gps::eval::OnlineProbe;

namespace {

const std::vector<std::string> kKeys = {"weight",        "bias",          "weight_momentum",
                                        "bias_momentum", "epoch_correct", "epoch_seen"};

struct Batch {
    torch::Tensor x;
    torch::Tensor y;
};

// Three Gaussian clusters (σ = 1) at 6·e_c in 8 dimensions.
Batch clusters(int rows, std::uint64_t seed) {
    torch::manual_seed(seed);
    const auto y = torch::randint(3, {rows}, torch::kLong);
    return {torch::randn({rows, 8}) + torch::eye(3, 8).index_select(0, y) * 6.0, y};
}

// The probe's checkpoint tensors, through a real byte stream.
std::map<std::string, torch::Tensor> stateOf(const OnlineProbe& probe) {
    torch::serialize::OutputArchive out;
    probe.save("probe.", out);
    std::ostringstream bytes;
    out.save_to(bytes);
    std::istringstream in(bytes.str());
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    std::map<std::string, torch::Tensor> state;
    for (const auto& key : kKeys)
        archive.read("probe." + key, state[key]);
    return state;
}

bool sameState(const OnlineProbe& a, const OnlineProbe& b) {
    const auto sa = stateOf(a), sb = stateOf(b);
    for (const auto& key : kKeys)
        if (!torch::equal(sa.at(key), sb.at(key)))
            return false;
    return true;
}

} // namespace

class TestOnlineProbe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void accuracyRisesOnSeparableData() {
        OnlineProbe probe(8, 3, 0.1, torch::kCPU);
        const Batch first = clusters(32, 1);
        // Zero weights: every logit ties and argmax says class 0.
        const double share0 = first.y.eq(0).sum().item<double>() / 32.0;
        QCOMPARE(probe.step(first.x, first.y), share0);
        double late = 0;
        for (int i = 0; i < 40; ++i) {
            const Batch b = clusters(32, 100 + i);
            const double acc = probe.step(b.x, b.y);
            if (i >= 30)
                late += acc / 10.0;
        }
        QVERIFY2(late > 0.95, qPrintable(QString::number(late)));
        const Batch test = clusters(300, 999);
        QVERIFY(probe.accuracy(test.x, test.y) > 0.95);
        QVERIFY(probe.epochAccuracy() > share0 && probe.epochAccuracy() < late);
    }

    void rowsLabelledMinusOneAreIgnored() {
        OnlineProbe mixed(8, 3, 0.5, torch::kCPU), clean(8, 3, 0.5, torch::kCPU);
        for (int i = 0; i < 5; ++i) {
            const Batch b = clusters(6, 10 + i);
            const Batch junk{torch::full({4, 8}, 50.0f), torch::full({4}, -1, torch::kLong)};
            const auto x = torch::cat({junk.x.narrow(0, 0, 2), b.x, junk.x.narrow(0, 2, 2)});
            const auto y = torch::cat({junk.y.narrow(0, 0, 2), b.y, junk.y.narrow(0, 2, 2)});
            QCOMPARE(mixed.step(x, y), clean.step(b.x, b.y));
        }
        QVERIFY(sameState(mixed, clean));

        // Hand-checkable: zero weights predict class 0, so labels {0, 1, 1, -1} score 1/3.
        OnlineProbe fresh(2, 2, 0.1, torch::kCPU);
        QCOMPARE(fresh.step(torch::ones({4, 2}), torch::tensor({0, 1, 1, -1}, torch::kLong)),
                 1.0 / 3.0);
        QCOMPARE(fresh.epochAccuracy(), 1.0 / 3.0);
        // A batch with no labelled row changes nothing.
        const auto before = stateOf(fresh);
        QCOMPARE(fresh.step(torch::ones({2, 2}), torch::full({2}, -1, torch::kLong)), 0.0);
        QVERIFY(torch::equal(before.at("weight"), stateOf(fresh).at("weight")));
        QCOMPARE(fresh.epochAccuracy(), 1.0 / 3.0);
        QCOMPARE(fresh.accuracy(torch::ones({1, 2}), torch::full({1}, -1, torch::kLong)), 0.0);
    }

    void epochAccuracyCountsRowsUntilReset() {
        OnlineProbe probe(2, 2, 0.1, torch::kCPU);
        QCOMPARE(probe.epochAccuracy(), 0.0);
        probe.step(torch::ones({2, 2}), torch::tensor({0, 1}, torch::kLong)); // 1 of 2 (class 0)
        probe.resetEpoch();
        QCOMPARE(probe.epochAccuracy(), 0.0);
        // After one step the weights are non-zero; score the next two batches by hand.
        const auto x = torch::tensor({{1.0f, 0.0f}, {0.0f, 1.0f}, {1.0f, 1.0f}});
        const auto y = torch::tensor({0, 1, 1}, torch::kLong);
        const double a = probe.step(x, y);
        const double b = probe.step(x.narrow(0, 0, 1), y.narrow(0, 0, 1));
        QCOMPARE(probe.epochAccuracy(), (a * 3 + b) / 4.0);
    }

    void accuracyDoesNotTrain() {
        OnlineProbe probe(8, 3, 0.1, torch::kCPU);
        const Batch b = clusters(16, 3);
        probe.step(b.x, b.y);
        const auto before = stateOf(probe);
        probe.accuracy(b.x, b.y);
        QVERIFY(torch::equal(before.at("weight"), stateOf(probe).at("weight")));
    }

    void neverTouchesTheBackbone() {
        torch::manual_seed(4);
        torch::nn::Linear backbone(8, 8);
        const Batch b = clusters(16, 4);
        const auto features = backbone->forward(b.x);
        QVERIFY(features.requires_grad());
        OnlineProbe probe(8, 3, 0.1, torch::kCPU);
        probe.step(features, b.y);
        QVERIFY(!backbone->weight.grad().defined());
        // Features computed under inference mode are fine too.
        torch::Tensor inference;
        {
            c10::InferenceMode guard;
            inference = backbone->forward(b.x);
        }
        probe.step(inference, b.y);
    }

    void savedProbeResumesBitForBit() {
        std::vector<Batch> batches;
        for (int i = 0; i < 10; ++i)
            batches.push_back(clusters(24, 50 + i));
        OnlineProbe original(8, 3, 0.05, torch::kCPU);
        for (int i = 0; i < 5; ++i)
            original.step(batches[std::size_t(i)].x, batches[std::size_t(i)].y);

        torch::serialize::OutputArchive out;
        original.save("probe.", out);
        std::ostringstream bytes;
        out.save_to(bytes);

        OnlineProbe resumed(8, 3, 0.05, torch::kCPU), fresh(8, 3, 0.05, torch::kCPU);
        std::istringstream in(bytes.str());
        torch::serialize::InputArchive archive;
        archive.load_from(in);
        resumed.load("probe.", archive);
        QVERIFY(sameState(original, resumed));
        QCOMPARE(resumed.epochAccuracy(), original.epochAccuracy());

        for (int i = 5; i < 10; ++i) {
            const auto& b = batches[std::size_t(i)];
            const double expected = original.step(b.x, b.y);
            QCOMPARE(resumed.step(b.x, b.y), expected);
            fresh.step(b.x, b.y);
        }
        // Bitwise: weights, biases, momentum buffers and counts; the momentum of the first
        // five steps shapes the last five, so a probe that lost it would differ.
        QVERIFY(sameState(original, resumed));
        QVERIFY(!sameState(original, fresh));
    }

    void loadRejectsAnotherShape() {
        OnlineProbe wide(8, 3, 0.1, torch::kCPU), narrow(4, 3, 0.1, torch::kCPU);
        torch::serialize::OutputArchive out;
        wide.save("p.", out);
        std::ostringstream bytes;
        out.save_to(bytes);
        std::istringstream in(bytes.str());
        torch::serialize::InputArchive archive;
        archive.load_from(in);
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, narrow.load("p.", archive));
        QVERIFY_THROWS_EXCEPTION(c10::Error, wide.load("other.", archive));
    }

    void preconditionsAreChecked() {
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, OnlineProbe(0, 3, 0.1, torch::kCPU));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, OnlineProbe(4, 1, 0.1, torch::kCPU));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, OnlineProbe(4, 3, 0.0, torch::kCPU));
        OnlineProbe probe(4, 3, 0.1, torch::kCPU);
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure,
                                 probe.step(torch::zeros({2, 5}), torch::zeros({2}, torch::kLong)));
        QVERIFY_THROWS_EXCEPTION(
            gps::CheckFailure,
            probe.step(torch::zeros({2, 4}), torch::tensor({0, 3}, torch::kLong)));
    }
};

QTEST_APPLESS_MAIN(TestOnlineProbe)
#include "tst_online_probe.moc"
