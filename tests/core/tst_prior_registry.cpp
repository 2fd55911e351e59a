// Prior spec strings: parsing, the errors a user sees, the Embedder each spec makes, the options
// each prior reads, and the help text.

#include "common/file_io.h"
#include "priors/registry.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace gps::priors;
using gps::ErrorCode;

Q_DECLARE_METATYPE(PriorKind)
Q_DECLARE_METATYPE(ErrorCode)

class TestPriorRegistry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void goodSpecsParse_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<PriorKind>("kind");
        QTest::addColumn<int>("dim");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("pixels") << "pixels" << PriorKind::Pixels << 0 << ""
                                << "pixels";
        QTest::newRow("pca") << "pca:64" << PriorKind::Pca << 64 << ""
                             << "pca:64";
        QTest::newRow("pca, spaces, case, zero") << "  PCA: 064 " << PriorKind::Pca << 64 << ""
                                                 << "pca:64";
        QTest::newRow("hog") << "hog" << PriorKind::Hog << 0 << ""
                             << "hog";
        QTest::newRow("random-cnn") << "Random-CNN" << PriorKind::RandomCnn << 0 << ""
                                    << "random-cnn";
        QTest::newRow("ae") << "ae:16" << PriorKind::Autoencoder << 16 << ""
                            << "ae:16";
        QTest::newRow("vae") << "vae:8" << PriorKind::Vae << 8 << ""
                             << "vae:8";
        QTest::newRow("torchscript")
            << "torchscript:/models/clip.pt" << PriorKind::TorchScript << 0 << "/models/clip.pt"
            << "torchscript:/models/clip.pt";
        QTest::newRow("npy, relative") << "npy:emb.npy" << PriorKind::Npy << 0 << "emb.npy"
                                       << "npy:emb.npy";
        QTest::newRow("npy, colon in path")
            << "npy:C:/data/e.npy" << PriorKind::Npy << 0 << "C:/data/e.npy"
            << "npy:C:/data/e.npy";
        QTest::newRow("run") << "run:runs/2024-01" << PriorKind::Run << 0 << "runs/2024-01"
                             << "run:runs/2024-01";
    }
    void goodSpecsParse() {
        QFETCH(QString, spec);
        QFETCH(PriorKind, kind);
        QFETCH(int, dim);
        QFETCH(QString, path);
        QFETCH(QString, canonical);
        const auto parsed = parsePriorSpec(spec.toStdString());
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QVERIFY(parsed->kind == kind);
        QCOMPARE(parsed->dim, dim);
        QCOMPARE(QString::fromStdString(parsed->path.string()), path);
        QCOMPARE(QString::fromStdString(parsed->canonical), canonical);
    }
    void badSpecsSayWhy_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        const QString expected = QStringLiteral(
            "(expected pixels, pca:D, hog, random-cnn, ae:D, vae:D, torchscript:PATH, npy:PATH "
            "or run:DIR)");
        QTest::newRow("unknown") << "foo" << QStringLiteral("unknown prior 'foo' ") + expected;
        QTest::newRow("unknown with arg")
            << "umap:2" << QStringLiteral("unknown prior 'umap:2' ") + expected;
        QTest::newRow("empty") << "   " << QStringLiteral("no prior given ") + expected;
        QTest::newRow("pca letters") << "pca:abc"
                                     << "prior 'pca:abc': D must be a positive integer";
        QTest::newRow("pca zero") << "pca:0"
                                  << "prior 'pca:0': D must be a positive integer";
        QTest::newRow("pca negative") << "pca:-3"
                                      << "prior 'pca:-3': D must be a positive integer";
        QTest::newRow("pca fraction") << "pca:2.5"
                                      << "prior 'pca:2.5': D must be a positive integer";
        QTest::newRow("pca overflow") << "pca:99999999999"
                                      << "prior 'pca:99999999999': D must be a positive integer";
        QTest::newRow("pca huge") << "pca:70000"
                                  << "prior 'pca:70000': D must be at most 65536";
        QTest::newRow("pca missing") << "pca"
                                     << "prior 'pca': missing D (write pca:D, e.g. pca:64)";
        QTest::newRow("vae empty") << "vae:"
                                   << "prior 'vae:': missing D (write vae:D, e.g. vae:64)";
        QTest::newRow("hog argument") << "hog:3"
                                      << "prior 'hog:3': hog takes no argument";
        QTest::newRow("pixels argument") << "pixels:std"
                                         << "prior 'pixels:std': pixels takes no argument";
        QTest::newRow("npy empty") << "npy:"
                                   << "prior 'npy:': missing PATH (write npy:PATH)";
        QTest::newRow("torchscript blank")
            << "torchscript:  "
            << "prior 'torchscript:': missing PATH (write torchscript:PATH)";
        QTest::newRow("run empty") << "run:"
                                   << "prior 'run:': missing DIR (write run:DIR)";
    }
    void badSpecsSayWhy() {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        const auto parsed = parsePriorSpec(spec.toStdString());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(parsed.error().message), message);
        const auto made = makeEmbedder(spec.toStdString(), PriorOptions{});
        QCOMPARE(QString::fromStdString(made.error().message), message);
    }
    void fixedSpecsMakeTheirPrior_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("needsFit");
        QTest::newRow("pixels") << "pixels" << false;
        QTest::newRow("pca:3") << "pca:3" << true;
        QTest::newRow("hog") << "hog" << false;
        QTest::newRow("random-cnn") << "random-cnn" << false;
        QTest::newRow("ae:4") << "ae:4" << true;
        QTest::newRow("vae:5") << "vae:5" << true;
    }
    void fixedSpecsMakeTheirPrior() {
        QFETCH(QString, spec);
        QFETCH(bool, needsFit);
        const auto prior = makeEmbedder(spec.toStdString(), PriorOptions{});
        QVERIFY2(prior.ok(), prior.ok() ? "" : prior.error().message.c_str());
        QCOMPARE(QString::fromStdString((*prior)->spec()), spec);
        QCOMPARE((*prior)->needsFit(), needsFit);
    }
    void standardizeMakesPixelsLearn() {
        PriorOptions options;
        options.standardize = true;
        QVERIFY((*makeEmbedder("pixels", options))->needsFit());
    }
    void fileSpecsCheckTheirFiles() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        auto check = [](const std::string& spec, ErrorCode code, const std::string& message) {
            const auto made = makeEmbedder(spec, PriorOptions{});
            QVERIFY(!made.ok());
            QCOMPARE(made.error().code, code);
            QCOMPARE(QString::fromStdString(made.error().message), QString::fromStdString(message));
        };
        check("npy:" + root + "/e.npy", ErrorCode::NotFound,
              "npy:" + root + "/e.npy: " + root + "/e.npy: no such file");
        check("torchscript:" + root + "/m.pt", ErrorCode::NotFound,
              "torchscript:" + root + "/m.pt: " + root + "/m.pt: no such file");
        check("run:" + root + "/nowhere", ErrorCode::NotFound,
              "run:" + root + "/nowhere: no such folder");
        check("run:" + root, ErrorCode::NotFound,
              "run:" + root + ": no backbone.pt — train a run first");
        QVERIFY(gps::writeFileAtomic(root + "/backbone.pt", std::string("x")).ok());
        check("run:" + root, ErrorCode::NotFound,
              "run:" + root +
                  ": no backbone.json next to backbone.pt (the run did not finish "
                  "saving its backbone — train it again)");
    }
    void relevantOptionsListWhatEachPriorReads() {
        PriorOptions a, b;
        b.epochs = 99;
        b.inputSize = 224;
        auto text = [](const char* spec, const PriorOptions& o) {
            return QString::fromStdString(relevantOptions(*parsePriorSpec(spec), o));
        };
        QCOMPARE(text("pixels", a), QStringLiteral("standardize=0"));
        QCOMPARE(text("pixels", a), text("pixels", b));
        QCOMPARE(text("hog", b), QString());
        QCOMPARE(text("npy:x.npy", b), QString());
        QCOMPARE(text("pca:4", a), QStringLiteral("seed=0"));
        QVERIFY(text("ae:4", a) != text("ae:4", b));
        QCOMPARE(text("vae:4", a), QStringLiteral("seed=0 epochs=10 batch=256"));
        b.mean = {0.5f, 0.25f};
        QCOMPARE(text("torchscript:m.pt", b),
                 QStringLiteral("size=224 channels=0 mean=0.5,0.25 std="));
        QVERIFY(text("run:r", a) != text("run:r", b));
    }
    void helpListsEverySpecInOrder() {
        const auto help = priorSpecHelp();
        const QStringList forms = {QStringLiteral("pixels"),
                                   QStringLiteral("pca:D"),
                                   QStringLiteral("hog"),
                                   QStringLiteral("random-cnn"),
                                   QStringLiteral("ae:D"),
                                   QStringLiteral("vae:D"),
                                   QStringLiteral("torchscript:PATH"),
                                   QStringLiteral("npy:PATH"),
                                   QStringLiteral("run:DIR")};
        QCOMPARE(int(help.size()), int(forms.size()));
        for (int i = 0; i < forms.size(); ++i) {
            const QString line = QString::fromStdString(help[std::size_t(i)]);
            QVERIFY2(line.startsWith(forms[i] + QStringLiteral(" — ")), qPrintable(line));
            QVERIFY(line.size() > forms[i].size() + 15);
        }
    }
};

QTEST_APPLESS_MAIN(TestPriorRegistry)
#include "tst_prior_registry.moc"
