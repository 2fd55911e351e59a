// The main window on fixture datasets: opening (in memory and from real IDX files, off the GUI
// thread), selecting an image, the details line, the augmentation preview, the class filter,
// the split selector, and a failed open that keeps what was shown.

#include "fixtures_binary.h"
#include "fixtures_folder.h"
#include "image_convert.h"
#include "main_window.h"
#include "models/thumbnail_model.h"
#include "panels/augment_panel.h"
#include "panels/dataset_panel.h"
#include "panels/prior_panel.h"
#include "panels/training_panel.h"
#include "ui_fixtures.h"
#include "widgets/image_grid.h"

#include <nlohmann/json.hpp>

#include <QComboBox>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using gps::ui::MainWindow;

namespace {

constexpr int kOpenTimeoutMs = 20000;

template <class T> T* child(QObject& parent, const char* name) {
    T* found = parent.findChild<T*>(QString::fromLatin1(name));
    if (!found)
        qFatal("no child named %s", name);
    return found;
}

// Clicks thumbnail `row` in the grid the way a user does.
void clickThumbnail(MainWindow& window, int row) {
    auto* view = child<QListView>(window, "thumbnailGrid");
    const QModelIndex index = view->model()->index(row, 0);
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

// Moves a closed combo box to the item whose data is `value` with the keyboard, which emits
// activated() like a user's choice does.
void chooseByKeyboard(QComboBox* combo, const QVariant& value) {
    const int target = combo->findData(value);
    QVERIFY(target >= 0);
    while (combo->currentIndex() != target)
        QTest::keyClick(combo, combo->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup() { m_window.reset(); }

    // A graph built in the Prior panel with cosine distance and k_max 8 trains with them: the
    // project a run would use names the graph's prior, metric and k_max, not the defaults.
    void theGraphsSettingsReachTheTrainingProject() {
        MainWindow& window = *m_window;
        window.setDataset(gps::test::inMemory(gps::test::makeTinyImages(40, 8, 8, 1, 4)),
                          QStringLiteral("memory"));
        gps::ui::PriorPanel* prior = window.priorPanel();
        QVERIFY(prior->setSpec(QStringLiteral("pixels")));
        prior->setKMax(8);
        prior->setCosine(true);
        QSignalSpy ready(prior, &gps::ui::PriorPanel::graphReady);
        prior->compute();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kOpenTimeoutMs);
        const QString preview = window.trainingPanel()->projectPreview();
        QVERIFY2(preview.startsWith(QLatin1Char('{')), qPrintable(preview));
        const auto project = nlohmann::json::parse(preview.toStdString());
        QCOMPARE(project["neighbors"]["metric"], nlohmann::json("cosine"));
        QCOMPARE(project["neighbors"]["k_max"], nlohmann::json(8));
        QCOMPARE(project["prior"]["spec"], nlohmann::json("pixels"));
    }

    void inMemoryDatasetIsBrowsedAndPreviewed() {
        MainWindow& window = *m_window;
        const auto tiny = gps::test::makeTinyImages(30, 16, 16, 3, 3);
        const auto dataset = gps::test::inMemory(tiny);
        QSignalSpy opened(&window, &MainWindow::datasetOpened);
        window.setDataset(dataset, QStringLiteral("memory"));
        QCOMPARE(opened.count(), 1);
        QVERIFY(window.datasetPanel()->summary().contains(QStringLiteral("30 images")));
        auto* grid = child<QListView>(window, "thumbnailGrid");
        QCOMPARE(grid->model()->rowCount(), 30);

        window.augmentPanel()->setViewCount(5);
        clickThumbnail(window, 7);
        QCOMPARE(window.datasetPanel()->currentImage(), qint64(7));
        const QString details = child<QLabel>(window, "imageDetails")->text();
        for (const char* part : {"Image 7", "class-B", "16×16 RGB", "split train"})
            QVERIFY2(details.contains(QString::fromUtf8(part)), qPrintable(details));

        auto* preview = child<gps::ui::ImageGrid>(window, "augmentPreview");
        QCOMPARE(preview->count(), 1 + 5);
        QCOMPARE(window.augmentPanel()->shownImageCount(), 6);
        QVERIFY(preview->caption(0).contains(QStringLiteral("#7")));
        QCOMPARE(preview->image(0), gps::ui::toQImage(dataset->image(7)));
        QCOMPARE(preview->shownSize(0), QSize(112, 112)); // 16 px shown 7× with square pixels
        QCOMPARE(preview->image(1).size(), QSize(16, 16));

        auto* classes = child<QComboBox>(window, "classFilter");
        QCOMPARE(classes->count(), 1 + 3);
        QCOMPARE(classes->itemText(2), QStringLiteral("class-B (10)"));
        chooseByKeyboard(classes, 0); // class-A: image 7 (class-B) is filtered out
        QCOMPARE(grid->model()->rowCount(), 10);
        QCOMPARE(window.datasetPanel()->currentImage(), qint64(-1));
        QCOMPARE(window.augmentPanel()->shownImageCount(), 0);
        clickThumbnail(window, 2); // the third of class A: image 6
        QCOMPARE(window.datasetPanel()->currentImage(), qint64(6));
        chooseByKeyboard(classes, gps::ui::ThumbnailModel::kAllClasses);
        QCOMPARE(grid->model()->rowCount(), 30);
        QCOMPARE(window.datasetPanel()->currentImage(), qint64(6)); // still shown, still selected
    }

    void previewViewsAreRandomButRepeatable() {
        MainWindow& window = *m_window;
        window.setDataset(gps::test::inMemory(gps::test::makeTinyImages(4, 24, 24, 3, 2)));
        AugmentPanelProbe probe(window);
        QVERIFY(window.augmentPanel()->setPreset(QStringLiteral("strong")));
        window.augmentPanel()->setViewCount(8);
        window.augmentPanel()->setSeed(5);
        window.datasetPanel()->selectImage(1);
        const QList<QImage> first = probe.views();
        QCOMPARE(first.size(), 8);
        int distinct = 0;
        for (int v = 1; v < first.size(); ++v)
            distinct += first[v] != first[0];
        QVERIFY2(distinct > 0, "every view of the strong preset came out the same");

        window.augmentPanel()->setSeed(6);
        QVERIFY(probe.views() != first);
        window.augmentPanel()->setSeed(5);
        QCOMPARE(probe.views(), first); // the same seed gives the same views
    }

    void realIdxFolderOpensOffTheGuiThread() {
        MainWindow& window = *m_window;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        gps::test::writeIdxSplit(dir.path().toStdString(), "train",
                                 gps::test::makeTinyImages(20, 28, 28, 1, 10), false);
        gps::test::writeIdxSplit(dir.path().toStdString(), "t10k",
                                 gps::test::makeTinyImages(8, 28, 28, 1, 10, 3), false);
        QSignalSpy opened(&window, &MainWindow::datasetOpened);
        QSignalSpy failed(&window, &MainWindow::datasetFailed);
        window.openDataset(dir.path());
        QVERIFY(window.datasetPanel()->isBusy()); // the work is on a worker: nothing yet
        QCOMPARE(opened.count(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count() + failed.count(), 1, kOpenTimeoutMs);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(!window.datasetPanel()->isBusy());
        const QString summary = window.datasetPanel()->summary();
        for (const char* part : {"idx", "train", "20 images", "28×28 grey"})
            QVERIFY2(summary.contains(QString::fromUtf8(part)), qPrintable(summary));

        clickThumbnail(window, 3);
        QVERIFY(window.datasetPanel()->details().contains(QStringLiteral("Image 3")));
        window.augmentPanel()->setViewCount(4);
        QCOMPARE(window.augmentPanel()->shownImageCount(), 1 + 4);

        auto* splits = child<QComboBox>(window, "splitSelector");
        QCOMPARE(splits->count(), 2);
        chooseByKeyboard(splits, QStringLiteral("test"));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, kOpenTimeoutMs);
        QCOMPARE(QString::fromStdString(window.datasetPanel()->dataset()->split()),
                 QStringLiteral("test"));
        QCOMPARE(child<QListView>(window, "thumbnailGrid")->model()->rowCount(), 8);

        // The training tab trains on the dataset the window opened (here its test split).
        const QString project = window.trainingPanel()->projectPreview();
        QVERIFY2(project.contains(dir.path()), qPrintable(project));
        QVERIFY2(project.contains(QStringLiteral("\"split\": \"test\"")), qPrintable(project));
    }

    void failedOpenKeepsWhatIsShown() {
        MainWindow& window = *m_window;
        const auto dataset = gps::test::inMemory(gps::test::makeTinyImages(6, 8, 8, 1, 2));
        window.setDataset(dataset);
        QSignalSpy failed(&window, &MainWindow::datasetFailed);
        const QString missing = QStringLiteral("/nonexistent/gps-studio-dataset");
        window.openDataset(missing);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kOpenTimeoutMs);
        QVERIFY2(failed.at(0).at(0).toString().contains(missing),
                 qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(window.datasetPanel()->dataset().get(), dataset.get());
        QCOMPARE(child<QListView>(window, "thumbnailGrid")->model()->rowCount(), 6);
        const auto boxes = window.findChildren<QMessageBox*>();
        QCOMPARE(boxes.size(), 1);
        QVERIFY(boxes.first()->isVisible());
        QVERIFY(boxes.first()->text().contains(missing));
        boxes.first()->close();
    }

    void lazyImageFolderShowsThumbnailsFromAWorker() {
        MainWindow& window = *m_window;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        gps::test::writeImageFolder(dir.path().toStdString(),
                                    gps::test::makeTinyImages(12, 20, 20, 3, 3),
                                    {"cat", "dog", "eel"});
        auto* model = window.datasetPanel()->thumbnailModel();
        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
        QSignalSpy opened(&window, &MainWindow::datasetOpened);
        QSignalSpy failed(&window, &MainWindow::datasetFailed);
        window.openDataset(dir.path());
        QTRY_COMPARE_WITH_TIMEOUT(opened.count() + failed.count(), 1, kOpenTimeoutMs);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(model->rowCount(), 12);
        QCOMPARE(child<QComboBox>(window, "classFilter")->itemText(1), QStringLiteral("cat (4)"));
        if (window.datasetPanel()->dataset()->block() != nullptr)
            QSKIP("this image folder was read into memory: no lazy thumbnails to wait for");
        // Painting the grid asks for thumbnails; they arrive later, announced by dataChanged.
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() > 0, kOpenTimeoutMs);
        QTRY_COMPARE(model->pendingThumbnails(), 0);
        // The preview of a lazy dataset is made on a worker too.
        QTRY_COMPARE_WITH_TIMEOUT(window.augmentPanel()->shownImageCount(), 1 + 8, kOpenTimeoutMs);
    }

    // A file found undecodable only when its thumbnail is made shows as a placeholder, never as
    // made-up pixels, and is named in the dataset's warnings list.
    void undecodableFileIsListedInTheWarnings() {
        MainWindow& window = *m_window;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path root = dir.path().toStdString();
        gps::test::writeImageFolder(root, gps::test::makeTinyImages(5, 20, 20, 3, 0), {});
        gps::test::writeTruncatedPng(root / "zz.png");
        auto* model = window.datasetPanel()->thumbnailModel();
        QSignalSpy opened(&window, &MainWindow::datasetOpened);
        QSignalSpy failed(&window, &MainWindow::datasetFailed);
        window.openDataset(dir.path());
        QTRY_COMPARE_WITH_TIMEOUT(opened.count() + failed.count(), 1, kOpenTimeoutMs);
        QVERIFY(failed.isEmpty());
        QCOMPARE(model->rowCount(), 6);
        for (int row = 0; row < 6; ++row)
            (void)model->data(model->index(row), Qt::DecorationRole);
        QTRY_COMPARE_WITH_TIMEOUT(model->pendingThumbnails(), 0, kOpenTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(window.datasetPanel()->warnings().join(u'\n').contains(
                                     QStringLiteral("zz.png (image 5)")),
                                 kOpenTimeoutMs);
        QCOMPARE(model->data(model->index(5), Qt::DecorationRole).value<QImage>(),
                 gps::ui::placeholderThumbnail(gps::ui::ThumbnailModel::kThumbnailSide));
    }

private:
    // Reads the views the preview shows.
    struct AugmentPanelProbe {
        explicit AugmentPanelProbe(MainWindow& window)
            : grid(child<gps::ui::ImageGrid>(window, "augmentPreview")) {}
        QList<QImage> views() const {
            QList<QImage> images;
            for (int i = 1; i < grid->count(); ++i)
                images.push_back(grid->image(i));
            return images;
        }
        gps::ui::ImageGrid* grid;
    };

    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
