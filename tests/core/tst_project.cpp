// Project files: validation messages with key paths, defaults, the method's recipe defaults,
// --set overrides, the JSON round trip, loading files and resolving relative paths.
#include "augment/presets.h"
#include "models/backbone.h"
#include "priors/registry.h"
#include "project/project.h"
#include "ssl/registry.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

namespace fs = std::filesystem;
using gps::project::Project;
using nlohmann::json;

namespace {

std::string join(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

QString u8(const char* text) {
    return QString::fromUtf8(text);
}

void writeText(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

// A document that sets every section away from its defaults.
json richDocument() {
    return json::parse(R"({
        "version": 1, "name": "rich", "description": "every section set",
        "dataset": {"path": "/data/fmnist", "split": "train", "test_split": "",
                    "limit": 3000, "test_limit": 500, "image_size": 32},
        "prior": {"spec": "vae:16", "standardize": true, "epochs": 3, "seed": 9223372036854775813,
                  "batch_size": 64, "input_size": 32, "input_channels": 3,
                  "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
        "neighbors": {"k_max": 32, "k": 4, "tau": 0.3, "rule": "farthest", "metric": "cosine",
                      "include_anchor": true},
        "positives": {"source": "synthetic", "refresh_every": 2, "synthetic_lambda": 0.7,
                      "synthetic_mix": 0.25, "semantic_weight": 0.5},
        "augment": {"name": "mine", "crop": {"kind": "resize", "size": 24}, "flip": {"p": 0.3}},
        "backbone": {"name": "small_cnn", "width": 16},
        "method": {"name": "byol"},
        "train": {"epochs": 3, "batch_size": 128, "seed": 7, "optimizer": "adamw", "lr": 0.001,
                  "weight_decay": 0.05, "momentum": 0.8, "lars_eta": 0.01,
                  "lars_clip_lr": false, "exclude_bias_and_norm": false, "betas": [0.8, 0.99], "warmup_epochs": 0.5,
                  "min_lr_factor": 0.1, "device": "cpu", "mixed_precision": false,
                  "checkpoint_every": 0, "log_every": 0, "prefetch_batches": 4,
                  "data_threads": 1, "online_probe_lr": 0.05},
        "eval": {"every": 2, "knn_k": 10, "knn_temperature": 0.1, "probe_epochs": 5,
                 "prior_baseline": false}
    })");
}

} // namespace

class TestProject : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badDocumentsNameTheKey_data() {
        QTest::addColumn<QString>("document");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, std::string document, std::string message) {
            QTest::newRow(name) << QString::fromStdString(document)
                                << QString::fromStdString(message);
        };
        row("not an object", "[1]", "project: must be a JSON object, got [1]");
        row("no version", "{}", "version: missing (write \"version\": 1 at the top of the file)");
        row("version 2", R"({"version": 2})", "version: unsupported 2 (this studio reads 1)");
        row("version text", R"({"version": "1"})", "version: must be the integer 1, got \"1\"");
        row("unknown section", R"({"version": 1, "trian": {}})",
            "trian: unknown key (expected one of version, name, description, dataset, prior, "
            "neighbors, positives, augment, backbone, method, train, eval)");
        row("name", R"({"version": 1, "name": 3})", "name: must be a string, got 3");
        row("section type", R"({"version": 1, "train": 3})", "train: must be an object, got 3");
        row("train key", R"({"version": 1, "train": {"lrr": 1}})",
            "train.lrr: unknown key (expected one of epochs, batch_size, seed, optimizer, lr, "
            "weight_decay, momentum, lars_eta, lars_clip_lr, exclude_bias_and_norm, betas, "
            "warmup_epochs, "
            "min_lr_factor, device, mixed_precision, checkpoint_every, log_every, "
            "prefetch_batches, data_threads, online_probe_lr)");
        row("lr negative", R"({"version": 1, "train": {"lr": -1}})",
            "train.lr: must be > 0, got -1");
        row("lr text", R"({"version": 1, "train": {"lr": "fast"}})",
            "train.lr: must be a number > 0, got \"fast\"");
        row("epochs 0", R"({"version": 1, "train": {"epochs": 0}})",
            "train.epochs: must be an integer ≥ 1, got 0");
        row("epochs fraction", R"({"version": 1, "train": {"epochs": 1.5}})",
            "train.epochs: must be an integer ≥ 1, got 1.5");
        row("seed negative", R"({"version": 1, "train": {"seed": -3}})",
            "train.seed: must be an integer ≥ 0, got -3");
        row("momentum 1", R"({"version": 1, "train": {"momentum": 1}})",
            "train.momentum: must be in [0, 1), got 1");
        row("betas", R"({"version": 1, "train": {"betas": [0.9]}})",
            "train.betas: must be [b1, b2] with each in [0, 1), got [0.9]");
        row("optimizer", R"({"version": 1, "train": {"optimizer": "adam"}})",
            "train.optimizer: unknown 'adam' (expected sgd, lars, adamw)");
        row("device", R"({"version": 1, "train": {"device": "gpu"}})",
            "train.device: unknown 'gpu' (expected auto, cpu, cuda)");
        row("mixed precision", R"({"version": 1, "train": {"mixed_precision": 1}})",
            "train.mixed_precision: must be true or false, got 1");
        row("rule", R"({"version": 1, "neighbors": {"rule": "far"}})",
            "neighbors.rule: unknown 'far' (expected uniform or farthest)");
        row("rule type", R"({"version": 1, "neighbors": {"rule": 1}})",
            "neighbors.rule: must be uniform or farthest, got 1");
        row("metric", R"({"version": 1, "neighbors": {"metric": "cos"}})",
            "neighbors.metric: unknown 'cos' (expected l2 or cosine)");
        row("tau negative", R"({"version": 1, "neighbors": {"tau": -1}})",
            "neighbors.tau: must be a number ≥ 0, \"auto\" or null, got -1");
        row("tau word", R"({"version": 1, "neighbors": {"tau": "big"}})",
            "neighbors.tau: must be a number ≥ 0, \"auto\" or null, got \"big\"");
        row("k above k_max", R"({"version": 1, "neighbors": {"k_max": 8, "k": 9}})",
            "neighbors.k: must be ≤ neighbors.k_max (8), got 9");
        row("k_max 0", R"({"version": 1, "neighbors": {"k_max": 0}})",
            "neighbors.k_max: must be an integer in [1, 4096], got 0");
        row("source", R"({"version": 1, "positives": {"source": "nn"}})",
            "positives.source: unknown 'nn' (expected augment, gps, semantic, synthetic)");
        row("synthetic without vae", R"({"version": 1, "positives": {"source": "synthetic"}})",
            "positives.source: synthetic needs a vae:D prior, got pixels");
        row("synthetic with pca",
            R"({"version": 1, "prior": {"spec": "pca:8"}, "positives": {"source": "synthetic"}})",
            "positives.source: synthetic needs a vae:D prior, got pca:8");
        row("mix", R"({"version": 1, "positives": {"synthetic_mix": 2}})",
            "positives.synthetic_mix: must be in [0, 1], got 2");
        row("prior spec", R"({"version": 1, "prior": {"spec": "foo"}})",
            "prior.spec: " + gps::priors::parsePriorSpec("foo").error().message);
        row("prior channels", R"({"version": 1, "prior": {"input_channels": 2}})",
            "prior.input_channels: must be 0, 1 or 3, got 2");
        row("prior std", R"({"version": 1, "prior": {"std": [0]}})",
            "prior.std: must be an array of numbers > 0, got [0]");
        row("dataset path", R"({"version": 1, "dataset": {"path": ""}})",
            "dataset.path: must be a non-empty string, got \"\"");
        row("dataset limit", R"({"version": 1, "dataset": {"limit": -5}})",
            "dataset.limit: must be an integer ≥ 0, got -5");
        row("preset", R"({"version": 1, "augment": "weakest"})",
            "augment: " + gps::augment::presetSpec("weakest", {28, 28, 1}).error().message);
        row("augment type", R"({"version": 1, "augment": 3})",
            "augment: must be a preset name (weak, strong, strong_soft, crop_flip) or an "
            "augmentation spec object, got 3");
        row("augment spec", R"({"version": 1, "augment": {"jitter": {"p": 1.5}}})",
            "augment.jitter.p: must be a number in [0, 1], got 1.5");
        row("backbone", R"({"version": 1, "backbone": {"name": "vgg"}})",
            "backbone.name: unknown 'vgg' (expected " + join(gps::models::backboneNames()) + ")");
        row("backbone key", R"({"version": 1, "backbone": {"depth": 3}})",
            "backbone.depth: unknown key (expected one of name, width)");
        row("method", R"({"version": 1, "method": {"name": "simclr2"}})",
            "method.name: unknown 'simclr2' (expected " + gps::ssl::methodNamesList() + ")");
        row("method type", R"({"version": 1, "method": "simclr"})",
            "method: must be an object, got \"simclr\"");
        row("eval knn_k", R"({"version": 1, "eval": {"knn_k": 0}})",
            "eval.knn_k: must be an integer in [1, 10000], got 0");
    }
    void badDocumentsNameTheKey() {
        QFETCH(QString, document);
        QFETCH(QString, message);
        const auto project = gps::project::parseProject(json::parse(document.toStdString()));
        QVERIFY(!project.ok());
        QCOMPARE(project.error().code, gps::ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(project.error().message), message);
        QVERIFY(!message.contains(QLatin1Char('\n')));
    }

    void methodHyperParametersAreChecked() {
        const json bad = {{"version", 1}, {"method", {{"name", "simclr"}, {"temperatur", 0.1}}}};
        const auto project = gps::project::parseProject(bad);
        QVERIFY(!project.ok());
        QVERIFY2(project.error().message.rfind("method.temperatur: unknown key", 0) == 0,
                 project.error().message.c_str());
    }

    void defaults() {
        const auto project = gps::project::parseProject(json{{"version", 1}});
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        // What a project built in code holds, plus what parsing derives from the method.
        const gps::ssl::MethodInfo* simclr = gps::ssl::findMethod("simclr");
        QVERIFY(simclr);
        Project expected;
        expected.method.hparams = *gps::ssl::resolveHParams(simclr->hparams, json(), "method.");
        expected.train.optimizer.lr = simclr->defaultLr;
        expected.train.optimizer.weightDecay = simclr->defaultWeightDecay;
        QVERIFY(*project == expected);
        QCOMPARE(project->dataset.path, std::string("fashion-mnist"));
        QCOMPARE(project->augmentPreset, std::string("weak"));
        QVERIFY(project->augment == *gps::augment::presetSpec("weak", {28, 28, 1}));
        QVERIFY(!project->neighbors.tau && !project->neighbors.tauAuto);
        QCOMPARE(project->neighbors.k, 1);
        QVERIFY(project->positives.source == gps::train::PositiveSource::Augment);
        QCOMPARE(project->method.hparams.size(), simclr->hparams.size());
        QCOMPARE(project->name, std::string());
        // The reference recipes: LARS clips each layer's step at lr; CLSP's interpolation weight.
        QVERIFY(project->train.optimizer.larsClipLr);
        QCOMPARE(project->positives.syntheticMix, 0.1);
    }

    void methodRecipeDefaults_data() {
        QTest::addColumn<QString>("method");
        for (const auto& info : gps::ssl::methodRegistry())
            QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
    }
    void methodRecipeDefaults() {
        QFETCH(QString, method);
        const gps::ssl::MethodInfo* info = gps::ssl::findMethod(method.toStdString());
        QVERIFY(info);
        json document = {{"version", 1}, {"method", {{"name", info->name}}}};
        const auto project = gps::project::parseProject(document);
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        const char* kinds[] = {"sgd", "lars", "adamw"};
        QCOMPARE(std::string(kinds[int(project->train.optimizer.kind)]), info->defaultOptimizer);
        QCOMPARE(project->train.optimizer.lr, info->defaultLr);
        QCOMPARE(project->train.optimizer.weightDecay, info->defaultWeightDecay);
        QCOMPARE(project->positives.syntheticLambda, info->name == "mocov2" ? 0.5 : 1.0);
        // A value in the file wins over the recipe; the other recipe values stay.
        document["train"] = {{"lr", 0.0123}};
        const auto tuned = gps::project::parseProject(document);
        QVERIFY(tuned.ok());
        QCOMPARE(tuned->train.optimizer.lr, 0.0123);
        QCOMPARE(tuned->train.optimizer.weightDecay, info->defaultWeightDecay);
    }

    void overrides_data() {
        QTest::addColumn<QString>("assignment");
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("value");
        QTest::newRow("number") << u8("train.epochs=1") << u8("/train/epochs") << u8("1");
        QTest::newRow("auto") << u8("neighbors.tau=auto") << u8("/neighbors/tau") << u8("\"auto\"");
        QTest::newRow("quoted") << u8("neighbors.tau=\"auto\"") << u8("/neighbors/tau")
                                << u8("\"auto\"");
        QTest::newRow("float") << u8("neighbors.tau=0.5") << u8("/neighbors/tau") << u8("0.5");
        QTest::newRow("null") << u8("neighbors.tau=null") << u8("/neighbors/tau") << u8("null");
        QTest::newRow("bool") << u8("train.mixed_precision=false") << u8("/train/mixed_precision")
                              << u8("false");
        QTest::newRow("text") << u8("dataset.path=/tmp/a b=c") << u8("/dataset/path")
                              << u8("\"/tmp/a b=c\"");
        QTest::newRow("empty") << u8("train.device=") << u8("/train/device") << u8("\"\"");
        QTest::newRow("new objects") << u8("a.b.c=[1,2]") << u8("/a/b/c") << u8("[1,2]");
        QTest::newRow("top level") << u8("version=2") << u8("/version") << u8("2");
    }
    void overrides() {
        QFETCH(QString, assignment);
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        json document = {{"version", 1}, {"train", {{"epochs", 5}, {"lr", 0.1}}}};
        const auto applied = gps::project::applyOverride(document, assignment.toStdString());
        QVERIFY2(applied.ok(), applied.ok() ? "" : applied.error().message.c_str());
        QCOMPARE(document.at(json::json_pointer(pointer.toStdString())),
                 json::parse(value.toStdString()));
        if (!assignment.startsWith(u"train."))
            QCOMPARE(document["train"]["epochs"], json(5)); // siblings untouched
        QCOMPARE(document["train"]["lr"], json(0.1));
    }

    void overrideErrors_data() {
        QTest::addColumn<QString>("assignment");
        QTest::addColumn<QString>("message");
        QTest::newRow("no =") << u8("train.epochs")
                              << u8("--set 'train.epochs': missing '=' (write KEY=VALUE, e.g. "
                                    "train.epochs=1)");
        QTest::newRow("empty key") << u8("=1")
                                   << u8("--set '=1': empty key (write KEY=VALUE, e.g. "
                                         "train.epochs=1)");
        QTest::newRow("empty part")
            << u8("train..lr=1") << u8("--set 'train..lr=1': empty part in key 'train..lr'");
        QTest::newRow("through a value")
            << u8("train.epochs.x=1")
            << u8("--set 'train.epochs.x=1': train.epochs is not an object "
                  "(it holds 5)");
    }
    void overrideErrors() {
        QFETCH(QString, assignment);
        QFETCH(QString, message);
        json document = {{"version", 1}, {"train", {{"epochs", 5}}}};
        const json before = document;
        const auto applied = gps::project::applyOverride(document, assignment.toStdString());
        QVERIFY(!applied.ok());
        QCOMPARE(applied.error().code, gps::ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(applied.error().message), message);
        QCOMPARE(document, before);
    }

    void overridesThenParse() {
        json document = {{"version", 1}};
        for (const char* set : {"neighbors.tau=auto", "positives.source=gps", "train.epochs=2"})
            QVERIFY(gps::project::applyOverride(document, set).ok());
        const auto project = gps::project::parseProject(document);
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        QVERIFY(project->neighbors.tauAuto && !project->neighbors.tau);
        QVERIFY(project->positives.source == gps::train::PositiveSource::Gps);
        QCOMPARE(project->train.epochs, 2);
    }

    void roundTrip_data() {
        QTest::addColumn<QString>("document");
        QTest::newRow("defaults") << u8(R"({"version": 1})");
        QTest::newRow("rich") << QString::fromStdString(richDocument().dump());
        QTest::newRow("auto tau, strong preset")
            << u8(R"({"version": 1, "neighbors": {"tau": "auto"}, "augment": "strong",
                  "positives": {"source": "gps"}, "method": {"name": "vicreg"}})");
        QTest::newRow("odd float tau") << u8(R"({"version": 1, "neighbors": {"tau": 0.1234567}})");
    }
    void roundTrip() {
        QFETCH(QString, document);
        const fs::path file = "/projects/p.json";
        const auto project = gps::project::parseProject(json::parse(document.toStdString()), file);
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        const json written = gps::project::projectToJson(*project);
        const auto again = gps::project::parseProject(written, file);
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().message.c_str());
        QVERIFY2(*again == *project, written.dump(2).c_str());
        QCOMPARE(gps::project::projectToJson(*again), written);
        // Every key is written out.
        QCOMPARE(written.size(), std::size_t(12));
        const std::pair<const char*, std::size_t> sizes[] = {
            {"dataset", 6},  {"prior", 9},  {"neighbors", 6}, {"positives", 5},
            {"backbone", 2}, {"train", 20}, {"eval", 5}};
        for (const auto& [section, size] : sizes)
            QCOMPARE(written.at(section).size(), size);
        QCOMPARE(written["method"].size(),
                 1 + gps::ssl::findMethod(project->method.name)->hparams.size());
    }

    void roundTripKeepsRichValues() {
        const auto project = gps::project::parseProject(richDocument());
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        QCOMPARE(project->prior.options.seed, std::uint64_t(9223372036854775813ull));
        QCOMPARE(*project->neighbors.tau, 0.3f);
        QCOMPARE(project->train.optimizer.betas[1], 0.99);
        QVERIFY(project->augmentPreset.empty());
        QCOMPARE(project->augment.name, std::string("mine"));
        const json written = gps::project::projectToJson(*project);
        QCOMPARE(written["neighbors"]["tau"], json(0.3)); // shortest float text, not 0.3000000119
        QCOMPARE(written["prior"]["mean"][0], json(0.485));
        QCOMPARE(written["train"]["seed"], json(7));
    }

    void equalityComparesEveryPart() {
        const auto base = gps::project::parseProject(richDocument());
        QVERIFY(base.ok());
        QVERIFY(*base == *base);
        const std::function<void(Project&)> changes[] = {
            [](Project& p) { p.train.optimizer.betas[1] = 0.5; },
            [](Project& p) { p.train.onlineProbeLr = 1; },
            [](Project& p) { p.prior.options.std.back() = 1; },
            [](Project& p) { p.positives.semanticWeight = 2; },
            [](Project& p) { p.backbone.width = 8; },
            [](Project& p) { p.method.hparams.begin()->second += 1; },
            [](Project& p) { p.augment.flipP = 0; },
            [](Project& p) { p.description.assign(1, 'x'); },
            [](Project& p) { p.file = "/elsewhere.json"; },
        };
        for (const auto& change : changes) {
            Project changed = *base;
            change(changed);
            QVERIFY(!(changed == *base));
        }
    }

    void relativePaths() {
        const fs::path file = "/work/projects/exp/p.json";
        const json document = {{"version", 1},
                               {"dataset", {{"path", "../data/fmnist"}}},
                               {"prior", {{"spec", "npy:emb/g.npy"}}}};
        const auto project = gps::project::parseProject(document, file);
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        QCOMPARE(project->dataset.path, std::string("/work/projects/data/fmnist"));
        QCOMPARE(project->prior.spec, std::string("npy:/work/projects/exp/emb/g.npy"));
        QCOMPARE(project->name, std::string("p"));
        QCOMPARE(project->file, file);

        const json named = {{"version", 1}, {"dataset", {{"path", "fashion-mnist"}}}};
        QCOMPARE(gps::project::parseProject(named, file)->dataset.path,
                 std::string("fashion-mnist"));
        const json absolute = {{"version", 1}, {"dataset", {{"path", "/d/x"}}}};
        QCOMPARE(gps::project::parseProject(absolute, file)->dataset.path, std::string("/d/x"));
        // Without a file there is no folder to resolve against.
        QCOMPARE(gps::project::parseProject(document)->dataset.path, std::string("../data/fmnist"));
    }

    void saveAndLoad() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path folder = dir.path().toStdString();
        json document = richDocument();
        document["dataset"]["path"] = "data/fmnist";
        const fs::path file = folder / "rich.json";
        const auto project = gps::project::parseProject(document, file);
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        QCOMPARE(project->dataset.path, (folder / "data/fmnist").string());
        QVERIFY(gps::project::saveProject(*project, file).ok());
        const auto loaded = gps::project::loadProject(file);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        QVERIFY(*loaded == *project);
        // The saved file keeps the dataset relative, so the folder can move.
        const auto saved = gps::project::readProjectDocument(file);
        QVERIFY(saved.ok());
        QCOMPARE((*saved)["dataset"]["path"], json("data/fmnist"));
        // And overrides apply before parsing.
        const auto tuned =
            gps::project::loadProject(file, {"train.epochs=4", "neighbors.tau=auto"});
        QVERIFY2(tuned.ok(), tuned.ok() ? "" : tuned.error().message.c_str());
        QCOMPARE(tuned->train.epochs, 4);
        QVERIFY(tuned->neighbors.tauAuto);
    }

    void loadErrorsNameTheFile() {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        const auto missing = gps::project::loadProject(folder / "none.json");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, gps::ErrorCode::NotFound);
        QVERIFY(missing.error().message.find((folder / "none.json").string()) != std::string::npos);

        const fs::path broken = folder / "broken.json";
        writeText(broken, "{\n  \"version\": 1,\n  \"train\": {\"epochs\": ,}\n}\n");
        const auto syntax = gps::project::loadProject(broken);
        QVERIFY(!syntax.ok());
        QCOMPARE(syntax.error().code, gps::ErrorCode::InvalidInput);
        const std::string prefix = broken.string() + ": invalid JSON at line 3, column 23: ";
        QVERIFY2(syntax.error().message.rfind(prefix, 0) == 0, syntax.error().message.c_str());
        QVERIFY(syntax.error().message.find("unexpected ','") != std::string::npos);

        const fs::path firstLine = folder / "first.json";
        writeText(firstLine, "{\"version\" 1}");
        const auto early = gps::project::loadProject(firstLine);
        QVERIFY(!early.ok());
        QVERIFY2(early.error().message.rfind(
                     firstLine.string() + ": invalid JSON at line 1, column 12: ", 0) == 0,
                 early.error().message.c_str());

        const fs::path bad = folder / "bad.json";
        writeText(bad, R"({"version": 1, "train": {"lr": -1}})");
        const auto value = gps::project::loadProject(bad);
        QVERIFY(!value.ok());
        QCOMPARE(value.error().message, bad.string() + ": train.lr: must be > 0, got -1");
    }

    void hostileFilesAreRefusedWithTheKey_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        const std::string deep = std::string(60000, '[') + std::string(60000, ']');
        std::string path = "description";
        for (int level = 1; level < 64; ++level)
            path += "[0]";
        QTest::newRow("60,000 levels deep")
            << QString::fromStdString(R"({"version": 1, "description": )" + deep + "}")
            << QString::fromStdString(path + ": nested deeper than 64 levels");
        QTest::newRow("duplicate key")
            << u8(R"({"version": 1, "train": {"lr": 0.1, "epochs": 2, "lr": 0.5}})")
            << u8("train.lr: the key appears twice in one object (which one is meant?)");
        QTest::newRow("number out of range") << u8(R"({"version": 1, "train": {"lr": 1e999}})")
                                             << u8("train.lr: the number 1e999 is out of range");
    }
    void hostileFilesAreRefusedWithTheKey() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "hostile.json";
        writeText(file, text.toStdString());
        const auto project = gps::project::loadProject(file);
        QVERIFY(!project.ok());
        QCOMPARE(project.error().code, gps::ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(project.error().message),
                 QString::fromStdString(file.string()) + u8(": ") + message);
    }

    void hostileOverridesAreRefused() {
        json document = {{"version", 1}};
        const std::string deepValue = std::string(60000, '[') + std::string(60000, ']');
        const auto nested = gps::project::applyOverride(document, "description=" + deepValue);
        QVERIFY(!nested.ok());
        QVERIFY2(nested.error().message.find(": description[0][0]") != std::string::npos &&
                     nested.error().message.find("nested deeper than 63 levels") !=
                         std::string::npos,
                 nested.error().message.c_str());
        QVERIFY(nested.error().message.size() < 400); // the assignment is shortened
        std::string deepKey = "a";
        for (int i = 0; i < 60000; ++i)
            deepKey += ".a";
        const auto keyed = gps::project::applyOverride(document, deepKey + "=1");
        QVERIFY(!keyed.ok());
        QVERIFY2(keyed.error().message.find("the key has more than 63 parts") != std::string::npos,
                 keyed.error().message.c_str());
        QCOMPARE(document, (json{{"version", 1}}));
    }

    void commentsAreAllowed() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "commented.json";
        writeText(file,
                  "// a project\n{ \"version\": 1, /* short run */ \"train\": {\"epochs\": 2} }\n");
        const auto project = gps::project::loadProject(file);
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        QCOMPARE(project->train.epochs, 2);
        QCOMPARE(project->name, std::string("commented"));
    }
};

QTEST_APPLESS_MAIN(TestProject)
#include "tst_project.moc"
