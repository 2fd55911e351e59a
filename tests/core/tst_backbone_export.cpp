// exportBackboneTorchScript: the hand-built TorchScript module computes what the C++ backbone
// computes in eval mode, is written atomically, and feeds the run:DIR / torchscript prior.

#include "common/file_io.h"
#include "data/in_memory_dataset.h"
#include "models/backbone.h"
#include "priors/run_backbone.h"

#include <QTemporaryDir>
#include <QtTest>
#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>

using gps::models::Backbone;
using gps::models::BackboneConfig;
namespace fs = std::filesystem;

namespace {

Backbone make(const std::string& name, int channels, int side, int width) {
    BackboneConfig c;
    c.name = name;
    c.inChannels = channels;
    c.imageSize = side;
    c.width = width;
    auto made = gps::models::makeBackbone(c);
    if (!made)
        qFatal("makeBackbone(%s): %s", name.c_str(), made.error().message.c_str());
    return std::move(made).value();
}

// Weights a trained net might have: BN affine parameters and running statistics away from their
// (1, 0, 0, 1) start, so that a script that skipped or mis-ordered BN terms would show.
void perturb(const Backbone& net) {
    torch::NoGradGuard noGrad;
    for (auto& p : net->parameters())
        if (p.dim() == 1) // BN weights and biases (the convs have no bias)
            p.uniform_(0.5, 1.5);
    for (const auto& item : net->named_buffers()) {
        if (item.key().find("running_mean") != std::string::npos)
            item.value().normal_(0.0, 0.2);
        else if (item.key().find("running_var") != std::string::npos)
            item.value().uniform_(0.5, 2.0);
    }
}

double relativeError(const torch::Tensor& got, const torch::Tensor& want) {
    return (got - want).abs().max().item<double>() /
           std::max(1e-12, want.abs().max().item<double>());
}

std::vector<std::string> folderEntries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

class TestBackboneExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadedModuleMatchesEvalForward_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("width");
        QTest::newRow("small_cnn") << QStringLiteral("small_cnn") << 1 << 12 << 8;
        QTest::newRow("small_cnn odd side") << QStringLiteral("small_cnn") << 3 << 9 << 4;
        QTest::newRow("resnet18_cifar") << QStringLiteral("resnet18_cifar") << 3 << 16 << 8;
        QTest::newRow("resnet18") << QStringLiteral("resnet18") << 3 << 33 << 8;
        QTest::newRow("resnet50") << QStringLiteral("resnet50") << 1 << 32 << 8;
    }
    void loadedModuleMatchesEvalForward() {
        QFETCH(QString, name);
        QFETCH(int, channels);
        QFETCH(int, side);
        QFETCH(int, width);
        torch::manual_seed(3);
        const Backbone net = make(name.toStdString(), channels, side, width);
        perturb(net);
        net->train(); // the export is eval-mode whatever the live net's mode
        QTemporaryDir dir;
        const fs::path file = dir.path().toStdString() + "/backbone.pt";
        const auto exported = gps::models::exportBackboneTorchScript(*net, file);
        QVERIFY2(exported.ok(), exported.ok() ? "" : exported.error().message.c_str());
        QVERIFY(net->is_training());
        QCOMPARE(folderEntries(dir.path().toStdString()), std::vector<std::string>{"backbone.pt"});

        torch::jit::Module loaded = torch::jit::load(file.string());
        QCOMPARE(std::int64_t(loaded.parameters().size()), std::int64_t(net->parameters().size()));
        QVERIFY(!loaded.is_training());
        loaded.train(); // what Python's module.train() does; must not break forward
        loaded.eval();
        const auto x = torch::randn({3, channels, side, side});
        torch::NoGradGuard noGrad;
        net->eval();
        const auto want = net->forward(x);
        const auto got = loaded.forward({x}).toTensor();
        QCOMPARE(got.sizes().vec(), want.sizes().vec());
        QCOMPARE(got.size(1), std::int64_t(net->featureDim()));
        const double error = relativeError(got, want);
        QVERIFY2(error < 1e-4, qPrintable(QStringLiteral("relative error %1").arg(error)));
    }

    void exportSnapshotsTheWeightsOfThatMoment() {
        const Backbone net = make("small_cnn", 1, 8, 4);
        QTemporaryDir dir;
        const fs::path file = dir.path().toStdString() + "/backbone.pt";
        QVERIFY(gps::models::exportBackboneTorchScript(*net, file).ok());
        net->eval();
        torch::NoGradGuard noGrad;
        const auto x = torch::randn({2, 1, 8, 8});
        const auto first = net->forward(x);
        for (auto& p : net->parameters())
            p.mul_(-1.5);
        QVERIFY(relativeError(torch::jit::load(file.string()).forward({x}).toTensor(), first) <
                1e-4);
        // Exporting again replaces the file with the new weights.
        QVERIFY(gps::models::exportBackboneTorchScript(*net, file).ok());
        QVERIFY(relativeError(torch::jit::load(file.string()).forward({x}).toTensor(),
                              net->forward(x)) < 1e-4);
        QCOMPARE(folderEntries(dir.path().toStdString()), std::vector<std::string>{"backbone.pt"});
    }

    void unwritableTargetIsIoAndLeavesNoFile_data() {
        QTest::addColumn<QString>("target"); // relative to a fresh temporary folder
        QTest::newRow("missing folder") << QStringLiteral("missing/sub/backbone.pt");
        QTest::newRow("parent is a file") << QStringLiteral("plain.txt/backbone.pt");
        QTest::newRow("target is a folder") << QStringLiteral("taken");
    }
    void unwritableTargetIsIoAndLeavesNoFile() {
        QFETCH(QString, target);
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        QVERIFY(gps::writeFileAtomic(root / "plain.txt", std::string("x")).ok());
        fs::create_directories(root / "taken" / "inside");
        const auto before = folderEntries(root);

        const fs::path file = root / target.toStdString();
        const auto status =
            gps::models::exportBackboneTorchScript(*make("small_cnn", 1, 8, 4), file);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, gps::ErrorCode::Io);
        QVERIFY2(status.error().message.find(file.string()) != std::string::npos,
                 status.error().message.c_str());
        QCOMPARE(folderEntries(root), before);
        QCOMPARE(folderEntries(root / "taken"), std::vector<std::string>{"inside"});
    }

    void exportedBackboneFeedsTheRunPrior() {
        torch::manual_seed(8);
        const Backbone net = make("resnet18_cifar", 3, 8, 8);
        perturb(net);
        QTemporaryDir run;
        const fs::path dir = run.path().toStdString();
        QVERIFY(
            gps::models::exportBackboneTorchScript(*net, gps::priors::runBackboneFile(dir)).ok());
        QVERIFY(gps::writeFileAtomic(gps::priors::runBackboneSettingsFile(dir),
                                     std::string(R"({"input_size": 8, "input_channels": 3,
                                                    "mean": [0.5], "std": [0.25]})"))
                    .ok());

        gps::data::InMemoryParts parts;
        parts.images = gps::data::ImageBlock(5, {8, 8, 3});
        std::uint8_t* p = parts.images.data();
        for (std::size_t i = 0; i < parts.images.count() * 8 * 8 * 3; ++i)
            p[i] = std::uint8_t((i * 37 + 11) % 256);
        parts.split = "train";
        parts.format = "memory";
        const gps::data::InMemoryDataset data(std::move(parts));

        gps::priors::PriorOptions options;
        options.batchSize = 2;
        const auto prior = gps::priors::makeRunBackbonePrior(dir, options, "run:test");
        QVERIFY2(prior.ok(), prior.ok() ? "" : prior.error().message.c_str());
        QCOMPARE((*prior)->dim(), std::int64_t(net->featureDim()));
        const auto embedded = (*prior)->embed(data, {});
        QVERIFY2(embedded.ok(), embedded.ok() ? "" : embedded.error().message.c_str());
        QCOMPARE(embedded->rows, std::int64_t(5));

        // The same images, HWC bytes → NCHW in [0, 1], normalised as backbone.json says.
        const auto bytes = torch::from_blob(const_cast<std::uint8_t*>(data.block()->imageData(0)),
                                            {5, 8, 8, 3}, torch::kUInt8);
        const auto x = (bytes.permute({0, 3, 1, 2}).to(torch::kFloat) / 255.0 - 0.5) / 0.25;
        net->eval();
        torch::NoGradGuard noGrad;
        const auto want = net->forward(x.contiguous());
        const auto got = torch::from_blob(const_cast<float*>(embedded->values.data()),
                                          {5, net->featureDim()}, torch::kFloat);
        QVERIFY(relativeError(got, want) < 1e-4);
    }
};

QTEST_APPLESS_MAIN(TestBackboneExport)
#include "tst_backbone_export.moc"
