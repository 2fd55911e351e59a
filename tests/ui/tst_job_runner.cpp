// JobRunner: results, progress and failures reach the GUI thread as queued signals; every kind
// of exception becomes a readable failure; cancel reaches a busy worker directly; a runner runs
// at most its own limit of jobs at once on the shared pool and queues the rest in order.

#include "bridge/job_runner.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>

using gps::ui::JobContext;
using gps::ui::JobRunner;

class TestJobRunner : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resultIsDeliveredOnTheGuiThread() {
        JobRunner runner;
        QSignalSpy succeeded(&runner, &JobRunner::succeeded);
        std::atomic<QThread*> workerThread{nullptr};
        QThread* deliveredOn = nullptr;
        connect(&runner, &JobRunner::succeeded, this,
                [&](quint64, const QVariant&) { deliveredOn = QThread::currentThread(); });

        const quint64 id = runner.start([&](const JobContext&) -> gps::Result<QVariant> {
            workerThread = QThread::currentThread();
            return QVariant(6 * 7);
        });
        QVERIFY(runner.isRunning(id));
        QTRY_COMPARE(succeeded.count(), 1);
        QCOMPARE(succeeded.at(0).at(0).toULongLong(), id);
        QCOMPARE(succeeded.at(0).at(1).toInt(), 42);
        QVERIFY(workerThread.load() != QThread::currentThread());
        QCOMPARE(deliveredOn, QThread::currentThread());
        QVERIFY(!runner.isRunning(id));
    }

    void progressIsReported() {
        JobRunner runner;
        QSignalSpy progressed(&runner, &JobRunner::progressed);
        QSignalSpy succeeded(&runner, &JobRunner::succeeded);
        runner.start([](const JobContext& context) -> gps::Result<QVariant> {
            context.progress(1.0, "all done");
            return QVariant(true);
        });
        QTRY_COMPARE(succeeded.count(), 1);
        QCOMPARE(progressed.count(), 1); // queued before the result, so it has arrived
        QCOMPARE(progressed.at(0).at(1).toDouble(), 1.0);
        QCOMPARE(progressed.at(0).at(2).toString(), QStringLiteral("all done"));
    }

    void failures_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expectedMessage");
        QTest::newRow("result error") << 0 << QStringLiteral("file.npz: not a zip archive");
        QTest::newRow("std::exception") << 1 << QStringLiteral("Unexpected error: boom");
        QTest::newRow("not a std::exception")
            << 2 << QStringLiteral("Unexpected error of an unknown kind");
    }

    void failures() {
        QFETCH(int, kind);
        QFETCH(QString, expectedMessage);
        JobRunner runner;
        QSignalSpy failed(&runner, &JobRunner::failed);
        QSignalSpy succeeded(&runner, &JobRunner::succeeded);
        const quint64 id = runner.start([kind](const JobContext&) -> gps::Result<QVariant> {
            if (kind == 0)
                return gps::makeError(gps::ErrorCode::Corrupt, "file.npz: not a zip archive");
            if (kind == 1)
                throw std::runtime_error("boom");
            throw 42;
        });
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).toULongLong(), id);
        QVERIFY2(failed.at(0).at(1).toString().startsWith(expectedMessage),
                 qPrintable(failed.at(0).at(1).toString()));
        QCOMPARE(succeeded.count(), 0);
    }

    void cancelReachesABusyWorker() {
        JobRunner runner;
        QSignalSpy cancelled(&runner, &JobRunner::cancelled);
        QSignalSpy succeeded(&runner, &JobRunner::succeeded);
        std::atomic<bool> started{false};
        const quint64 id = runner.start([&](const JobContext& context) -> gps::Result<QVariant> {
            started = true;
            // Busy without an event loop: only a directly set flag can stop it.
            while (!context.cancel.cancelled())
                QThread::msleep(1);
            return QVariant(1);
        });
        QTRY_VERIFY(started.load());
        runner.cancel(id);
        QTRY_COMPARE(cancelled.count(), 1);
        QCOMPARE(cancelled.at(0).at(0).toULongLong(), id);
        QCOMPARE(succeeded.count(), 0);
        QCOMPARE(runner.runningCount(), 0);
    }

    void progressReturnsFalseOnceCancelled() {
        JobRunner runner;
        QSignalSpy cancelled(&runner, &JobRunner::cancelled);
        std::atomic<bool> started{false};
        const quint64 id = runner.start([&](const JobContext& context) -> gps::Result<QVariant> {
            started = true;
            while (context.progress(0.5, "working")) // ends only when progress says stop
                QThread::msleep(1);
            return gps::makeError(gps::ErrorCode::Cancelled, "stopped");
        });
        QTRY_VERIFY(started.load());
        runner.cancel(id);
        QTRY_COMPARE(cancelled.count(), 1);
    }

    void destroyingTheRunnerStopsItsJobs() {
        std::atomic<bool> started{false}, stopped{false};
        {
            JobRunner runner;
            runner.start([&](const JobContext& context) -> gps::Result<QVariant> {
                started = true;
                while (!context.cancel.cancelled())
                    QThread::msleep(1);
                stopped = true;
                return QVariant();
            });
            QTRY_VERIFY(started.load());
        } // the destructor cancels and waits
        QVERIFY(stopped.load());
    }

    // Three jobs on a runner limited to one: one runs, two wait in its queue and start in
    // order as the one before ends; a queued job cancelled before its turn never runs.
    void jobsBeyondTheLimitWaitInOrder() {
        JobRunner runner(nullptr, 1);
        QSignalSpy succeeded(&runner, &JobRunner::succeeded);
        QSignalSpy cancelled(&runner, &JobRunner::cancelled);
        std::atomic<bool> release{false};
        std::atomic<int> running{0}, most{0};
        QList<int> order;
        std::mutex orderMutex;
        const auto job = [&](int n) {
            return [&, n](const JobContext&) -> gps::Result<QVariant> {
                most = std::max(most.load(), ++running);
                {
                    const std::lock_guard lock(orderMutex);
                    order << n;
                }
                while (!release)
                    QThread::msleep(1);
                --running;
                return QVariant(n);
            };
        };
        runner.start(job(1));
        const quint64 second = runner.start(job(2));
        runner.start(job(3));
        const quint64 fourth = runner.start(job(4));
        QCOMPARE(runner.queuedCount(), 3);
        QVERIFY(runner.isRunning(second));
        runner.cancel(fourth);
        release = true;
        QTRY_COMPARE(succeeded.count() + cancelled.count(), 4);
        QCOMPARE(succeeded.count(), 3);
        QCOMPARE(cancelled.at(0).at(0).toULongLong(), fourth);
        QCOMPARE(order, (QList<int>{1, 2, 3}));
        QCOMPARE(most.load(), 1);
        QVERIFY(JobRunner::sharedPool().maxThreadCount() >= 4);
    }
};

QTEST_MAIN(TestJobRunner)
#include "tst_job_runner.moc"
