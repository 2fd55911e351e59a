// Every project file shipped in projects/ parses as it is, says what it is, and reads back
// equal after writing; the examples the issue asks for are there with the settings they name.
#include "project/project.h"

#include <QtTest>

#include <filesystem>

namespace fs = std::filesystem;
using gps::train::PositiveSource;

class TestProjectExamples : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyExampleParses_data() {
        QTest::addColumn<QString>("path");
        const fs::path folder = fs::path(GPS_SOURCE_DIR) / "projects";
        int count = 0;
        for (const auto& entry : fs::directory_iterator(folder))
            if (entry.is_regular_file() && entry.path().extension() == ".json") {
                QTest::newRow(entry.path().filename().c_str())
                    << QString::fromStdString(entry.path().string());
                ++count;
            }
        QVERIFY(count >= 6);
    }
    void everyExampleParses() {
        QFETCH(QString, path);
        const fs::path file = path.toStdString();
        const auto project = gps::project::loadProject(file);
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        QCOMPARE(project->name, file.stem().string());
        QVERIFY(!project->description.empty());
        QCOMPARE(project->dataset.path, std::string(gps::project::kDefaultDataset));
        QVERIFY(!project->dataset.testSplit.empty());
        const auto again = gps::project::parseProject(gps::project::projectToJson(*project), file);
        QVERIFY(again.ok());
        QVERIFY(*again == *project);
    }

    void requiredExamples_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("source");
        QTest::addColumn<QString>("prior");
        QTest::addColumn<QString>("preset");
        auto row = [](const char* file, const char* method, PositiveSource source,
                      const char* prior, const char* preset) {
            QTest::newRow(file) << QString::fromUtf8(file) << QString::fromUtf8(method)
                                << int(source) << QString::fromUtf8(prior)
                                << QString::fromUtf8(preset);
        };
        row("fmnist-simclr-weak", "simclr", PositiveSource::Augment, "pixels", "weak");
        row("fmnist-gps-simclr-weak", "simclr", PositiveSource::Gps, "pixels", "weak");
        row("fmnist-gps-simclr-weak-vae", "simclr", PositiveSource::Gps, "vae:16", "weak");
        row("fmnist-simclr-strong", "simclr", PositiveSource::Augment, "pixels", "strong");
        row("fmnist-gps-byol-weak", "byol", PositiveSource::Gps, "pixels", "weak");
        row("fmnist-gps-vicreg-weak", "vicreg", PositiveSource::Gps, "pixels", "weak");
    }
    void requiredExamples() {
        QFETCH(QString, file);
        QFETCH(QString, method);
        QFETCH(int, source);
        QFETCH(QString, prior);
        QFETCH(QString, preset);
        const fs::path path =
            fs::path(GPS_SOURCE_DIR) / "projects" / (file.toStdString() + ".json");
        const auto project = gps::project::loadProject(path);
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().message.c_str());
        QCOMPARE(QString::fromStdString(project->method.name), method);
        QCOMPARE(int(project->positives.source), source);
        QCOMPARE(QString::fromStdString(project->prior.spec), prior);
        QCOMPARE(QString::fromStdString(project->augmentPreset), preset);
        QCOMPARE(project->backbone.name, std::string("small_cnn"));
        // Comparable runs: same length, batch and seed in every example.
        QCOMPARE(project->train.epochs, 20);
        QCOMPARE(project->train.batchSize, 256);
        QCOMPARE(project->train.seed, std::uint64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestProjectExamples)
#include "tst_project_examples.moc"
