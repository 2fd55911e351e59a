// TrainingPanel: choosing another method rebuilds the hyper-parameter form; a bad value stops
// the start with a message naming the key; project files load and save; a tiny run started
// from the panel finishes, enables the buttons again, lists the run and overlays its curves.

#include "fixtures_binary.h"
#include "models/hparam_form.h"
#include "panels/curves_panel.h"
#include "panels/runs_panel.h"
#include "panels/training_form.h"
#include "panels/training_panel.h"
#include "project/project.h"
#include "ssl/registry.h"
#include "widgets/live_plot.h"

#include <QDoubleSpinBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using gps::ui::TrainingPanel;

namespace {

constexpr int kRunTimeoutMs = 120000;

QPushButton* button(const TrainingPanel& panel, const char* name) {
    return panel.findChild<QPushButton*>(QString::fromLatin1(name));
}

/// A project file for a tiny run on a tiny IDX dataset, both written into `dir`.
QString writeTinyProject(const QTemporaryDir& dir) {
    const std::filesystem::path root(dir.path().toStdString());
    gps::test::writeIdxSplit(root / "data", "train", gps::test::makeTinyImages(64, 28, 28, 1, 4),
                             false);
    gps::test::writeIdxSplit(root / "data", "t10k", gps::test::makeTinyImages(32, 28, 28, 1, 4, 3),
                             false);
    const nlohmann::json document = {
        {"version", 1},
        {"name", "tiny-panel"},
        {"dataset", {{"path", "data"}, {"limit", 64}, {"test_limit", 32}}},
        {"backbone", {{"name", "small_cnn"}, {"width", 8}}},
        {"method", {{"name", "simclr"}}},
        {"train",
         {{"epochs", 1},
          {"batch_size", 16},
          {"device", "cpu"},
          {"log_every", 1},
          {"warmup_epochs", 0},
          {"data_threads", 1}}},
        {"eval", {{"probe_epochs", 5}}},
    };
    const QString path = dir.filePath(QStringLiteral("tiny.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(QByteArray::fromStdString(document.dump(2)));
    return path;
}

} // namespace

class TestTrainingPanel : public QObject {
    Q_OBJECT

    QTemporaryDir m_cache;

private Q_SLOTS:
    void initTestCase() {
        // Embedding caches and default folders of the runs go to temporary places, not $HOME.
        QVERIFY(m_cache.isValid());
        qputenv("XDG_CACHE_HOME", QFile::encodeName(m_cache.path()));
        QStandardPaths::setTestModeEnabled(true);
    }

    void changingTheMethodRebuildsTheForm() {
        TrainingPanel panel;
        const auto& registry = gps::ssl::methodRegistry();
        QVERIFY(registry.size() >= 2);
        for (const gps::ssl::MethodInfo& info : registry) {
            QVERIFY(panel.form()->setMethod(QString::fromStdString(info.name)));
            QCOMPARE(panel.form()->method(), QString::fromStdString(info.name));
            const auto& schema = panel.form()->hparamForm()->schema();
            QCOMPARE(schema.size(), info.hparams.size());
            for (std::size_t i = 0; i < schema.size(); ++i)
                QCOMPARE(schema[i].name, info.hparams[i].name);
            QCOMPARE(panel.form()->methodDescription(), QString::fromStdString(info.description));
            // The recipe's optimiser settings come with the method.
            QCOMPARE(panel.form()->lrBox()->value(), info.defaultLr);
        }
        QVERIFY(!panel.form()->setMethod(QStringLiteral("no-such-method")));
    }

    void badValueNamesTheKey() {
        TrainingPanel panel;
        QSignalSpy started(&panel, &TrainingPanel::runStarted);
        panel.form()->lrBox()->setValue(0.0);
        QVERIFY(!panel.start());
        QVERIFY2(panel.errorText().contains(QStringLiteral("train.lr")),
                 qPrintable(panel.errorText()));
        QCOMPARE(panel.state(), TrainingPanel::State::Idle);
        QVERIFY(button(panel, "startButton")->isEnabled());
        QCOMPARE(started.count(), 0);

        // A combination the file format rejects: synthetic positives need a VAE prior.
        panel.form()->lrBox()->setValue(0.3);
        panel.setPrior(QStringLiteral("pixels"));
        QVERIFY(panel.form()->setPositiveSource(QStringLiteral("synthetic")));
        QVERIFY(!panel.start());
        QVERIFY2(panel.errorText().contains(QStringLiteral("positives.source")),
                 qPrintable(panel.errorText()));
        QVERIFY(panel.logText().contains(QStringLiteral("positives.source")));
    }

    void projectFilesLoadAndSave() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        TrainingPanel panel;
        panel.form()->setMethod(QStringLiteral("byol"));
        panel.form()->epochsBox()->setValue(7);
        panel.setDataset(QStringLiteral("fashion-mnist"));
        const QString path = dir.filePath(QStringLiteral("saved.json"));
        QVERIFY2(panel.saveProjectFile(path), qPrintable(panel.errorText()));
        QCOMPARE(panel.runsFolder(), QDir(dir.path()).filePath(QStringLiteral("runs")));

        TrainingPanel other;
        QVERIFY2(other.loadProjectFile(path), qPrintable(other.errorText()));
        QCOMPARE(other.form()->method(), QStringLiteral("byol"));
        QCOMPARE(other.form()->epochsBox()->value(), 7);
        QCOMPARE(other.runsFolder(), panel.runsFolder());

        // A broken file: the loader's message, verbatim, names the file.
        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ \"version\": 1, \"train\": { \"epochs\": -3 } }");
        file.close();
        QVERIFY(!other.loadProjectFile(broken));
        QVERIFY2(other.errorText().contains(QStringLiteral("broken.json")) &&
                     other.errorText().contains(QStringLiteral("train.epochs")),
                 qPrintable(other.errorText()));
        QCOMPARE(other.form()->epochsBox()->value(), 7); // nothing changed
    }

    void startToFinishedEnablesTheButtons() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        TrainingPanel panel;
        QVERIFY2(panel.loadProjectFile(writeTinyProject(dir)), qPrintable(panel.errorText()));
        QCOMPARE(panel.form()->limitBox()->value(), 64);
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        QSignalSpy failed(&panel, &TrainingPanel::runFailed);

        QVERIFY2(panel.start(), qPrintable(panel.errorText()));
        QCOMPARE(panel.state(), TrainingPanel::State::Running);
        QVERIFY(!button(panel, "startButton")->isEnabled());
        QVERIFY(button(panel, "pauseButton")->isEnabled());
        QVERIFY(button(panel, "stopButton")->isEnabled());
        // The form stays editable: edits apply to the next run, the running one keeps its own.
        QVERIFY(panel.form()->isEnabled());
        panel.form()->epochsBox()->setValue(9);
        QCOMPARE(panel.runningProject()->train.epochs, 1);
        QVERIFY2(panel.contextText().contains(QStringLiteral("apply to the next run")),
                 qPrintable(panel.contextText()));

        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kRunTimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(panel.errorText()));
        QCOMPARE(panel.state(), TrainingPanel::State::Idle);
        QVERIFY(button(panel, "startButton")->isEnabled());
        QVERIFY(!button(panel, "pauseButton")->isEnabled());
        QVERIFY(!button(panel, "stopButton")->isEnabled());
        QVERIFY(panel.form()->isEnabled());
        QVERIFY(panel.summaryText().contains(QStringLiteral("Finished")));
        QVERIFY(panel.curves()->lossPlot()->pointCount(gps::ui::CurvesPanel::lossSeries()) > 0);

        // The run is listed, and checking it overlays its curves.
        auto* runs = panel.runs();
        const QStringList names = [&] {
            QStringList list;
            QDir folder(panel.runsFolder());
            for (const QString& entry : folder.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
                list << entry;
            return list;
        }();
        QCOMPARE(names.size(), 1);
        QSignalSpy added(runs, &gps::ui::RunsPanel::overlayAdded);
        QVERIFY(runs->setOverlay(names.first(), true));
        QCOMPARE(added.count(), 1);
        QVERIFY(panel.curves()->lossPlot()->overlayCount() >= 1);
        QVERIFY(runs->setOverlay(names.first(), false));
        QCOMPARE(panel.curves()->lossPlot()->overlayCount(), 0);
    }
};

QTEST_MAIN(TestTrainingPanel)
#include "tst_training_panel.moc"
