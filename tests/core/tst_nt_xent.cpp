#include "ssl/losses/nt_xent.h"

#include <ATen/ATen.h>
#include <QtTest>

#include <cmath>

class TestNtXent : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Values worked out by hand: with unit vectors the logits are cosines / t, and every row of
    // these symmetric cases has the same loss.
    void matchesHandComputedValues_data() {
        QTest::addColumn<QList<float>>("a");
        QTest::addColumn<QList<float>>("b");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<double>("expected");
        const QList<float> identity{1, 0, 0, 1};
        const QList<float> swapped{0, 1, 1, 0};
        // Positives aligned, negatives orthogonal: -log(e^(1/t) / (e^(1/t) + 2)).
        QTest::newRow("aligned t=1")
            << identity << identity << 1.0 << std::log(1 + 2 / std::exp(1.0));
        QTest::newRow("aligned t=0.5")
            << identity << identity << 0.5 << std::log(1 + 2 * std::exp(-2.0));
        // Positives orthogonal, one negative aligned: -log(1 / (2 + e)).
        QTest::newRow("swapped t=1") << identity << swapped << 1.0 << std::log(2 + std::exp(1.0));
        // Scale does not matter: the loss normalises.
        QTest::newRow("scaled") << QList<float>{5, 0, 0, 5} << identity << 1.0
                                << std::log(1 + 2 / std::exp(1.0));
    }
    void matchesHandComputedValues() {
        QFETCH(QList<float>, a);
        QFETCH(QList<float>, b);
        QFETCH(double, temperature);
        QFETCH(double, expected);
        const auto z1 = at::tensor(std::vector<float>(a.begin(), a.end())).view({2, 2});
        const auto z2 = at::tensor(std::vector<float>(b.begin(), b.end())).view({2, 2});
        const double loss = gps::ssl::ntXentLoss(z1, z2, temperature).item<double>();
        QVERIFY2(std::abs(loss - expected) < 1e-5, qPrintable(QString::number(loss)));
    }
    void gradientPullsPositivesTogether() {
        at::manual_seed(0);
        auto z1 = at::randn({8, 4}).requires_grad_(true);
        const auto z2 = at::randn({8, 4});
        const double before = gps::ssl::ntXentLoss(z1, z2, 0.2).item<double>();
        gps::ssl::ntXentLoss(z1, z2, 0.2).backward();
        const auto moved = (z1 - 0.5 * z1.grad()).detach();
        QVERIFY(gps::ssl::ntXentLoss(moved, z2, 0.2).item<double>() < before);
    }
};

QTEST_APPLESS_MAIN(TestNtXent)
#include "tst_nt_xent.moc"
