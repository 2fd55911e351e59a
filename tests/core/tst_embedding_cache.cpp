// computeEmbedding and its on-disk cache: hits, what makes a miss, reuse of a fitted state,
// corrupt and damaged entries, non-finite fits, cancellation, progress, and the dataset
// fingerprint.

#include "common/file_io.h"
#include "common/npy.h"
#include "common/rng.h"
#include "data/in_memory_dataset.h"
#include "priors/embedding_cache.h"
#include "priors/pca.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

using namespace gps::priors;
using gps::ErrorCode;
using gps::data::InMemoryDataset;
namespace fs = std::filesystem;

namespace {

struct Images {
    int count = 0, side = 0;
    std::vector<std::uint8_t> pixels;
    std::vector<int> labels;
    std::string split = "train";

    InMemoryDataset dataset() const {
        gps::data::InMemoryParts parts;
        parts.images = gps::data::ImageBlock(std::size_t(count), {side, side, 1});
        std::copy(pixels.begin(), pixels.end(), parts.images.data());
        parts.labels = labels;
        parts.classNames = {"a", "b", "c"};
        parts.split = split;
        parts.format = "memory";
        return InMemoryDataset(std::move(parts));
    }
};

Images randomImages(int count, int side, std::uint64_t seed) {
    gps::Rng rng(seed);
    Images images{count, side, std::vector<std::uint8_t>(std::size_t(count) * side * side), {}};
    for (auto& p : images.pixels)
        p = std::uint8_t(rng.below(256));
    for (int i = 0; i < count; ++i)
        images.labels.push_back(i % 3);
    return images;
}

bool sameFloats(const Embedding& a, const Embedding& b) {
    return a.rows == b.rows && a.dim == b.dim && a.values == b.values;
}

std::size_t countFiles(const fs::path& folder, const std::string& extension) {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        n += entry.path().extension() == extension;
    return n;
}

// The one .state file in `folder`.
fs::path stateFileIn(const fs::path& folder) {
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.path().extension() == ".state")
            return entry.path();
    return {};
}

// Flips one bit of the last byte of `file` in place: damage that keeps the size.
void flipLastByte(const fs::path& file) {
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(-1, std::ios::end);
    const char byte = char(io.get());
    io.seekp(-1, std::ios::end);
    io.put(char(byte ^ 0x10));
}

} // namespace

class TestEmbeddingCache : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_folders = 0;

    CacheOptions freshCache() {
        return {m_dir.filePath(QStringLiteral("cache%1").arg(++m_folders)).toStdString(), true};
    }

    static Embedding compute(const gps::data::Dataset& train, const gps::data::Dataset& target,
                             const std::string& spec, const PriorOptions& options,
                             const CacheOptions& cache, EmbedReport* report) {
        auto result = computeEmbedding(train, target, spec, options, cache, {}, report);
        if (!result)
            qFatal("%s", result.error().message.c_str());
        return std::move(result).value();
    }

private Q_SLOTS:
    void secondCallIsAHitWithIdenticalValues() {
        const auto data = randomImages(400, 28, 1).dataset();
        const CacheOptions cache = freshCache();
        EmbedReport miss, hit;
        const Embedding a = compute(data, data, "random-cnn", {}, cache, &miss);
        QVERIFY(!miss.hit);
        QCOMPARE(QString::fromStdString(miss.spec), QStringLiteral("random-cnn"));
        QVERIFY(fs::exists(miss.file));
        QVERIFY(fs::exists(fs::path(miss.file).replace_extension(".json")));
        QVERIFY(miss.file.parent_path() == cache.folder);
        QVERIFY(miss.warnings.empty());
        const Embedding b = compute(data, data, "random-cnn", {}, cache, &hit);
        QVERIFY(hit.hit);
        QVERIFY(hit.file == miss.file);
        QVERIFY(sameFloats(a, b));
    }
    void anyChangeMisses_data() {
        QTest::addColumn<QString>("change");
        QTest::newRow("one pixel") << "pixel";
        QTest::newRow("one label") << "label";
        QTest::newRow("split name") << "split";
        QTest::newRow("seed") << "seed";
        QTest::newRow("spec") << "spec";
    }
    void anyChangeMisses() {
        QFETCH(QString, change);
        Images images = randomImages(50, 8, 2);
        const auto original = images.dataset();
        const CacheOptions cache = freshCache();
        EmbedReport first, again, changed;
        const Embedding base = compute(original, original, "random-cnn", {}, cache, &first);
        compute(original, original, "random-cnn", {}, cache, &again);
        QVERIFY(again.hit);

        PriorOptions options;
        std::string spec = "random-cnn";
        if (change == QStringLiteral("pixel"))
            images.pixels[17 * 64 + 5] ^= 1;
        else if (change == QStringLiteral("label"))
            images.labels[3] = (images.labels[3] + 1) % 3;
        else if (change == QStringLiteral("split"))
            images.split = "test";
        else if (change == QStringLiteral("seed"))
            options.seed = 1;
        else
            spec = "hog";
        const auto edited = images.dataset();
        const Embedding other = compute(edited, edited, spec, options, cache, &changed);
        QVERIFY(!changed.hit);
        QVERIFY(changed.key != first.key);
        if (change == QStringLiteral("pixel") || change == QStringLiteral("seed"))
            QVERIFY(!sameFloats(base, other));
    }
    void optionsAPriorIgnoresStillHit() {
        const auto data = randomImages(20, 6, 3).dataset();
        const CacheOptions cache = freshCache();
        EmbedReport first, second;
        compute(data, data, "pca:2", {}, cache, &first);
        PriorOptions options;
        options.epochs = 77;
        options.inputSize = 224;
        options.standardize = true;
        compute(data, data, "pca:2", options, cache, &second);
        QVERIFY(second.hit);
        options.seed = 5;
        compute(data, data, "pca:2", options, cache, &second);
        QVERIFY(!second.hit);
    }
    void fittedStateIsReusedForAnotherSplit() {
        const auto train = randomImages(80, 7, 4).dataset();
        Images testImages = randomImages(30, 7, 5);
        testImages.split = "test";
        const auto test = testImages.dataset();
        const CacheOptions cache = freshCache();
        EmbedReport fit, reuse;
        compute(train, train, "pca:3", {}, cache, &fit);
        QVERIFY(!fit.stateLoaded);
        QCOMPARE(countFiles(cache.folder, ".state"), std::size_t(1));
        const Embedding viaCache = compute(train, test, "pca:3", {}, cache, &reuse);
        QVERIFY(!reuse.hit);
        QVERIFY(reuse.stateLoaded);
        PcaPrior direct(3, PriorOptions{});
        QVERIFY(direct.fit(train, {}).ok());
        QVERIFY(sameFloats(viaCache, *direct.embed(test, {})));
    }
    void corruptEntriesAreRecomputed_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("content");
        QTest::newRow("npy garbage") << "npy"
                                     << "not an array";
        QTest::newRow("npy empty") << "npy"
                                   << "";
        QTest::newRow("json garbage") << "json"
                                      << "{ broken";
        QTest::newRow("json of another entry") << "json"
                                               << R"({"key": "0123", "dim": 3})";
        QTest::newRow("state garbage") << "state"
                                       << "junk";
    }
    void corruptEntriesAreRecomputed() {
        QFETCH(QString, file);
        QFETCH(QString, content);
        const auto train = randomImages(60, 6, 6).dataset();
        Images testImages = randomImages(10, 6, 7);
        testImages.split = "test";
        const auto test = testImages.dataset();
        const CacheOptions cache = freshCache();
        EmbedReport first, broken, healed;
        // For "state", the damaged file is the fit a later split would reuse.
        const bool state = file == QStringLiteral("state");
        const Embedding good = compute(train, state ? train : test, "pca:3", {}, cache, &first);
        fs::path target = first.file;
        target.replace_extension(QStringLiteral(".%1").arg(file).toStdString());
        for (const auto& entry : fs::directory_iterator(cache.folder))
            if (state && entry.path().extension() == ".state")
                target = entry.path();
        QVERIFY(fs::exists(target));
        QVERIFY(gps::writeFileAtomic(target, content.toStdString()).ok());

        const Embedding again = compute(train, test, "pca:3", {}, cache, &broken);
        QVERIFY(!broken.hit);
        QCOMPARE(broken.stateLoaded, !state); // a broken entry still reuses an intact fit
        QCOMPARE(broken.warnings.size(), std::size_t(1));
        QVERIFY2(broken.warnings[0].find(state ? "fitting again" : "recomputing") !=
                     std::string::npos,
                 broken.warnings[0].c_str());
        if (!state)
            QVERIFY(sameFloats(good, again));
        compute(train, test, "pca:3", {}, cache, &healed);
        QVERIFY(healed.hit);
        QVERIFY(healed.warnings.empty());
    }
    void sameSizeDamageIsNeverServed_data() {
        QTest::addColumn<bool>("state");
        QTest::newRow("embedding") << false;
        QTest::newRow("fit") << true;
    }
    void sameSizeDamageIsNeverServed() {
        QFETCH(bool, state);
        const auto train = randomImages(60, 6, 14).dataset();
        Images testImages = randomImages(10, 6, 15);
        testImages.split = "test";
        const auto test = testImages.dataset();
        const CacheOptions cache = freshCache();
        EmbedReport first, damaged, healed;
        compute(train, state ? train : test, "pca:3", {}, cache, &first);
        const fs::path target = state ? stateFileIn(cache.folder) : first.file;
        const auto size = fs::file_size(target);
        flipLastByte(target);
        QCOMPARE(fs::file_size(target), size);

        const Embedding again = compute(train, test, "pca:3", {}, cache, &damaged);
        QVERIFY(!damaged.hit);
        QCOMPARE(damaged.stateLoaded, !state);
        QCOMPARE(damaged.warnings.size(), std::size_t(1));
        const std::string expected = state ? "cached fit " + target.string() +
                                                 " was damaged (checksum mismatch); fitting again"
                                           : "embedding cache entry " + first.key +
                                                 " was damaged (checksum mismatch); recomputing";
        QCOMPARE(QString::fromStdString(damaged.warnings[0]), QString::fromStdString(expected));
        PcaPrior direct(3, PriorOptions{});
        QVERIFY(direct.fit(train, {}).ok());
        QVERIFY(sameFloats(again, *direct.embed(test, {})));

        // The damaged file was rewritten: the entry is a hit, the fit is reused.
        QVERIFY(sameFloats(again, compute(train, test, "pca:3", {}, cache, &healed)));
        QVERIFY(healed.hit);
        QVERIFY(healed.warnings.empty());
        if (state) {
            Images valImages = randomImages(5, 6, 16);
            valImages.split = "val";
            EmbedReport reused;
            compute(train, valImages.dataset(), "pca:3", {}, cache, &reused);
            QVERIFY(reused.stateLoaded);
            QVERIFY(reused.warnings.empty());
        }
    }
    void nanInAFitIsNamedAndNeverCached() {
        const auto train = randomImages(60, 6, 17).dataset();
        Images testImages = randomImages(10, 6, 18);
        testImages.split = "test";
        const auto test = testImages.dataset();
        const CacheOptions cache = freshCache();
        EmbedReport first, refit, hit;
        compute(train, train, "pca:3", {}, cache, &first);
        // A NaN among the components, in a valid .npy of the same size.
        const fs::path stateFile = stateFileIn(cache.folder);
        auto array = gps::readNpy(stateFile);
        QVERIFY(array.ok());
        const double nan = std::numeric_limits<double>::quiet_NaN();
        std::memcpy(array->bytes.data() + array->bytes.size() - sizeof nan, &nan, sizeof nan);
        QVERIFY(gps::writeNpy(stateFile, array->dtype, array->shape, array->bytes.data()).ok());

        PcaPrior direct(3, PriorOptions{});
        const gps::Status loaded = direct.loadState(stateFile);
        QCOMPARE(loaded.error().code, ErrorCode::Corrupt);
        QCOMPARE(QString::fromStdString(loaded.error().message),
                 QString::fromStdString("pca:3 state: " + stateFile.string() +
                                        ": holds 1 NaN value (the file is damaged)"));

        const Embedding e = compute(train, test, "pca:3", {}, cache, &refit);
        QVERIFY(!refit.stateLoaded);
        QCOMPARE(refit.warnings.size(), std::size_t(1));
        QVERIFY2(refit.warnings[0].ends_with("; fitting again"), refit.warnings[0].c_str());
        QVERIFY(std::all_of(e.values.begin(), e.values.end(),
                            [](float v) { return std::isfinite(v); }));
        QVERIFY(sameFloats(e, compute(train, test, "pca:3", {}, cache, &hit)));
        QVERIFY(hit.hit);
    }
    void cancelReturnsCancelledAndCachesNothing_data() {
        QTest::addColumn<double>("stopAt");
        QTest::newRow("at once") << 0.0;
        QTest::newRow("while fitting") << 0.2;
        QTest::newRow("while embedding") << 0.7;
    }
    void cancelReturnsCancelledAndCachesNothing() {
        QFETCH(double, stopAt);
        const auto data = randomImages(3000, 8, 8).dataset();
        const CacheOptions cache = freshCache();
        double last = -1;
        const auto stop = [&](double fraction, std::string_view) {
            last = fraction;
            return fraction < stopAt;
        };
        const auto result = computeEmbedding(data, data, "pca:4", {}, cache, stop, nullptr);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QVERIFY(last >= stopAt && last < stopAt + 0.35);
        QCOMPARE(countFiles(cache.folder, ".json"), std::size_t(0));
    }
    void progressRunsFromZeroToOneThroughFitAndEmbed() {
        const auto data = randomImages(3000, 8, 9).dataset();
        std::vector<double> fractions;
        const auto record = [&](double fraction, std::string_view) {
            fractions.push_back(fraction);
            return true;
        };
        const auto result =
            computeEmbedding(data, data, "pca:4", {}, freshCache(), record, nullptr);
        QVERIFY(result.ok());
        QCOMPARE(fractions.front(), 0.0);
        QCOMPARE(fractions.back(), 1.0);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        const auto inFit = std::count_if(fractions.begin(), fractions.end(),
                                         [](double f) { return f > 0 && f < 0.5; });
        const auto inEmbed = std::count_if(fractions.begin(), fractions.end(),
                                           [](double f) { return f > 0.5 && f < 1; });
        QVERIFY(inFit >= 2 && inEmbed >= 2);
    }
    void disabledCacheWritesNothing() {
        const auto data = randomImages(10, 5, 10).dataset();
        CacheOptions cache = freshCache();
        cache.enabled = false;
        EmbedReport report;
        const Embedding e = compute(data, data, "hog", {}, cache, &report);
        QCOMPARE(e.rows, 10);
        QVERIFY(!report.hit && report.key.empty() && report.file.empty());
        QVERIFY(!fs::exists(cache.folder));
    }
    void pixelsAndNpyAreNotCached() {
        // Reading them back would cost more than computing them (see embedding_cache.h).
        const auto data = randomImages(4, 5, 11).dataset();
        const fs::path file = m_dir.filePath(QStringLiteral("emb.npy")).toStdString();
        std::vector<float> values = {1, 2, 3, 4, 5, 6, 7, 8};
        QVERIFY(gps::writeNpy(file, "<f4", {4, 2}, values.data()).ok());
        const CacheOptions cache = freshCache();
        EmbedReport report;
        const std::string spec = "npy:" + file.string();
        QVERIFY(compute(data, data, spec, {}, cache, &report).values == values);
        values[0] = 42;
        QVERIFY(gps::writeNpy(file, "<f4", {4, 2}, values.data()).ok());
        QCOMPARE(compute(data, data, spec, {}, cache, &report).values[0], 42.0f);
        QVERIFY(!report.hit && report.key.empty() && report.file.empty());
        PriorOptions standardize;
        standardize.standardize = true;
        compute(data, data, "pixels", standardize, cache, &report);
        compute(data, data, "pixels", standardize, cache, &report);
        QVERIFY(!report.hit && report.key.empty());
        QCOMPARE(countFiles(cache.folder, ".npy") + countFiles(cache.folder, ".state"),
                 std::size_t(0));
    }
    void unwritableCacheStillComputes() {
        const auto data = randomImages(5, 4, 12).dataset();
        const fs::path blocker = m_dir.filePath(QStringLiteral("a-file")).toStdString();
        QVERIFY(gps::writeFileAtomic(blocker, std::string("x")).ok());
        EmbedReport report;
        const Embedding e = compute(data, data, "hog", {}, {blocker / "cache", true}, &report);
        QCOMPARE(e.rows, 5);
        QCOMPARE(report.warnings.size(), std::size_t(1));
        QVERIFY(report.warnings[0].find("not caching") != std::string::npos);
    }
    void fingerprintFollowsTheData() {
        Images images = randomImages(30, 6, 13);
        const std::string base = datasetFingerprint(images.dataset());
        QCOMPARE(datasetFingerprint(images.dataset()), base);
        QVERIFY(QString::fromStdString(base).startsWith(
            QStringLiteral("memory/train n=30 6x6x1 classes=3 pixels=all hash=")));
        images.pixels.back() ^= 0x80;
        QVERIFY(datasetFingerprint(images.dataset()) != base);
        images.pixels.back() ^= 0x80;
        images.labels[0] = 2;
        QVERIFY(datasetFingerprint(images.dataset()) != base);
    }
    void defaultFolderFollowsXdg() {
        const QByteArray xdg = qgetenv("XDG_CACHE_HOME"), home = qgetenv("HOME");
        qputenv("XDG_CACHE_HOME", "/tmp/xdg");
        QVERIFY(defaultCacheFolder() == fs::path("/tmp/xdg/gps-studio"));
        qunsetenv("XDG_CACHE_HOME");
        qputenv("HOME", "/home/someone");
        QVERIFY(defaultCacheFolder() == fs::path("/home/someone/.cache/gps-studio"));
        xdg.isNull() ? qunsetenv("XDG_CACHE_HOME") : qputenv("XDG_CACHE_HOME", xdg);
        qputenv("HOME", home);
    }
};

QTEST_APPLESS_MAIN(TestEmbeddingCache)
#include "tst_embedding_cache.moc"
