// torchscript:PATH and run:DIR priors, fed modules written by the test itself with
// torch::jit::Module::define (a Linear module cannot be scripted from C++): outputs reduced to
// rows, input conversion, and every output an embedding cannot be built from refused.

#include "common/file_io.h"
#include "common/rng.h"
#include "data/in_memory_dataset.h"
#include "priors/embedding_cache.h"
#include "priors/registry.h"
#include "torchscript_fixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>

using namespace gps::priors;
using gps::ErrorCode;
using gps::data::InMemoryDataset;

namespace {

InMemoryDataset makeDataset(int count, int side, int channels,
                            const std::function<int(int i, int y, int x, int c)>& pixel) {
    gps::data::InMemoryParts parts;
    parts.images = gps::data::ImageBlock(std::size_t(count), {side, side, channels});
    std::uint8_t* p = parts.images.data();
    for (int i = 0; i < count; ++i)
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x)
                for (int c = 0; c < channels; ++c)
                    *p++ = std::uint8_t(pixel(i, y, x, c));
    parts.split = "train";
    parts.format = "memory";
    return InMemoryDataset(std::move(parts));
}

InMemoryDataset randomDataset(int count, int side, int channels) {
    gps::Rng rng(17);
    return makeDataset(count, side, channels,
                       [&](int, int, int, int) { return int(rng.below(256)); });
}

// Mean of channel c of image i, in [0, 1].
double channelMean(const InMemoryDataset& data, int i, int c) {
    const auto shape = data.shape();
    const std::uint8_t* p = data.block()->imageData(std::size_t(i));
    double sum = 0;
    for (int k = 0; k < shape.height * shape.width; ++k)
        sum += p[k * shape.channels + c];
    return sum / (shape.height * shape.width) / 255.0;
}

} // namespace

class TestTorchScriptPrior : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // Saves a module whose forward is `body` (one Python line using x) and returns its path.
    std::string saveModule(const QString& name, const std::string& body) {
        const std::string path = m_dir.filePath(name).toStdString();
        gps::test::saveTorchScriptModule(path, body);
        return path;
    }

    Embedding embed(const std::string& spec, const PriorOptions& options,
                    const gps::data::Dataset& data) {
        auto prior = makeEmbedder(spec, options);
        if (!prior)
            qFatal("%s", prior.error().message.c_str());
        auto embedding = (*prior)->embed(data, {});
        if (!embedding)
            qFatal("%s", embedding.error().message.c_str());
        return std::move(embedding).value();
    }

private Q_SLOTS:
    void outputsAreReducedToRows_data() {
        QTest::addColumn<QString>("body");
        QTest::addColumn<double>("scale");
        QTest::newRow("N x C tensor") << "x.mean(dim=[2, 3])" << 1.0;
        QTest::newRow("tuple, first taken") << "(x.mean(dim=[2, 3]) * 3.0, x)" << 3.0;
        QTest::newRow("list, first taken") << "[x.mean(dim=[2, 3]), x.mean(dim=[2, 3])]" << 1.0;
        QTest::newRow("4-D, pooled") << "x * 2.0" << 2.0;
    }
    void outputsAreReducedToRows() {
        QFETCH(QString, body);
        QFETCH(double, scale);
        const auto path = saveModule(QStringLiteral("m.pt"), body.toStdString());
        const auto data = randomDataset(4, 6, 3);
        const Embedding e = embed("torchscript:" + path, PriorOptions{}, data);
        QCOMPARE(e.rows, 4);
        QCOMPARE(e.dim, 3);
        for (int i = 0; i < 4; ++i)
            for (int c = 0; c < 3; ++c)
                QVERIFY(std::abs(e.row(i)[c] - scale * channelMean(data, i, c)) < 1e-5);
        QVERIFY(e.values == embed("torchscript:" + path, PriorOptions{}, data).values);
    }
    void wholeBatchFlattenedIsSplitIntoRows() {
        // A 1-D output of N·d values is one row per image in order, like flatten(1).
        const auto data = randomDataset(5, 3, 1);
        PriorOptions options;
        options.batchSize = 2;
        const auto flat = saveModule(QStringLiteral("flat-all.pt"), "x.flatten()");
        const auto rows = saveModule(QStringLiteral("flat-rows.pt"), "x.flatten(1)");
        QVERIFY(embed("torchscript:" + flat, options, data).values ==
                embed("torchscript:" + rows, options, data).values);
    }
    void unusableOutputIsRefused_data() {
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QString>("message"); // %1 is the module's path
        // Images 4 and 5 are black, the others white; batches of 2, so batch 3 holds 4 and 5.
        QTest::newRow("NaN") << "x.mean(dim=[2, 3]) / x.mean(dim=[2, 3])" << 3
                             << "torchscript:%1: the output for batch 3 of 3 (images 4–5) has 6 "
                                "NaN values";
        QTest::newRow("infinite") << "1.0 / x.mean(dim=[2, 3])" << 3
                                  << "torchscript:%1: the output for batch 3 of 3 (images 4–5) "
                                     "has 6 infinite values";
        QTest::newRow("zero columns") << "x.flatten(1)[:, 0:0]" << 3
                                      << "torchscript:%1: %1: the model's output for a 1×3×4×4 "
                                         "input is 1×0: it gives 0 features per image";
        QTest::newRow("width set by the batch") << "torch.ones([12])" << 3
                                                << "torchscript:%1: output width changed from 12 "
                                                   "to 6 values per image at batch 1 of 3 "
                                                   "(images 0–1)";
        QTest::newRow("values not divisible") << "x.mean(dim=[2, 3]).sum(0)" << 3
                                              << "torchscript:%1: the model's output for images "
                                                 "0–1 has 3 values, not a whole number per image";
        QTest::newRow("first image only") << "x[0]" << 1
                                          << "torchscript:%1: the model's output for images 0–1 "
                                             "is 1×4×4, not one row per image (2 × d)";
        QTest::newRow("one number") << "x.sum()" << 3
                                    << "torchscript:%1: %1: the model's output for a 1×3×4×4 "
                                       "input is a single number, not one row per image (1 × d)";
    }
    void unusableOutputIsRefused() {
        QFETCH(QString, body);
        QFETCH(int, channels);
        QFETCH(QString, message);
        const auto path = saveModule(QStringLiteral("unusable.pt"), body.toStdString());
        const auto data = makeDataset(
            6, 4, channels, [](int i, int, int, int) { return i == 4 || i == 5 ? 0 : 255; });
        PriorOptions options;
        options.batchSize = 2;
        const auto prior = makeEmbedder("torchscript:" + path, options);
        QVERIFY(prior.ok());
        const auto embedded = (*prior)->embed(data, {});
        QVERIFY(!embedded.ok());
        QCOMPARE(embedded.error().code, ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(embedded.error().message),
                 message.arg(QString::fromStdString(path)));
    }
    void hugeOutputIsRefusedBeforeAllocating() {
        // 2^20 images of one pixel with 2^20 features each would need 4 TiB: more than half of
        // any machine this runs on. The probe's one row (4 MiB) is all that is allocated.
        constexpr int kCount = 1 << 20;
        const auto path =
            saveModule(QStringLiteral("huge.pt"), "torch.zeros([x.size(0), 1048576])");
        const auto data = makeDataset(kCount, 1, 1, [](int, int, int, int) { return 0; });
        const auto prior = makeEmbedder("torchscript:" + path, PriorOptions{});
        const auto embedded = (*prior)->embed(data, {});
        QVERIFY(!embedded.ok());
        QCOMPARE(embedded.error().code, ErrorCode::InvalidInput);
        const std::string& message = embedded.error().message;
        QVERIFY2(message.starts_with("torchscript:" + path +
                                     ": would need 4.0 TiB for 1,048,576 × 1,048,576 floats "
                                     "(more than the limit of "),
                 message.c_str());
        QVERIFY2(message.ends_with(", half this machine's memory)"), message.c_str());
    }
    void channelsAreConverted() {
        const auto path = saveModule(QStringLiteral("mean.pt"), "x.mean(dim=[2, 3])");
        const auto grey = randomDataset(3, 5, 1);
        PriorOptions three;
        three.inputChannels = 3;
        const Embedding e = embed("torchscript:" + path, three, grey);
        QCOMPARE(e.dim, 3);
        for (int i = 0; i < 3; ++i)
            for (int c = 0; c < 3; ++c)
                QVERIFY(std::abs(e.row(i)[c] - channelMean(grey, i, 0)) < 1e-5);
        const auto rgb = randomDataset(3, 5, 3);
        PriorOptions one;
        one.inputChannels = 1;
        const Embedding g = embed("torchscript:" + path, one, rgb);
        QCOMPARE(g.dim, 1);
        for (int i = 0; i < 3; ++i) {
            const double luma = 0.299 * channelMean(rgb, i, 0) + 0.587 * channelMean(rgb, i, 1) +
                                0.114 * channelMean(rgb, i, 2);
            QVERIFY(std::abs(g.row(i)[0] - luma) < 1.0 / 255); // grey pixels are rounded
        }
    }
    void meanAndStdNormalise() {
        const auto path = saveModule(QStringLiteral("mean.pt"), "x.mean(dim=[2, 3])");
        const auto data = randomDataset(2, 4, 3);
        PriorOptions options;
        options.mean = {0.1f, 0.2f, 0.3f};
        options.std = {1.0f, 2.0f, 4.0f};
        const Embedding e = embed("torchscript:" + path, options, data);
        for (int i = 0; i < 2; ++i)
            for (int c = 0; c < 3; ++c)
                QVERIFY(std::abs(e.row(i)[c] - (channelMean(data, i, c) - options.mean[c]) /
                                                   options.std[c]) < 1e-5);
        options.mean = {0.5f};
        options.std = {0.25f};
        const Embedding one = embed("torchscript:" + path, options, data);
        QVERIFY(std::abs(one.row(1)[2] - (channelMean(data, 1, 2) - 0.5) / 0.25) < 1e-5);
    }
    void inputIsResized() {
        // 2×2 blocks of one value: shrinking 6 → 3 by area averaging is exact.
        const auto path = saveModule(QStringLiteral("flat.pt"), "x.flatten(1)");
        const auto data = makeDataset(
            2, 6, 1, [](int i, int y, int x, int) { return 10 * (y / 2) + 40 * (x / 2) + i; });
        PriorOptions options;
        options.inputSize = 3;
        const auto prior = makeEmbedder("torchscript:" + path, options);
        QCOMPARE((*prior)->dim(), 0); // channels come from the dataset: probed in embed()
        const Embedding e = *(*prior)->embed(data, {});
        QCOMPARE(e.dim, 9);
        QCOMPARE((*prior)->dim(), 9);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 3; ++x)
                QVERIFY(std::abs(e.row(1)[y * 3 + x] - (10 * y + 40 * x + 1) / 255.0) < 1e-6);
    }
    void notTorchScriptIsAClearError() {
        const std::string path = m_dir.filePath(QStringLiteral("weights.pt")).toStdString();
        QVERIFY(gps::writeFileAtomic(path, std::string("a pickled state_dict, say")).ok());
        const auto made = makeEmbedder("torchscript:" + path, PriorOptions{});
        QCOMPARE(made.error().code, ErrorCode::InvalidInput);
        const QString message = QString::fromStdString(made.error().message);
        QVERIFY2(message.startsWith(QString::fromStdString(
                     "torchscript:" + path + ": " + path +
                     ": not a TorchScript module (save the "
                     "encoder with torch.jit.save(torch.jit.script(model)) or torch.jit.trace; "
                     "it must take N×C×H×W float images): ")),
                 qPrintable(message));
        QVERIFY(!message.contains(QLatin1Char('\n')));
    }
    void forwardFailureNamesTheInputShape() {
        const auto path = saveModule(QStringLiteral("fixed.pt"),
                                     "torch.matmul(x.flatten(1), torch.ones([12, 2]))");
        const std::string prefix = "torchscript:" + path + ": " + path + ": forward failed on a ";
        // Input shape known from the options: probed at once.
        PriorOptions fits;
        fits.inputSize = 2;
        fits.inputChannels = 3;
        const auto good = makeEmbedder("torchscript:" + path, fits);
        QVERIFY(good.ok());
        QCOMPARE((*good)->dim(), 2);
        PriorOptions wrong;
        wrong.inputSize = 4;
        wrong.inputChannels = 1;
        const auto bad = makeEmbedder("torchscript:" + path, wrong);
        QCOMPARE(bad.error().code, ErrorCode::InvalidInput);
        QVERIFY2(bad.error().message.starts_with(prefix + "1×1×4×4 float input (N×C×H×W): "),
                 bad.error().message.c_str());
        // The interpreter's own reason, not its generic first line or the script's traceback.
        QVERIFY2(bad.error().message.ends_with("RuntimeError: mat1 and mat2 shapes cannot be "
                                               "multiplied (1x16 and 12x2)"),
                 bad.error().message.c_str());
        // Shape from the dataset: probed by embed().
        const auto lazy = makeEmbedder("torchscript:" + path, PriorOptions{});
        const auto embedded = (*lazy)->embed(randomDataset(2, 6, 1), {});
        QCOMPARE(embedded.error().code, ErrorCode::InvalidInput);
        QVERIFY2(embedded.error().message.starts_with(prefix + "1×1×6×6 float input"),
                 embedded.error().message.c_str());
    }
    void inconsistentOptionsAreRejected() {
        const auto path = saveModule(QStringLiteral("mean.pt"), "x.mean(dim=[2, 3])");
        PriorOptions channels;
        channels.inputChannels = 2;
        QCOMPARE(makeEmbedder("torchscript:" + path, channels).error().code,
                 ErrorCode::InvalidInput);
        PriorOptions badStd;
        badStd.std = {0.0f};
        QCOMPARE(makeEmbedder("torchscript:" + path, badStd).error().code, ErrorCode::InvalidInput);
        PriorOptions twoMeans;
        twoMeans.mean = {0.5f, 0.5f};
        const auto prior = makeEmbedder("torchscript:" + path, twoMeans);
        const auto embedded = (*prior)->embed(randomDataset(1, 4, 3), {});
        QCOMPARE(QString::fromStdString(embedded.error().message),
                 QStringLiteral("torchscript: mean has 2 values for 3 input channels (expected 1 "
                                "or one per channel)"));
    }
    void runFolderUsesItsBackboneAndSettings() {
        QTemporaryDir run;
        const std::string dir = run.path().toStdString();
        gps::test::saveTorchScriptModule(dir + "/backbone.pt", "x.flatten(1) * 2.0");
        QVERIFY(gps::writeFileAtomic(dir + "/backbone.json",
                                     std::string(R"({"input_size": 4, "input_channels": 1,
                                                    "mean": [0.5], "std": [0.5]})"))
                    .ok());
        const auto prior = makeEmbedder("run:" + dir, PriorOptions{});
        QVERIFY2(prior.ok(), prior.ok() ? "" : prior.error().message.c_str());
        QCOMPARE(QString::fromStdString((*prior)->spec()), QString::fromStdString("run:" + dir));
        QCOMPARE((*prior)->dim(), 16); // probed at once: the run fixes size and channels
        const auto data = makeDataset(1, 4, 3, [](int, int, int, int) { return 255; });
        const Embedding e = *(*prior)->embed(data, {});
        for (float v : e.values)
            QVERIFY(std::abs(v - 2.0f) < 1e-5f); // (1 − 0.5) / 0.5 · 2
        QVERIFY(gps::writeFileAtomic(dir + "/backbone.json", std::string(R"({"input_size": "4"})"))
                    .ok());
        const auto bad = makeEmbedder("run:" + dir, PriorOptions{});
        QCOMPARE(bad.error().code, ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(bad.error().message),
                 QString::fromStdString(dir + "/backbone.json: input_size: expected an integer"));
    }
    void nonFiniteOutputIsNeverCached() {
        const auto path = saveModule(QStringLiteral("nan.pt"), "(x - x).mean(dim=[2, 3]) / 0.0");
        const auto data = randomDataset(3, 4, 1);
        const std::filesystem::path folder =
            m_dir.filePath(QStringLiteral("nan-cache")).toStdString();
        const auto result =
            computeEmbedding(data, data, "torchscript:" + path, {}, {folder, true}, {}, nullptr);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        QVERIFY2(result.error().message.ends_with("has 3 NaN values"),
                 result.error().message.c_str());
        for (const auto& entry : std::filesystem::directory_iterator(folder))
            QFAIL(qPrintable(QString::fromStdString("cached: " + entry.path().string())));
    }
    void replacingTheModuleInvalidatesTheCache() {
        const auto data = randomDataset(3, 4, 1);
        const auto path = saveModule(QStringLiteral("cached.pt"), "x.mean(dim=[2, 3])");
        const CacheOptions cache{m_dir.filePath(QStringLiteral("cache")).toStdString(), true};
        const std::string spec = "torchscript:" + path;
        EmbedReport first, second, third;
        const auto a = computeEmbedding(data, data, spec, {}, cache, {}, &first);
        const auto b = computeEmbedding(data, data, spec, {}, cache, {}, &second);
        QVERIFY(a.ok() && b.ok() && !first.hit && second.hit);
        QVERIFY(a->values == b->values);
        saveModule(QStringLiteral("cached.pt"), "x.mean(dim=[2, 3]) + 1.0");
        // The size may well be unchanged; make sure the modification time is not.
        std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) +
                                                   std::chrono::seconds(5));
        const auto c = computeEmbedding(data, data, spec, {}, cache, {}, &third);
        QVERIFY(c.ok() && !third.hit);
        QVERIFY(std::abs(c->values[0] - a->values[0] - 1.0f) < 1e-5f);
    }
};

QTEST_APPLESS_MAIN(TestTorchScriptPrior)
#include "tst_torchscript_prior.moc"
