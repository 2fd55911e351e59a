#include "common/rng.h"

#include <QtTest>

using gps::Rng;

class TestRng : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameSeedSameStream() {
        Rng a(42), b(42);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(a.next(), b.next());
    }
    void differentSeedsDiffer() {
        Rng a(1), b(2);
        int equal = 0;
        for (int i = 0; i < 100; ++i)
            equal += a.next() == b.next();
        QCOMPARE(equal, 0);
    }
    void uniformInRangeWithMeanNearHalf() {
        Rng rng(7);
        double sum = 0;
        for (int i = 0; i < 20000; ++i) {
            const double u = rng.uniform();
            QVERIFY(u >= 0.0 && u < 1.0);
            sum += u;
        }
        QVERIFY(std::abs(sum / 20000 - 0.5) < 0.01);
    }
    void belowCoversEveryValue() {
        Rng rng(3);
        std::vector<int> seen(5, 0);
        for (int i = 0; i < 1000; ++i)
            ++seen[rng.below(5)];
        for (int count : seen)
            QVERIFY(count > 150);
    }
    void derivedSeedsAreDistinct() {
        QVERIFY(gps::deriveSeed(1, 0, 0) != gps::deriveSeed(1, 0, 1));
        QVERIFY(gps::deriveSeed(1, 0, 1) != gps::deriveSeed(1, 1, 0));
        QCOMPARE(gps::deriveSeed(9, 4, 2), gps::deriveSeed(9, 4, 2));
    }
};

QTEST_APPLESS_MAIN(TestRng)
#include "tst_rng.moc"
