// ThumbnailModel: rows and the class filter's row -> index mapping, thumbnails, tooltips, and
// the lazy path (worker-made thumbnails announced with dataChanged, never decoded on the GUI).

#include "image_convert.h"
#include "models/thumbnail_model.h"
#include "ui_fixtures.h"

#include <QSignalSpy>
#include <QtTest>

using gps::ui::ThumbnailModel;

class TestThumbnailModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rowsFollowTheDataset() {
        ThumbnailModel model;
        QCOMPARE(model.rowCount(), 0);
        model.setDataset(gps::test::inMemory(gps::test::makeTinyImages(12, 8, 8, 1, 3)));
        QCOMPARE(model.rowCount(), 12);
        QCOMPARE(model.datasetIndex(7), std::size_t(7));
        QCOMPARE(model.classCounts(), (std::vector<std::size_t>{4, 4, 4}));
        model.setDataset(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void classFilterMapsRowsToDatasetIndices_data() {
        QTest::addColumn<int>("classIndex");
        QTest::addColumn<QList<qulonglong>>("indices");
        QTest::newRow("class 0") << 0 << QList<qulonglong>{0, 3, 6, 9};
        QTest::newRow("class 1") << 1 << QList<qulonglong>{1, 4, 7, 10};
        QTest::newRow("class 2") << 2 << QList<qulonglong>{2, 5, 8, 11};
    }

    void classFilterMapsRowsToDatasetIndices() {
        QFETCH(int, classIndex);
        QFETCH(QList<qulonglong>, indices);
        ThumbnailModel model;
        model.setDataset(gps::test::inMemory(gps::test::makeTinyImages(12, 8, 8, 1, 3)));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setClassFilter(classIndex);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), int(indices.size()));
        for (int row = 0; row < indices.size(); ++row) {
            QCOMPARE(qulonglong(model.datasetIndex(row)), indices[row]);
            QCOMPARE(model.data(model.index(row), ThumbnailModel::DatasetIndexRole).toULongLong(),
                     indices[row]);
            QCOMPARE(model.data(model.index(row), ThumbnailModel::ClassRole).toInt(), classIndex);
            QCOMPARE(model.rowOf(std::size_t(indices[row])), row);
        }
        QCOMPARE(model.rowOf(std::size_t((classIndex + 1) % 3)), -1); // another class: hidden
        model.setClassFilter(ThumbnailModel::kAllClasses);
        QCOMPARE(model.rowCount(), 12);
        QCOMPARE(model.rowOf(5), 5);
    }

    void decorationIsAThumbnailOfTheImage_data() {
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("factor"); // whole-number upscale expected
        QTest::newRow("28 px grey") << 28 << 1 << 2;
        QTest::newRow("32 px RGB") << 32 << 3 << 2;
        QTest::newRow("16 px RGB") << 16 << 3 << 4;
    }

    void decorationIsAThumbnailOfTheImage() {
        QFETCH(int, side);
        QFETCH(int, channels);
        QFETCH(int, factor);
        const auto tiny = gps::test::makeTinyImages(4, side, side, channels, 2);
        ThumbnailModel model;
        model.setDataset(gps::test::inMemory(tiny));
        const QImage thumb = model.data(model.index(3), Qt::DecorationRole).value<QImage>();
        const int k = ThumbnailModel::kThumbnailSide;
        QCOMPARE(thumb.size(), QSize(k, k));
        const int offset = (k - side * factor) / 2;
        for (const auto& [y, x] :
             {std::pair{0, 0}, std::pair{side - 1, 5}, std::pair{7, side - 1}}) {
            const int r = tiny.at(3, y, x, 0);
            const int g = tiny.at(3, y, x, channels == 3 ? 1 : 0);
            const int b = tiny.at(3, y, x, channels == 3 ? 2 : 0);
            QCOMPARE(thumb.pixel(offset + x * factor + factor - 1, offset + y * factor),
                     qRgb(r, g, b));
        }
    }

    void tooltipNamesIndexAndClass() {
        ThumbnailModel model;
        model.setDataset(gps::test::inMemory(gps::test::makeTinyImages(12, 8, 8, 1, 3)));
        model.setClassFilter(2);
        const QString tip = model.data(model.index(1), Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("Image 5")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("class-C")), qPrintable(tip));
    }

    void lazyDatasetThumbnailsAreMadeOnAWorker() {
        const auto tiny = gps::test::makeTinyImages(40, 16, 16, 3, 4);
        auto lazy = std::make_shared<gps::test::LazyDataset>(tiny);
        ThumbnailModel model;
        model.setDataset(lazy);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        const QModelIndex index = model.index(9);
        const QImage first = model.data(index, Qt::DecorationRole).value<QImage>();
        QCOMPARE(first, gps::ui::placeholderThumbnail(ThumbnailModel::kThumbnailSide));
        QCOMPARE(model.pendingThumbnails(), 1);

        QTRY_VERIFY(changed.count() >= 1);
        const QModelIndex top = changed.at(0).at(0).value<QModelIndex>();
        const QModelIndex bottom = changed.at(0).at(1).value<QModelIndex>();
        QVERIFY(top.row() <= 9 && bottom.row() >= 9);
        QCOMPARE(model.pendingThumbnails(), 0);

        const QImage ready = model.data(index, Qt::DecorationRole).value<QImage>();
        QCOMPARE(ready, gps::ui::makeThumbnail(lazy->image(9), ThumbnailModel::kThumbnailSide));
        QVERIFY(ready != first);
        // lazy->image(9) above ran here on purpose; before it, only the worker had decoded.
        QCOMPARE(lazy->decodedCount(), 2);
    }

    void lazyDatasetIsNeverDecodedOnTheGuiThread() {
        auto lazy =
            std::make_shared<gps::test::LazyDataset>(gps::test::makeTinyImages(200, 8, 8, 1, 2));
        ThumbnailModel model;
        model.setDataset(lazy);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        for (int row = 0; row < model.rowCount(); ++row)
            (void)model.data(model.index(row), Qt::DecorationRole);
        QTRY_COMPARE(model.pendingThumbnails(), 0);
        QVERIFY(changed.count() >= 1);
        QVERIFY(lazy->decodedCount() >= 1);
        QVERIFY(!lazy->calledOnOwnerThread());
    }

    void lateThumbnailsOfAReplacedDatasetAreDropped() {
        auto lazy =
            std::make_shared<gps::test::LazyDataset>(gps::test::makeTinyImages(50, 8, 8, 1, 2));
        ThumbnailModel model;
        model.setDataset(lazy);
        for (int row = 0; row < 50; ++row)
            (void)model.data(model.index(row), Qt::DecorationRole);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setDataset(gps::test::inMemory(gps::test::makeTinyImages(3, 8, 8, 1, 1)));
        QTest::qWait(200);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(model.rowCount(), 3);
    }
};

QTEST_MAIN(TestThumbnailModel)
#include "tst_thumbnail_model.moc"
