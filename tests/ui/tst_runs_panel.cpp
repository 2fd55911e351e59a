// RunsPanel and RunModel: the runs a researcher keeps. Runs are listed with the columns of
// their snapshot, summary and run.json, in every state; sorted and filtered through the proxy;
// overlaid each in a colour of its own; followed while they train; renamed, noted, deleted to
// the trash (never while running) and duplicated as a new project.

#include "models/run_follower.h"
#include "models/run_model.h"
#include "panels/runs_panel.h"
#include "project/run_claim.h"

#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QtTest>

using gps::ui::RunModel;
using gps::ui::RunsPanel;

namespace {

void writeText(const QString& path, const QByteArray& text, bool append = false) {
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    QVERIFY(file.open(append ? QIODevice::Append : QIODevice::WriteOnly));
    file.write(text);
}

QByteArray snapshot(const char* source, const char* augment, int epochs) {
    return QByteArrayLiteral("{\"version\": 1, \"method\": {\"name\": \"simclr\"}, ") +
           "\"positives\": {\"source\": \"" + source + "\"}, \"neighbors\": {\"k\": 5}, " +
           "\"augment\": \"" + augment +
           "\", \"train\": {\"epochs\": " + QByteArray::number(epochs) +
           ", \"batch_size\": 64, \"seed\": 0}}";
}

/// Three runs: an older finished one, a failed one, and a newer one still writing (no summary,
/// a last line cut short).
void writeRuns(const QString& projectDir) {
    const QString older = projectDir + QStringLiteral("/runs/tiny-20240101-120000");
    writeText(older + QStringLiteral("/project.json"), snapshot("gps", "weak", 3));
    writeText(older + QStringLiteral("/metrics.jsonl"),
              "{\"epoch\":0,\"step\":1,\"loss\":4.5,\"lr\":0.1,\"online_probe_acc\":0.2}\n"
              "{\"epoch\":0,\"step\":2,\"loss\":4.0,\"lr\":0.2,\"online_probe_acc\":0.3}\n"
              "{\"epoch\":1,\"step\":2,\"linear_probe_acc\":0.61,\"knn_acc\":0.58}\n");
    writeText(older + QStringLiteral("/summary.json"),
              "{\"epochs\":3,\"final_loss\":4.0,\"linear_probe_acc\":0.61,\"knn_acc\":0.58,"
              "\"stopped\":false,\"images_per_second\":900,\"device\":\"cpu (2 threads)\"}");
    const QString failed = projectDir + QStringLiteral("/runs/tiny-20240101-130000");
    writeText(failed + QStringLiteral("/project.json"), snapshot("augment", "strong", 10));
    writeText(failed + QStringLiteral("/metrics.jsonl"),
              "{\"epoch\":1,\"step\":2,\"linear_probe_acc\":0.9,\"knn_acc\":0.2}\n");
    writeText(failed + QStringLiteral("/summary.json"),
              "{\"state\":\"failed\",\"error\":\"loss became NaN\",\"epochs\":1}");
    const QString newer = projectDir + QStringLiteral("/runs/tiny-20240102-090000");
    writeText(newer + QStringLiteral("/metrics.jsonl"),
              "{\"epoch\":0,\"step\":1,\"loss\":5.0,\"lr\":0.1}\n{\"epoch\":0,\"st");
}

QString cell(const QAbstractItemModel& model, int row, int column) {
    return model.data(model.index(row, column)).toString();
}

gps::report::RunCurves lastCurves(const QSignalSpy& spy) {
    return spy.last().at(3).value<gps::report::RunCurves>();
}

} // namespace

class TestRunsPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsRunsWithTheirColumnsAndStates() {
        QTemporaryDir dir;
        writeRuns(dir.path());
        RunModel model;
        model.setProjectFolder(dir.path());
        QCOMPARE(model.runsFolder(), dir.path() + QStringLiteral("/runs"));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.run(0).folder, QStringLiteral("tiny-20240102-090000"));
        QCOMPARE(cell(model, 0, RunModel::State), QStringLiteral("crashed"));
        QCOMPARE(cell(model, 1, RunModel::State), QStringLiteral("failed"));
        QVERIFY(model.data(model.index(1, RunModel::Name), Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("loss became NaN")));
        QCOMPARE(cell(model, 1, RunModel::Positives), QStringLiteral("augment"));
        QCOMPARE(cell(model, 1, RunModel::Preset), QStringLiteral("strong"));
        QCOMPARE(cell(model, 1, RunModel::BestLinear), QStringLiteral("90.0 %")); // from metrics
        QCOMPARE(cell(model, 2, RunModel::State), QStringLiteral("finished"));
        QCOMPARE(cell(model, 2, RunModel::Name), QStringLiteral("tiny-20240101-120000"));
        QCOMPARE(cell(model, 2, RunModel::Method), QStringLiteral("simclr"));
        QCOMPARE(cell(model, 2, RunModel::Positives), QStringLiteral("gps pixels"));
        QCOMPARE(cell(model, 2, RunModel::TauOrK), QStringLiteral("k=5"));
        QCOMPARE(cell(model, 2, RunModel::Epochs), QStringLiteral("3/3"));
        QCOMPARE(cell(model, 2, RunModel::Batch), QStringLiteral("64"));
        QCOMPARE(cell(model, 2, RunModel::BestLinear), QStringLiteral("61.0 %"));
        QCOMPARE(cell(model, 2, RunModel::BestKnn), QStringLiteral("58.0 %"));
        QCOMPARE(cell(model, 2, RunModel::ImagesPerSecond), QStringLiteral("900"));
        QCOMPARE(cell(model, 2, RunModel::Device), QStringLiteral("cpu (2 threads)"));
        QVERIFY(model.flags(model.index(2, RunModel::Name)) & Qt::ItemIsUserCheckable);

        // Without a summary, the lock tells a live run from one whose process died.
        {
            auto lock = gps::project::RunLock::acquire(model.run(0).id.toStdString());
            QVERIFY(lock.ok());
            model.refresh();
            QCOMPARE(cell(model, 0, RunModel::State), QStringLiteral("running"));
        }
        model.refresh();
        QCOMPARE(cell(model, 0, RunModel::State), QStringLiteral("crashed"));

        RunModel empty;
        empty.setProjectFolder(dir.filePath(QStringLiteral("nothing-here")));
        QCOMPARE(empty.rowCount(), 0);
    }

    void sortsNumericallyAndFilters() {
        QTemporaryDir dir;
        writeRuns(dir.path());
        RunsPanel panel;
        panel.setProjectFolder(dir.path());
        QSortFilterProxyModel* proxy = panel.proxy();
        proxy->sort(RunModel::BestLinear, Qt::DescendingOrder);
        QCOMPARE(cell(*proxy, 0, RunModel::BestLinear), QStringLiteral("90.0 %"));
        QCOMPARE(cell(*proxy, 1, RunModel::BestLinear), QStringLiteral("61.0 %"));
        QCOMPARE(cell(*proxy, 2, RunModel::BestLinear), QString()); // none sorts last
        proxy->sort(RunModel::Started, Qt::AscendingOrder);
        QCOMPARE(cell(*proxy, 0, RunModel::Name), QStringLiteral("tiny-20240101-120000"));

        panel.filter()->setText(QStringLiteral("FAILED"));
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(cell(*proxy, 0, RunModel::Name), QStringLiteral("tiny-20240101-130000"));
        panel.filter()->setText(QStringLiteral("gps pix"));
        QCOMPARE(proxy->rowCount(), 1);
        panel.filter()->clear();
        QCOMPARE(proxy->rowCount(), 3);
    }

    void overlaysTakeDistinctStableColours() {
        QTemporaryDir dir;
        writeRuns(dir.path());
        RunsPanel panel;
        panel.setProjectFolder(dir.path());
        QSignalSpy added(&panel, &RunsPanel::overlayAdded);
        QSignalSpy removed(&panel, &RunsPanel::overlayRemoved);
        const auto& palette = RunModel::overlayPalette();

        QVERIFY(!panel.setOverlay(QStringLiteral("no-such-run"), true));
        QVERIFY(panel.setOverlay(QStringLiteral("tiny-20240101-120000"), true));
        QCOMPARE(added.count(), 1);
        const QString first = added.at(0).at(0).toString();
        QCOMPARE(QFileInfo(first).fileName(), QStringLiteral("tiny-20240101-120000"));
        QCOMPARE(added.at(0).at(1).toString(), QStringLiteral("tiny-20240101-120000"));
        QCOMPARE(added.at(0).at(2).value<QColor>(), palette.at(0));
        const auto curves = lastCurves(added);
        QCOMPARE(curves.loss.size(), std::size_t(2));
        QCOMPARE(curves.loss[1].value, 4.0);
        QCOMPARE(curves.knn[0].value, 0.58);
        const int row = panel.model()->findRun(first);
        QCOMPARE(panel.model()
                     ->data(panel.model()->index(row, RunModel::Name), Qt::DecorationRole)
                     .value<QColor>(),
                 palette.at(0));

        QVERIFY(panel.setOverlay(QStringLiteral("tiny-20240101-130000"), true));
        QCOMPARE(added.last().at(2).value<QColor>(), palette.at(1));
        // The crashed run's torn last line is skipped.
        QVERIFY(panel.setOverlay(QStringLiteral("tiny-20240102-090000"), true));
        QCOMPARE(added.last().at(2).value<QColor>(), palette.at(2));
        QCOMPARE(lastCurves(added).loss.size(), std::size_t(1));

        // Unchecking frees a colour; the others keep theirs; the next run takes the free one.
        QVERIFY(panel.setOverlay(QStringLiteral("tiny-20240101-130000"), false));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(panel.model()->overlayColour(first), palette.at(0));
        QVERIFY(panel.setOverlay(QStringLiteral("tiny-20240101-130000"), true));
        QCOMPARE(added.last().at(2).value<QColor>(), palette.at(1));
        panel.refresh(); // colours survive a refresh
        QCOMPARE(panel.model()->overlayColour(first), palette.at(0));

        // Its folder removed, a checked run loses its overlay on refresh.
        QVERIFY(QDir(first).removeRecursively());
        panel.refresh();
        QCOMPARE(removed.last().at(0).toString(), first);
        QCOMPARE(panel.overlaidRuns().size(), 2);
        QCOMPARE(panel.model()->rowCount(), 2);
    }

    void renameAndNoteGoToRunJson() {
        QTemporaryDir dir;
        writeRuns(dir.path());
        RunsPanel panel;
        panel.setProjectFolder(dir.path());
        RunModel* model = panel.model();
        const int row = model->findRun(QStringLiteral("tiny-20240101-120000"));
        const QString id = model->run(row).id;
        const QByteArray summaryBefore = [&] {
            QFile file(id + QStringLiteral("/summary.json"));
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        }();
        QVERIFY(model->setData(model->index(row, RunModel::Name), QStringLiteral("baseline"),
                               Qt::EditRole));
        QCOMPARE(model->setNote(model->findRun(id), QStringLiteral("lr too high\nretry")),
                 QString());
        RunModel again;
        again.setProjectFolder(dir.path());
        const int reread = again.findRun(id);
        QCOMPARE(cell(again, reread, RunModel::Name), QStringLiteral("baseline"));
        QCOMPARE(cell(again, reread, RunModel::Note), QStringLiteral("lr too high"));
        QVERIFY(again.data(again.index(reread, RunModel::Name), Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("retry")));
        QFile summary(id + QStringLiteral("/summary.json"));
        QVERIFY(summary.open(QIODevice::ReadOnly));
        QCOMPARE(summary.readAll(), summaryBefore); // nothing but run.json changed

        // A run.json that does not read: the run is listed, the tooltip names the file.
        writeText(id + QStringLiteral("/run.json"), "{ broken");
        again.refresh();
        QCOMPARE(cell(again, again.findRun(id), RunModel::Name),
                 QStringLiteral("tiny-20240101-120000"));
        QVERIFY(again.data(again.index(again.findRun(id), RunModel::Name), Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("run.json")));
    }

    void followsARunAsItGrows() {
        QTemporaryDir dir;
        const QString run = dir.path() + QStringLiteral("/elsewhere/cli-run");
        const QString metrics = run + QStringLiteral("/metrics.jsonl");
        writeText(run + QStringLiteral("/project.json"), snapshot("gps", "weak", 2));
        writeText(metrics, "{\"epoch\":0,\"step\":1,\"loss\":5.0,\"lr\":0.1}\n");
        RunsPanel panel;
        panel.setProjectFolder(dir.filePath(QStringLiteral("project")));
        panel.follower()->setInterval(50);
        QSignalSpy added(&panel, &RunsPanel::overlayAdded);
        std::optional<gps::project::RunLock> lock;
        {
            auto acquired = gps::project::RunLock::acquire(run.toStdString());
            QVERIFY(acquired.ok());
            lock.emplace(std::move(*acquired));
        }
        QVERIFY(!panel.watchRunFolder(dir.path())); // not a run folder
        QVERIFY(panel.watchRunFolder(run));
        RunModel* model = panel.model();
        const int row = model->findRun(QDir(run).absolutePath());
        QVERIFY(row >= 0);
        QVERIFY(model->run(row).external);
        QVERIFY(cell(*model, row, RunModel::Name).contains(QStringLiteral("watched")));
        QCOMPARE(cell(*model, row, RunModel::State), QStringLiteral("running"));
        QCOMPARE(added.count(), 1);
        QCOMPARE(lastCurves(added).loss.size(), std::size_t(1));

        // Lines appended (the second one in two writes) show up as new points.
        writeText(metrics, "{\"epoch\":0,\"step\":2,\"loss\":4.0,\"lr\":0.1}\n{\"epoch\"", true);
        QTRY_COMPARE(lastCurves(added).loss.size(), std::size_t(2));
        writeText(metrics, ":0,\"step\":3,\"loss\":3.0,\"lr\":0.1}\n", true);
        QTRY_COMPARE(lastCurves(added).loss.size(), std::size_t(3));
        QCOMPARE(lastCurves(added).loss[2].value, 3.0);
        // A resumed run cuts the file back: the curves are read again from its start.
        writeText(metrics, "{\"epoch\":0,\"step\":1,\"loss\":6.0,\"lr\":0.1}\n");
        QTRY_COMPARE(lastCurves(added).loss.size(), std::size_t(1));
        QCOMPARE(lastCurves(added).loss[0].value, 6.0);

        // The process lets go without a summary: the row says crashed, following stops.
        lock.reset();
        QTRY_COMPARE(cell(*model, model->findRun(QDir(run).absolutePath()), RunModel::State),
                     QStringLiteral("crashed"));
        QVERIFY(!panel.follower()->isFollowing(QDir(run).absolutePath()));
    }

    void deleteRefusesARunningRun() {
        QTemporaryDir dir;
        writeRuns(dir.path());
        // The trash of this test, not the user's.
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("data")));
        qputenv("XDG_DATA_HOME", dir.filePath(QStringLiteral("data")).toUtf8());
        RunsPanel panel;
        panel.setProjectFolder(dir.path());
        const int row = panel.model()->findRun(QStringLiteral("tiny-20240102-090000"));
        const QString id = panel.model()->run(row).id;
        {
            auto lock = gps::project::RunLock::acquire(id.toStdString());
            QVERIFY(lock.ok());
            const QString refused = panel.deleteRun(id);
            QVERIFY2(refused.contains(QStringLiteral("still running")), qPrintable(refused));
            QVERIFY(QFileInfo::exists(id));
        }
        QVERIFY(panel.setOverlay(id, true));
        QSignalSpy removed(&panel, &RunsPanel::overlayRemoved);
        const QString error = panel.deleteRun(id);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!QFileInfo::exists(id));
        QVERIFY(QDir(dir.filePath(QStringLiteral("data/Trash/files"))).exists());
        QCOMPARE(panel.model()->rowCount(), 2);
        QCOMPARE(removed.count(), 1);
    }

    void duplicateAsksForTheSnapshot() {
        QTemporaryDir dir;
        writeRuns(dir.path());
        RunsPanel panel;
        panel.setProjectFolder(dir.path());
        QSignalSpy duplicate(&panel, &RunsPanel::duplicateRequested);
        QVERIFY(panel.duplicateRun(QStringLiteral("tiny-20240101-120000")));
        QCOMPARE(duplicate.count(), 1);
        QCOMPARE(duplicate.at(0).at(0).toString(),
                 dir.path() + QStringLiteral("/runs/tiny-20240101-120000/project.json"));
        QVERIFY(!panel.duplicateRun(QStringLiteral("tiny-20240102-090000"))); // no snapshot
        QCOMPARE(duplicate.count(), 1);
    }
};

QTEST_MAIN(TestRunsPanel)
#include "tst_runs_panel.moc"
