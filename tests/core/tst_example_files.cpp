// Every example file shipped in projects/ must load and run as it is.
#include "augment/pipeline.h"
#include "augment/spec.h"

#include <QtTest>

#include <filesystem>

namespace fs = std::filesystem;

class TestExampleFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void augmentSpecsLoadAndRun_data() {
        QTest::addColumn<QString>("path");
        const fs::path folder = fs::path(GPS_SOURCE_DIR) / "projects" / "augment";
        int count = 0;
        for (const auto& entry : fs::directory_iterator(folder))
            if (entry.path().extension() == ".json") {
                QTest::newRow(entry.path().filename().c_str())
                    << QString::fromStdString(entry.path().string());
                ++count;
            }
        QVERIFY(count >= 3);
    }
    void augmentSpecsLoadAndRun() {
        QFETCH(QString, path);
        const auto spec = gps::augment::loadAugmentSpec(path.toStdString());
        QVERIFY2(spec.ok(), spec.ok() ? "" : spec.error().message.c_str());
        QVERIFY(fs::path(path.toStdString()).stem() == spec->name);
        for (const gps::data::ImageShape shape :
             {gps::data::ImageShape{28, 28, 1}, gps::data::ImageShape{32, 32, 3}}) {
            const gps::augment::AugmentPipeline pipeline(*spec, shape);
            gps::Rng rng(1);
            const cv::Mat view = pipeline.view(
                cv::Mat(shape.height, shape.width, CV_8UC(shape.channels), cv::Scalar::all(90)),
                rng);
            QCOMPARE(view.channels(), shape.channels);
            QVERIFY(view.rows > 0 && view.rows == view.cols);
        }
    }
};

QTEST_APPLESS_MAIN(TestExampleFiles)
#include "tst_example_files.moc"
