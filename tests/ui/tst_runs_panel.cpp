// RunsPanel and RunModel: a project's run folders are listed newest first with their summary
// columns; checking a run overlays the curves of its metrics.jsonl; a run whose folder
// disappears loses its overlay on refresh.

#include "models/run_model.h"
#include "panels/runs_panel.h"
#include "project/run_claim.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using gps::ui::RunModel;
using gps::ui::RunsPanel;

namespace {

void writeText(const QString& path, const QByteArray& text) {
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

/// Two runs: an older finished one with a summary, a newer one still writing (no summary, a
/// last line cut short).
void writeRuns(const QString& projectDir) {
    const QString older = projectDir + QStringLiteral("/runs/tiny-20240101-120000");
    writeText(older + QStringLiteral("/metrics.jsonl"),
              "{\"epoch\":0,\"step\":1,\"loss\":4.5,\"lr\":0.1,\"online_probe_acc\":0.2}\n"
              "{\"epoch\":0,\"step\":2,\"loss\":4.0,\"lr\":0.2,\"online_probe_acc\":0.3}\n"
              "{\"epoch\":1,\"step\":2,\"linear_probe_acc\":0.61,\"knn_acc\":0.58}\n");
    writeText(older + QStringLiteral("/summary.json"),
              "{\"epochs\":1,\"final_loss\":4.0,\"linear_probe_acc\":0.61,\"knn_acc\":0.58,"
              "\"stopped\":false}");
    const QString newer = projectDir + QStringLiteral("/runs/tiny-20240102-090000");
    writeText(newer + QStringLiteral("/metrics.jsonl"),
              "{\"epoch\":0,\"step\":1,\"loss\":5.0,\"lr\":0.1}\n{\"epoch\":0,\"st");
}

} // namespace

class TestRunsPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsRunsNewestFirstWithSummaries() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeRuns(dir.path());
        RunModel model;
        model.setProjectFolder(dir.path());
        QCOMPARE(model.runsFolder(), dir.path() + QStringLiteral("/runs"));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.run(0).name, QStringLiteral("tiny-20240102-090000"));
        QVERIFY(!model.run(0).finished);
        QVERIFY(model.data(model.index(0, RunModel::LinearProbe)).toString().isEmpty());
        const gps::ui::RunRow& older = model.run(1);
        QVERIFY(older.finished && !older.stopped);
        QCOMPARE(older.epochs, 1);
        QCOMPARE(model.data(model.index(1, RunModel::LinearProbe)).toString(),
                 QStringLiteral("61.0 %"));
        QCOMPARE(model.data(model.index(1, RunModel::Knn)).toString(), QStringLiteral("58.0 %"));
        QCOMPARE(model.data(model.index(1, RunModel::FinalLoss)).toString(), QStringLiteral("4"));
        QVERIFY(model.flags(model.index(1, RunModel::Name)) & Qt::ItemIsUserCheckable);

        // Without a summary, the lock tells a live run from one whose process died.
        const auto state = [&] {
            return model.data(model.index(0, RunModel::Finished)).toString();
        };
        QCOMPARE(state(), QStringLiteral("crashed"));
        {
            auto lock = gps::project::RunLock::acquire(model.run(0).path.toStdString());
            QVERIFY(lock.ok());
            model.refresh();
            QCOMPARE(state(), QStringLiteral("running"));
        }
        model.refresh();
        QCOMPARE(state(), QStringLiteral("crashed"));
        QCOMPARE(model.data(model.index(1, RunModel::Finished)).toString(), QStringLiteral("yes"));

        RunModel empty;
        empty.setProjectFolder(dir.filePath(QStringLiteral("nothing-here")));
        QCOMPARE(empty.rowCount(), 0);
    }

    void checkingARunOverlaysItsCurves() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeRuns(dir.path());
        RunsPanel panel;
        panel.setProjectFolder(dir.path());
        QSignalSpy added(&panel, &RunsPanel::overlayAdded);
        QSignalSpy removed(&panel, &RunsPanel::overlayRemoved);

        QVERIFY(!panel.setOverlay(QStringLiteral("no-such-run"), true));
        QVERIFY(panel.setOverlay(QStringLiteral("tiny-20240101-120000"), true));
        QCOMPARE(added.count(), 1);
        QCOMPARE(added.at(0).at(0).toString(), QStringLiteral("tiny-20240101-120000"));
        const auto curves = added.at(0).at(3).value<gps::report::RunCurves>();
        QCOMPARE(curves.loss.size(), std::size_t(2));
        QCOMPARE(curves.loss[1].step, 2.0);
        QCOMPARE(curves.loss[1].value, 4.0);
        QCOMPARE(curves.onlineProbe.size(), std::size_t(2));
        QCOMPARE(curves.linearProbe.size(), std::size_t(1));
        QCOMPARE(curves.knn[0].value, 0.58);

        // The run still writing: its torn last line is skipped.
        QVERIFY(panel.setOverlay(QStringLiteral("tiny-20240102-090000"), true));
        QCOMPARE(added.count(), 2);
        QCOMPARE(added.at(1).at(3).value<gps::report::RunCurves>().loss.size(), std::size_t(1));
        QCOMPARE(panel.overlaidRuns().size(), 2);

        QVERIFY(panel.setOverlay(QStringLiteral("tiny-20240102-090000"), false));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(panel.overlaidRuns(), QStringList{QStringLiteral("tiny-20240101-120000")});

        // Its folder removed, a checked run loses its overlay on refresh.
        QVERIFY(
            QDir(dir.path() + QStringLiteral("/runs/tiny-20240101-120000")).removeRecursively());
        panel.refresh();
        QCOMPARE(removed.count(), 2);
        QCOMPARE(removed.at(1).at(0).toString(), QStringLiteral("tiny-20240101-120000"));
        QVERIFY(panel.overlaidRuns().isEmpty());
        QCOMPARE(panel.model()->rowCount(), 1);
    }
};

QTEST_MAIN(TestRunsPanel)
#include "tst_runs_panel.moc"
