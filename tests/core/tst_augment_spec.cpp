#include "augment/presets.h"
#include "augment/spec.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <fstream>

using namespace gps::augment;
using gps::ErrorCode;

namespace {

QString message(const gps::Result<AugmentSpec>& result) {
    return result.ok() ? QStringLiteral("<parsed>")
                       : QString::fromStdString(result.error().message);
}

AugmentSpec oddSpec() {
    AugmentSpec spec;
    spec.name = "odd \"quoted\" name";
    spec.crop = {CropSpec::Kind::Resize, 96, {0.1 + 0.2, 1.0}, {0.3, 7.0 / 3.0}};
    spec.jitter = {0.1, 1.0 / 3.0, 2.5, 0.5, 0.123456789012345};
    spec.grayscaleP = 1e-9;
    spec.blur = {1.0, {0.1, 0.1}};
    spec.solarize = {0.2, 256};
    spec.flipP = 0;
    spec.normalize = {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};
    return spec;
}

} // namespace

class TestAugmentSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badInputNamesTheKey_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* name, const char* json, const char* expected) {
            QTest::newRow(name) << QString::fromUtf8(json) << QString::fromUtf8(expected);
        };
        row("p above 1", R"({"jitter": {"p": 1.5}})",
            "jitter.p: must be a number in [0, 1], got 1.5");
        row("p not a number", R"({"jitter": {"p": "high"}})",
            R"(jitter.p: must be a number in [0, 1], got "high")");
        row("p boolean", R"({"grayscale": {"p": true}})",
            "grayscale.p: must be a number in [0, 1], got true");
        row("negative flip", R"({"flip": {"p": -1}})",
            "flip.p: must be a number in [0, 1], got -1");
        row("blur p", R"({"blur": {"p": 2}})", "blur.p: must be a number in [0, 1], got 2");
        row("solarize p", R"({"solarize": {"p": 1.01}})",
            "solarize.p: must be a number in [0, 1], got 1.01");
        row("unknown kind", R"({"crop": {"kind": "zoom"}})",
            "crop.kind: unknown 'zoom' (expected resize or random_resized)");
        row("kind not a string", R"({"crop": {"kind": 3}})",
            "crop.kind: must be resize or random_resized, got 3");
        row("unknown top key", R"({"blurr": {"p": 0.5}})",
            "blurr: unknown key (expected one of name, crop, jitter, grayscale, blur, solarize, "
            "flip, normalize)");
        row("unknown nested key", R"({"crop": {"sizes": 32}})",
            "crop.sizes: unknown key (expected one of kind, size, scale, ratio)");
        row("unknown jitter key", R"({"jitter": {"gamma": 1}})",
            "jitter.gamma: unknown key (expected one of brightness, contrast, saturation, hue, p)");
        row("size too big", R"({"crop": {"size": 5000}})",
            "crop.size: must be an integer in [0, 4096], got 5000");
        row("size fractional", R"({"crop": {"size": 12.5}})",
            "crop.size: must be an integer in [0, 4096], got 12.5");
        row("size negative", R"({"crop": {"size": -1}})",
            "crop.size: must be an integer in [0, 4096], got -1");
        row("scale reversed", R"({"crop": {"scale": [0.5, 0.2]}})",
            "crop.scale: must be [lo, hi] with 0 < lo <= hi <= 1, got [0.5, 0.2]");
        row("scale zero", R"({"crop": {"scale": [0, 1]}})",
            "crop.scale: must be [lo, hi] with 0 < lo <= hi <= 1, got [0, 1]");
        row("scale above 1", R"({"crop": {"scale": [0.5, 1.5]}})",
            "crop.scale: must be [lo, hi] with 0 < lo <= hi <= 1, got [0.5, 1.5]");
        row("scale not a pair", R"({"crop": {"scale": 0.5}})",
            "crop.scale: must be [lo, hi] with 0 < lo <= hi <= 1, got 0.5");
        row("ratio reversed", R"({"crop": {"ratio": [2, 1]}})",
            "crop.ratio: must be [lo, hi] with 0 < lo <= hi, got [2, 1]");
        row("brightness negative", R"({"jitter": {"brightness": -0.1}})",
            "jitter.brightness: must be a number >= 0, got -0.1");
        row("contrast string", R"({"jitter": {"contrast": "x"}})",
            R"(jitter.contrast: must be a number >= 0, got "x")");
        row("saturation negative", R"({"jitter": {"saturation": -2}})",
            "jitter.saturation: must be a number >= 0, got -2");
        row("hue too big", R"({"jitter": {"hue": 0.6}})",
            "jitter.hue: must be a number in [0, 0.5], got 0.6");
        row("section not an object", R"({"jitter": 0.8})", "jitter: must be an object, got 0.8");
        row("sigma zero", R"({"blur": {"sigma": [0, 2]}})",
            "blur.sigma: must be [lo, hi] with 0 < lo <= hi, got [0, 2]");
        row("sigma three values", R"({"blur": {"sigma": [1, 2, 3]}})",
            "blur.sigma: must be [lo, hi] with 0 < lo <= hi, got [1,2,3]");
        row("threshold", R"({"solarize": {"threshold": 300}})",
            "solarize.threshold: must be an integer in [0, 256], got 300");
        row("mean two values", R"({"normalize": {"mean": [0.5, 0.5]}})",
            "normalize.mean: must be an array of 1 or 3 numbers, got [0.5, 0.5]");
        row("mean not numbers", R"({"normalize": {"mean": ["a"]}})",
            R"(normalize.mean: must be an array of 1 or 3 numbers, got ["a"])");
        row("std zero", R"({"normalize": {"std": [0]}})",
            "normalize.std: must be an array of 1 or 3 numbers > 0, got [0]");
        row("name not a string", R"({"name": 3})", "name: must be a string, got 3");
        row("not an object", "[1, 2]", "spec: must be a JSON object, got [1,2]");
        row("first problem wins", R"({"crop": {"size": -1}, "jitter": {"p": 3}})",
            "crop.size: must be an integer in [0, 4096], got -1");
    }
    void badInputNamesTheKey() {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const auto result = parseAugmentSpec(json.toStdString());
        QCOMPARE(message(result), expected);
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
    }

    void syntaxErrorsGiveLineAndColumn_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("where");
        QTest::newRow("trailing comma") << QStringLiteral("{\"flip\": {\"p\": 0.5,}}")
                                        << QStringLiteral("invalid JSON at line 1, column 20: ");
        QTest::newRow("missing comma")
            << QStringLiteral("{\n  \"flip\": {\"p\": 0.5}\n  \"blur\": {}\n}")
            << QStringLiteral("invalid JSON at line 3, column 8: ");
        QTest::newRow("empty") << QString() << QStringLiteral("invalid JSON at line 1, column 1: ");
    }
    void syntaxErrorsGiveLineAndColumn() {
        QFETCH(QString, json);
        QFETCH(QString, where);
        const auto result = parseAugmentSpec(json.toStdString());
        QVERIFY2(message(result).startsWith(where), qPrintable(message(result)));
        QVERIFY(!message(result).contains(QStringLiteral("json.exception")));
    }

    void emptyObjectKeepsDefaults() {
        const auto result = parseAugmentSpec("{}");
        QVERIFY(result.ok());
        QVERIFY(*result == AugmentSpec{});
    }

    void everyKeyIsRead() {
        const auto result = parseAugmentSpec(R"({
            "name": "mine",  // comments are allowed
            "crop": {"kind": "resize", "size": 64, "scale": [0.2, 0.9], "ratio": [0.5, 2]},
            "jitter": {"brightness": 0.1, "contrast": 0.2, "saturation": 0.3, "hue": 0.4, "p": 0.5},
            "grayscale": {"p": 0.6}, "blur": {"p": 0.7, "sigma": [0.3, 1.5]},
            "solarize": {"p": 0.8, "threshold": 100}, "flip": {"p": 0.9},
            "normalize": {"mean": [0.1, 0.2, 0.3], "std": [2]}})");
        QVERIFY2(result.ok(), qPrintable(message(result)));
        AugmentSpec expected;
        expected.name = "mine";
        expected.crop = {CropSpec::Kind::Resize, 64, {0.2, 0.9}, {0.5, 2.0}};
        expected.jitter = {0.1, 0.2, 0.3, 0.4, 0.5};
        expected.grayscaleP = 0.6;
        expected.blur = {0.7, {0.3, 1.5}};
        expected.solarize = {0.8, 100};
        expected.flipP = 0.9;
        expected.normalize = {{0.1f, 0.2f, 0.3f}, {2.0f}};
        QVERIFY(*result == expected);
    }

    void roundTrip_data() {
        QTest::addColumn<int>("which");
        QTest::newRow("defaults") << 0;
        QTest::newRow("odd values") << 1;
        for (int i = 0; i < 4; ++i)
            QTest::addRow("preset %d", i) << 2 + i;
    }
    void roundTrip() {
        QFETCH(int, which);
        AugmentSpec spec;
        if (which == 1)
            spec = oddSpec();
        else if (which >= 2)
            spec = *presetSpec(presetNames()[which - 2], {96, 96, 3});
        const std::string text = augmentSpecToJson(spec);
        const auto back = parseAugmentSpec(text);
        QVERIFY2(back.ok(), qPrintable(message(back)));
        QVERIFY2(*back == spec, text.c_str());
        QCOMPARE(augmentSpecToJson(*back), text);
    }

    void toJsonWritesEveryKeyReadably() {
        const auto json = nlohmann::json::parse(augmentSpecToJson(oddSpec()));
        const std::map<std::string, std::vector<std::string>> keys = {
            {"crop", {"kind", "size", "scale", "ratio"}},
            {"jitter", {"brightness", "contrast", "saturation", "hue", "p"}},
            {"grayscale", {"p"}},
            {"blur", {"p", "sigma"}},
            {"solarize", {"p", "threshold"}},
            {"flip", {"p"}},
            {"normalize", {"mean", "std"}}};
        QVERIFY(json.contains("name"));
        QCOMPARE(json.size(), keys.size() + 1);
        for (const auto& [section, names] : keys) {
            QCOMPARE(json.at(section).size(), names.size());
            for (const auto& name : names)
                QVERIFY2(json.at(section).contains(name), (section + "." + name).c_str());
        }
        // Floats are written as their shortest decimal, not as widened doubles.
        QVERIFY(augmentSpecToJson(oddSpec()).find("0.485,") != std::string::npos);
    }

    void validateCatchesSpecsBuiltInCode() {
        AugmentSpec spec;
        QVERIFY(validateAugmentSpec(spec).ok());
        spec.jitter.p = std::nan("");
        QCOMPARE(QString::fromStdString(validateAugmentSpec(spec).error().message),
                 QStringLiteral("jitter.p: must be a number in [0, 1], got nan"));
        spec = AugmentSpec{};
        spec.blur.sigma = {0.5, INFINITY};
        QCOMPARE(QString::fromStdString(validateAugmentSpec(spec).error().message),
                 QStringLiteral("blur.sigma: must be [lo, hi] with 0 < lo <= hi, got [0.5, inf]"));
        spec = AugmentSpec{};
        spec.normalize.std = {1.0f, -1.0f, 1.0f};
        QCOMPARE(validateAugmentSpec(spec).error().code, ErrorCode::InvalidInput);
    }

    void loadReadsFilesAndNamesThem() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string missing = dir.filePath(QStringLiteral("nope.json")).toStdString();
        const auto notFound = loadAugmentSpec(missing);
        QCOMPARE(notFound.error().code, ErrorCode::NotFound);
        QVERIFY(message(notFound).contains(QString::fromStdString(missing)));

        const std::string good = dir.filePath(QStringLiteral("good.json")).toStdString();
        std::ofstream(good) << augmentSpecToJson(oddSpec());
        const auto loaded = loadAugmentSpec(good);
        QVERIFY2(loaded.ok(), qPrintable(message(loaded)));
        QVERIFY(*loaded == oddSpec());

        const std::string bad = dir.filePath(QStringLiteral("bad.json")).toStdString();
        std::ofstream(bad) << R"({"flip": {"p": 2}})";
        QCOMPARE(message(loadAugmentSpec(bad)),
                 QString::fromStdString(bad + ": flip.p: must be a number in [0, 1], got 2"));
    }

    // --- presets ---------------------------------------------------------------------------

    void presetsHaveTheReferenceParameters_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("side");
        QTest::addColumn<bool>("randomCrop");
        QTest::addColumn<double>("colour"); // brightness = contrast = saturation
        QTest::addColumn<double>("hue");
        QTest::addColumn<double>("jitterP");
        QTest::addColumn<double>("grayP");
        QTest::addColumn<double>("blurP");
        const auto rows = [](int side, double blur) {
            QTest::addRow("weak/%d", side)
                << QStringLiteral("weak") << side << false << 0.0 << 0.0 << 0.0 << 0.0 << 0.0;
            QTest::addRow("strong/%d", side)
                << QStringLiteral("strong") << side << true << 0.8 << 0.2 << 0.8 << 0.2 << blur;
            QTest::addRow("strong_soft/%d", side) << QStringLiteral("strong_soft") << side << true
                                                  << 0.4 << 0.1 << 0.8 << 0.2 << blur;
            QTest::addRow("crop_flip/%d", side)
                << QStringLiteral("crop_flip") << side << true << 0.0 << 0.0 << 0.0 << 0.0 << 0.0;
        };
        // The reference's CIFAR recipe keeps the blur at 32 px, so the presets keep it everywhere.
        rows(28, 0.5);
        rows(32, 0.5);
        rows(33, 0.5);
        rows(96, 0.5);
    }
    void presetsHaveTheReferenceParameters() {
        QFETCH(QString, name);
        QFETCH(int, side);
        QFETCH(bool, randomCrop);
        QFETCH(double, colour);
        QFETCH(double, hue);
        QFETCH(double, jitterP);
        QFETCH(double, grayP);
        QFETCH(double, blurP);
        const auto result = presetSpec(name.toStdString(), {side, side, 3});
        QVERIFY(result.ok());
        const AugmentSpec& spec = *result;
        QCOMPARE(QString::fromStdString(spec.name), name);
        QCOMPARE(spec.crop.kind,
                 randomCrop ? CropSpec::Kind::RandomResized : CropSpec::Kind::Resize);
        QCOMPARE(spec.crop.size, side);
        if (randomCrop) {
            QVERIFY((spec.crop.scale == std::array<double, 2>{0.08, 1.0}));
            QVERIFY((spec.crop.ratio == std::array<double, 2>{3.0 / 4.0, 4.0 / 3.0}));
        }
        QCOMPARE(spec.jitter.brightness, colour);
        QCOMPARE(spec.jitter.contrast, colour);
        QCOMPARE(spec.jitter.saturation, colour);
        QCOMPARE(spec.jitter.hue, hue);
        QCOMPARE(spec.jitter.p, jitterP);
        QCOMPARE(spec.grayscaleP, grayP);
        QCOMPARE(spec.blur.p, blurP);
        QVERIFY((spec.blur.sigma == std::array<double, 2>{0.1, 2.0}));
        QCOMPARE(spec.solarize.p, 0.0);
        QCOMPARE(spec.flipP, 0.5);
        QVERIFY(spec.normalize.mean.empty() && spec.normalize.std.empty());
        QVERIFY(validateAugmentSpec(spec).ok());
    }

    void unknownPresetListsTheKnownOnes() {
        QVERIFY((presetNames() ==
                 std::vector<std::string>{"weak", "strong", "strong_soft", "crop_flip"}));
        const auto result = presetSpec("strongest", {32, 32, 3});
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        QCOMPARE(message(result),
                 QStringLiteral("unknown augmentation preset 'strongest' (expected "
                                "one of weak, strong, strong_soft, crop_flip)"));
    }
};

QTEST_APPLESS_MAIN(TestAugmentSpec)
#include "tst_augment_spec.moc"
