// DatasetPanel: opening runs on a job; a dataset set directly while an open is under way wins,
// even when that open has already finished and its result waits in the event queue.
#include "panels/dataset_panel.h"

#include "fixtures_binary.h"
#include "ui_fixtures.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using gps::ui::DatasetPanel;

class TestDatasetPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensAFolderOnAJob() {
        QTemporaryDir dir;
        gps::test::writeIdxSplit(dir.path().toStdString(), "train",
                                 gps::test::makeTinyImages(12, 8, 8, 1, 3), true);
        DatasetPanel panel;
        QSignalSpy opened(&panel, &DatasetPanel::datasetOpened);
        panel.openDataset(dir.path());
        QVERIFY(opened.wait(20000));
        QVERIFY(panel.dataset());
        QCOMPARE(panel.dataset()->size(), std::size_t(12));
    }

    void aDatasetSetDirectlyIsNotReplacedByALateOpen() {
        QTemporaryDir dir;
        gps::test::writeIdxSplit(dir.path().toStdString(), "train",
                                 gps::test::makeTinyImages(12, 8, 8, 1, 3), true);
        DatasetPanel panel;
        panel.openDataset(dir.path());
        // The open finishes on its pool thread and queues its result; no event is processed.
        QTest::qSleep(1500);
        const auto chosen = gps::test::inMemory(gps::test::makeTinyImages(5, 8, 8, 1, 2));
        panel.setDataset(chosen, QStringLiteral("memory"));
        QTest::qWait(300); // delivers the queued result of the open
        QCOMPARE(panel.dataset().get(), static_cast<const gps::data::Dataset*>(chosen.get()));
    }
};

QTEST_MAIN(TestDatasetPanel)
#include "tst_dataset_panel.moc"
