// AugmentPanel on its own: original first then N views, custom JSON specs (valid and invalid),
// and large images augmented on a worker.

#include "image_convert.h"
#include "panels/augment_panel.h"
#include "ui_fixtures.h"
#include "widgets/image_grid.h"

#include <QComboBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using gps::ui::AugmentPanel;
using gps::ui::ImageGrid;

namespace {

QString writeText(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

ImageGrid* previewOf(AugmentPanel& panel) {
    return panel.findChild<ImageGrid*>(QStringLiteral("augmentPreview"));
}

} // namespace

class TestAugmentPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsTheOriginalThenEachView_data() {
        QTest::addColumn<int>("views");
        QTest::newRow("1 view") << 1;
        QTest::newRow("8 views") << 8;
        QTest::newRow("32 views") << 32;
    }

    void showsTheOriginalThenEachView() {
        QFETCH(int, views);
        AugmentPanel panel;
        const auto dataset = gps::test::inMemory(gps::test::makeTinyImages(5, 28, 28, 1, 2));
        panel.setDataset(dataset);
        QCOMPARE(panel.shownImageCount(), 0); // nothing selected yet
        panel.setViewCount(views);
        panel.showImage(3);
        ImageGrid* grid = previewOf(panel);
        QCOMPARE(grid->count(), 1 + views);
        QCOMPARE(grid->image(0), gps::ui::toQImage(dataset->image(3)));
        QVERIFY(grid->caption(0).contains(QStringLiteral("#3")));
        QCOMPARE(grid->caption(views), QStringLiteral("view %1").arg(views));
        panel.showImage(-1);
        QCOMPARE(grid->count(), 0);
    }

    void customSpecIsAppliedToEveryView() {
        QTemporaryDir dir;
        const QString path = writeText(dir, QStringLiteral("mirror.json"),
                                       R"({"crop": {"kind": "resize"}, "flip": {"p": 1}})");
        AugmentPanel panel;
        const auto dataset = gps::test::inMemory(gps::test::makeTinyImages(3, 16, 16, 3, 1));
        panel.setDataset(dataset);
        panel.setViewCount(4);
        panel.showImage(2);
        QVERIFY2(panel.loadSpecFile(path), qPrintable(panel.errorText()));
        QVERIFY(panel.errorText().isEmpty());
        auto* presets = panel.findChild<QComboBox*>(QStringLiteral("augmentPreset"));
        QCOMPARE(presets->currentText(), QStringLiteral("Custom: mirror.json"));
        const QImage mirrored = gps::ui::toQImage(dataset->image(2)).mirrored(true, false);
        ImageGrid* grid = previewOf(panel);
        QCOMPARE(grid->count(), 1 + 4);
        for (int v = 1; v <= 4; ++v)
            QCOMPARE(grid->image(v), mirrored); // resize to the same size, always flipped
    }

    void invalidSpecShowsTheParsersMessageAndKeepsThePreview() {
        QTemporaryDir dir;
        const QString path = writeText(dir, QStringLiteral("bad.json"), R"({"flip": {"p": 1.5}})");
        AugmentPanel panel;
        panel.setDataset(gps::test::inMemory(gps::test::makeTinyImages(3, 16, 16, 1, 1)));
        panel.setViewCount(2);
        panel.showImage(0);
        QSignalSpy status(&panel, &AugmentPanel::statusMessage);
        QVERIFY(!panel.loadSpecFile(path));
        QVERIFY2(panel.errorText().contains(QStringLiteral("flip.p")),
                 qPrintable(panel.errorText()));
        QVERIFY(panel.errorText().contains(QStringLiteral("bad.json")));
        QCOMPARE(status.count(), 1);
        QCOMPARE(previewOf(panel)->count(), 1 + 2); // the preset's preview is still shown
        QVERIFY(!panel.loadSpecFile(dir.filePath(QStringLiteral("missing.json"))));
        QVERIFY(panel.errorText().contains(QStringLiteral("missing.json")));
    }

    void largeImagesAreAugmentedOnAWorker() {
        AugmentPanel panel;
        panel.setDataset(gps::test::inMemory(gps::test::makeTinyImages(2, 96, 96, 3, 1)));
        panel.setViewCount(6);
        QSignalSpy updated(&panel, &AugmentPanel::previewUpdated);
        panel.showImage(1);
        QVERIFY(panel.isComputing());
        QTRY_COMPARE(panel.shownImageCount(), 1 + 6);
        QVERIFY(!panel.isComputing());
        QCOMPARE(previewOf(panel)->image(1).size(), QSize(96, 96));
        QVERIFY(updated.count() >= 1);
    }

    void rerollDrawsANewSeed() {
        AugmentPanel panel;
        panel.setDataset(gps::test::inMemory(gps::test::makeTinyImages(2, 16, 16, 3, 1)));
        panel.showImage(0);
        const int before = panel.seed();
        auto* reroll = panel.findChild<QPushButton*>(QStringLiteral("augmentReroll"));
        QVERIFY(reroll);
        reroll->click();
        QVERIFY(panel.seed() != before); // one chance in 2^31 of a false failure
    }
};

QTEST_MAIN(TestAugmentPanel)
#include "tst_augment_panel.moc"
