// The backbones of core/models: shapes, sizes (against torchvision's counts), config errors,
// clones for momentum encoders and train/eval behaviour. Tiny widths and images keep it fast.

#include "models/backbone.h"

#include <QtTest>
#include <torch/torch.h>

using gps::models::Backbone;
using gps::models::BackboneConfig;

namespace {

BackboneConfig config(const std::string& name, int channels, int side, int width) {
    BackboneConfig c;
    c.name = name;
    c.inChannels = channels;
    c.imageSize = side;
    c.width = width;
    return c;
}

Backbone make(const BackboneConfig& c) {
    auto made = gps::models::makeBackbone(c);
    if (!made)
        qFatal("makeBackbone(%s): %s", c.name.c_str(), made.error().message.c_str());
    return std::move(made).value();
}

std::int64_t parameterCount(const torch::nn::Module& module) {
    std::int64_t count = 0;
    for (const auto& p : module.parameters())
        count += p.numel();
    return count;
}

// Moves every BN's running statistics away from (0, 1) so that eval mode is not the identity.
void trainOneBatch(const Backbone& net) {
    net->train();
    torch::NoGradGuard noGrad;
    const auto& c = net->config();
    net->forward(torch::randn({4, c.inChannels, c.imageSize, c.imageSize}) * 2 + 0.5);
}

torch::Tensor firstRunningVar(const Backbone& net) {
    for (const auto& item : net->named_buffers())
        if (item.key().find("running_var") != std::string::npos)
            return item.value();
    qFatal("no running_var buffer");
}

void addConfigColumns() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("width");
}

// One row per registered backbone, small enough to run in milliseconds.
void addNameRows() {
    addConfigColumns();
    QTest::newRow("small_cnn") << QStringLiteral("small_cnn") << 1 << 16 << 8;
    QTest::newRow("resnet18_cifar") << QStringLiteral("resnet18_cifar") << 3 << 16 << 8;
    QTest::newRow("resnet18") << QStringLiteral("resnet18") << 3 << 32 << 8;
    QTest::newRow("resnet50") << QStringLiteral("resnet50") << 1 << 32 << 8;
}

BackboneConfig fetchConfig() {
    QFETCH(QString, name);
    QFETCH(int, channels);
    QFETCH(int, side);
    QFETCH(int, width);
    return config(name.toStdString(), channels, side, width);
}

} // namespace

class TestBackbones : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesAreListedInUiOrder() {
        const std::vector<std::string> expected{"small_cnn", "resnet18_cifar", "resnet18",
                                                "resnet50"};
        QVERIFY(gps::models::backboneNames() == expected);
    }

    void outputIsBatchByFeatureDim_data() {
        addConfigColumns();
        QTest::addColumn<int>("featureDim");
        QTest::addColumn<bool>("small");
        // small_cnn: 4·w; resnets: 8·w, ×4 for the bottleneck of resnet50.
        QTest::newRow("small_cnn w8") << QStringLiteral("small_cnn") << 1 << 16 << 8 << 32 << true;
        QTest::newRow("resnet18_cifar w8")
            << QStringLiteral("resnet18_cifar") << 3 << 16 << 8 << 64 << false;
        QTest::newRow("resnet18 w8") << QStringLiteral("resnet18") << 3 << 32 << 8 << 64 << false;
        QTest::newRow("resnet50 w8") << QStringLiteral("resnet50") << 1 << 32 << 8 << 256 << false;
        QTest::newRow("small_cnn odd side")
            << QStringLiteral("small_cnn") << 3 << 5 << 4 << 16 << true;
        QTest::newRow("resnet18_cifar 40 px")
            << QStringLiteral("resnet18_cifar") << 1 << 40 << 16 << 128 << false;
    }
    void outputIsBatchByFeatureDim() {
        const BackboneConfig c = fetchConfig();
        QFETCH(int, featureDim);
        QFETCH(bool, small);
        const Backbone net = make(c);
        QCOMPARE(net->featureDim(), featureDim);
        QCOMPARE(net->small(), small);
        QCOMPARE(net->config().width, c.width);
        QVERIFY(net->is_training());
        const auto y = net->forward(torch::randn({3, c.inChannels, c.imageSize, c.imageSize}));
        QCOMPARE(y.dim(), 2);
        QCOMPARE(y.size(0), 3);
        QCOMPARE(y.size(1), featureDim);
        QVERIFY(torch::isfinite(y).all().item<bool>());
    }

    // Counts of torchvision's models without fc (resnet18: 11,689,512 − 513,000; resnet50:
    // 25,557,032 − 2,049,000). The CIFAR stem's 3×3 conv has 64·3·9 = 1,728 weights instead of
    // the 7×7's 9,408, so resnet18_cifar has 7,680 fewer. small_cnn (1 channel, w 32): convs
    // 288 + 18,432 + 73,728 and BN 2·(32 + 64 + 128).
    void parameterCountsMatchTorchvision_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("channels");
        QTest::addColumn<qint64>("count");
        QTest::addColumn<int>("featureDim");
        QTest::newRow("small_cnn") << QStringLiteral("small_cnn") << 1 << qint64(92'896) << 128;
        QTest::newRow("resnet18_cifar")
            << QStringLiteral("resnet18_cifar") << 3 << qint64(11'168'832) << 512;
        QTest::newRow("resnet18") << QStringLiteral("resnet18") << 3 << qint64(11'176'512) << 512;
        QTest::newRow("resnet50") << QStringLiteral("resnet50") << 3 << qint64(23'508'032) << 2048;
    }
    void parameterCountsMatchTorchvision() {
        QFETCH(QString, name);
        QFETCH(int, channels);
        QFETCH(qint64, count);
        QFETCH(int, featureDim);
        const Backbone net = make(config(name.toStdString(), channels, 32, 0)); // default width
        QCOMPARE(parameterCount(*net), count);
        QCOMPARE(net->featureDim(), featureDim);
        QVERIFY(net->config().width > 0);
    }

    void resnetNamesFollowTorchvision() {
        const Backbone net = make(config("resnet50", 3, 32, 8));
        const auto params = net->named_parameters();
        for (const char* key : {"conv1.weight", "bn1.weight", "layer1.0.conv3.weight",
                                "layer1.0.downsample.0.weight", "layer4.2.bn3.bias"})
            QVERIFY2(params.contains(key), key);
        QVERIFY(net->named_buffers().contains("layer3.5.bn2.running_var"));
        QVERIFY(!params.contains("fc.weight"));
    }

    void resnetInitIsKaimingFanOut() {
        torch::manual_seed(5);
        const Backbone net = make(config("resnet18_cifar", 3, 32, 64));
        const auto params = net->named_parameters();
        // fan_out = 128 · 3 · 3, std = sqrt(2 / fan_out) ≈ 0.0417.
        const auto w = params["layer2.0.conv2.weight"];
        QVERIFY(std::abs(w.std().item<double>() - std::sqrt(2.0 / (128 * 9))) < 0.002);
        QVERIFY(torch::equal(params["layer2.0.bn1.weight"], torch::ones({128})));
        QVERIFY(torch::equal(params["layer2.0.bn1.bias"], torch::zeros({128})));
    }

    void sameSeedGivesSameWeights_data() { addNameRows(); }
    void sameSeedGivesSameWeights() {
        const BackboneConfig c = fetchConfig();
        torch::manual_seed(11);
        const Backbone a = make(c);
        torch::manual_seed(11);
        const Backbone b = make(c);
        const Backbone other = make(c);
        const auto pa = a->parameters(), pb = b->parameters(), po = other->parameters();
        bool allEqual = true, anyDiffers = false;
        for (std::size_t i = 0; i < pa.size(); ++i) {
            allEqual = allEqual && torch::equal(pa[i], pb[i]);
            anyDiffers = anyDiffers || !torch::equal(pa[i], po[i]);
        }
        QVERIFY(allEqual);
        QVERIFY(anyDiffers);
    }

    void badConfigNamesTheKey_data() {
        addConfigColumns();
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown name")
            << QStringLiteral("vgg") << 3 << 32 << 0
            << QStringLiteral("backbone.name: unknown 'vgg' (expected small_cnn, resnet18_cifar, "
                              "resnet18, resnet50)");
        QTest::newRow("two channels")
            << QStringLiteral("small_cnn") << 2 << 28 << 0
            << QStringLiteral("backbone: images with 2 channels (expected 1 or 3)");
        QTest::newRow("small_cnn too wide")
            << QStringLiteral("small_cnn") << 1 << 28 << 512
            << QStringLiteral(
                   "backbone.width: 512 for small_cnn (expected 0 for the default or 4–256)");
        QTest::newRow("negative width")
            << QStringLiteral("resnet18") << 3 << 64 << -1
            << QStringLiteral(
                   "backbone.width: -1 for resnet18 (expected 0 for the default or 8–128)");
        QTest::newRow("resnet too narrow")
            << QStringLiteral("resnet50") << 3 << 64 << 4
            << QStringLiteral(
                   "backbone.width: 4 for resnet50 (expected 0 for the default or 8–128)");
        QTest::newRow("imagenet stem on 28 px")
            << QStringLiteral("resnet18") << 1 << 28 << 0
            << QStringLiteral("backbone: resnet18 needs images of at least 32 px, found 28 px "
                              "(resnet18_cifar and small_cnn take smaller)");
        QTest::newRow("small_cnn on 3 px")
            << QStringLiteral("small_cnn") << 1 << 3 << 0
            << QStringLiteral("backbone: small_cnn needs images of at least 4 px, found 3 px");
    }
    void badConfigNamesTheKey() {
        const BackboneConfig c = fetchConfig();
        QFETCH(QString, message);
        const auto made = gps::models::makeBackbone(c);
        QVERIFY(!made.ok());
        QCOMPARE(made.error().code, gps::ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(made.error().message), message);
    }

    void cloneCopiesThenStaysIndependent_data() { addNameRows(); }
    void cloneCopiesThenStaysIndependent() {
        const BackboneConfig c = fetchConfig();
        const Backbone source = make(c);
        trainOneBatch(source);
        source->eval();
        const Backbone clone = gps::models::cloneBackbone(*source);
        QVERIFY(!clone->is_training()); // the mode is copied too
        QCOMPARE(clone->config().name, c.name);
        QCOMPARE(clone->featureDim(), source->featureDim());
        for (const auto& p : clone->parameters())
            for (const auto& q : source->parameters())
                QVERIFY(p.data_ptr() != q.data_ptr());

        torch::NoGradGuard noGrad;
        const auto x = torch::randn({2, c.inChannels, c.imageSize, c.imageSize});
        const auto before = source->forward(x);
        QVERIFY(torch::equal(clone->forward(x), before));

        for (auto& p : source->parameters())
            p.add_(0.1);
        for (auto& b : source->buffers())
            if (b.is_floating_point())
                b.mul_(2.0);
        QVERIFY(!torch::allclose(source->forward(x), before));
        QVERIFY(torch::equal(clone->forward(x), before));
    }

    void trainModeUsesBatchStatisticsEvalModeDoesNot_data() { addNameRows(); }
    void trainModeUsesBatchStatisticsEvalModeDoesNot() {
        const BackboneConfig c = fetchConfig();
        const Backbone net = make(c);
        trainOneBatch(net);
        torch::NoGradGuard noGrad;
        const auto x = torch::randn({4, c.inChannels, c.imageSize, c.imageSize});
        const auto first = x.slice(0, 0, 2);

        net->eval();
        const auto stats = firstRunningVar(net).clone();
        QVERIFY(torch::allclose(net->forward(x).slice(0, 0, 2), net->forward(first), 1e-4, 1e-5));
        QVERIFY(torch::equal(firstRunningVar(net), stats));

        net->train();
        // With batch statistics, an image's features depend on the rest of the batch, and the
        // running statistics move.
        QVERIFY(!torch::allclose(net->forward(x).slice(0, 0, 2), net->forward(first), 1e-3, 1e-4));
        QVERIFY(!torch::equal(firstRunningVar(net), stats));
    }
};

QTEST_APPLESS_MAIN(TestBackbones)
#include "tst_backbones.moc"
