// Every SSL loss against values worked out by hand on 1–4 rows of 2–3 dimensions, against a
// naive loop written independently of the implementation, for symmetry, the temperature's
// effect and for where gradients flow (stop-gradient targets get none).
#include "ssl/losses/barlow_loss.h"
#include "ssl/losses/byol_loss.h"
#include "ssl/losses/info_nce.h"
#include "ssl/losses/nnclr_loss.h"
#include "ssl/losses/simsiam_loss.h"
#include "ssl/losses/vicreg_loss.h"

#include <ATen/ATen.h>
#include <QtTest>

#include <cmath>
#include <vector>

namespace {

using Rows = QList<QList<double>>;

at::Tensor tensorOf(const Rows& rows) {
    std::vector<float> flat;
    for (const auto& row : rows)
        flat.insert(flat.end(), row.begin(), row.end());
    const int64_t cols = rows.isEmpty() ? 0 : rows.front().size();
    return at::tensor(flat).view({int64_t(rows.size()), cols});
}

double value(const at::Tensor& t) {
    return t.item<double>();
}

bool near(double a, double b, double tolerance = 1e-4) {
    return std::abs(a - b) < tolerance;
}

// Naive references: plain loops over doubles, written from the papers' formulas.
std::vector<std::vector<double>> toRows(const at::Tensor& t) {
    std::vector<std::vector<double>> rows(t.size(0), std::vector<double>(t.size(1)));
    const auto d = t.to(at::kDouble).contiguous();
    for (int64_t i = 0; i < t.size(0); ++i)
        for (int64_t j = 0; j < t.size(1); ++j)
            rows[i][j] = d[i][j].item<double>();
    return rows;
}

double naiveVicReg(const at::Tensor& a, const at::Tensor& b, double wi, double wv, double wc) {
    const auto z = std::vector{toRows(a), toRows(b)};
    const std::size_t n = z[0].size(), d = z[0][0].size();
    double invariance = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < d; ++j)
            invariance += (z[0][i][j] - z[1][i][j]) * (z[0][i][j] - z[1][i][j]) / double(n * d);
    double variance = 0, covariance = 0;
    for (const auto& view : z) {
        std::vector<double> mean(d, 0);
        for (const auto& row : view)
            for (std::size_t j = 0; j < d; ++j)
                mean[j] += row[j] / double(n);
        for (std::size_t j = 0; j < d; ++j) {
            for (std::size_t k = 0; k < d; ++k) {
                double c = 0;
                for (const auto& row : view)
                    c += (row[j] - mean[j]) * (row[k] - mean[k]);
                c /= double(n - 1);
                if (j == k)
                    variance += std::max(0.0, 1 - std::sqrt(c + 1e-4)) / double(d);
                else
                    covariance += c * c / double(d);
            }
        }
    }
    return wi * invariance + wv * variance + wc * covariance;
}

double naiveBarlow(const at::Tensor& a, const at::Tensor& b, double lambda, double scale) {
    auto standardized = [](std::vector<std::vector<double>> rows) {
        const std::size_t n = rows.size();
        for (std::size_t j = 0; j < rows[0].size(); ++j) {
            double mean = 0, var = 0;
            for (const auto& row : rows)
                mean += row[j] / double(n);
            for (const auto& row : rows)
                var += (row[j] - mean) * (row[j] - mean) / double(n);
            for (auto& row : rows)
                row[j] = (row[j] - mean) / std::sqrt(var + 1e-5);
        }
        return rows;
    };
    const auto x = standardized(toRows(a));
    const auto y = standardized(toRows(b));
    const std::size_t n = x.size(), d = x[0].size();
    double loss = 0;
    for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j < d; ++j) {
            double c = 0;
            for (std::size_t r = 0; r < n; ++r)
                c += x[r][i] * y[r][j] / double(n);
            loss += i == j ? (1 - c) * (1 - c) : lambda * c * c;
        }
    return scale * loss;
}

} // namespace

class TestSslLosses : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void normalizedMse_data() {
        QTest::addColumn<Rows>("a");
        QTest::addColumn<Rows>("b");
        QTest::addColumn<double>("expected");
        // 2 − 2·mean(cos): cosines 1 and 1/√2.
        QTest::newRow("aligned and 45°")
            << Rows{{1, 0}, {0, 1}} << Rows{{3, 0}, {1, 1}} << 2 - (1 + 1 / std::sqrt(2.0));
        QTest::newRow("opposite") << Rows{{1, 2}} << Rows{{-2, -4}} << 4.0;
        QTest::newRow("orthogonal 3-d")
            << Rows{{1, 0, 0}, {0, 0, 2}} << Rows{{0, 1, 0}, {0, 0, 1}} << 1.0;
    }
    void normalizedMse() {
        QFETCH(Rows, a);
        QFETCH(Rows, b);
        QFETCH(double, expected);
        const double forward = value(gps::ssl::normalizedMseLoss(tensorOf(a), tensorOf(b)));
        const double swapped = value(gps::ssl::normalizedMseLoss(tensorOf(b), tensorOf(a)));
        QVERIFY2(near(forward, expected), qPrintable(QString::number(forward)));
        QVERIFY(near(swapped, forward));
        QVERIFY(near(value(gps::ssl::byolLoss(tensorOf(a), tensorOf(b))), expected));
    }
    void byolStopsGradientAtTheTarget() {
        at::manual_seed(0);
        auto p = at::randn({4, 3}).requires_grad_(true);
        auto z = at::randn({4, 3}).requires_grad_(true);
        gps::ssl::byolLoss(p, z).backward();
        QVERIFY(p.grad().defined() && p.grad().abs().sum().item<double>() > 0);
        QVERIFY(!z.grad().defined());
        // Without the stop-gradient both sides learn.
        auto a = at::randn({4, 3}).requires_grad_(true);
        auto b = at::randn({4, 3}).requires_grad_(true);
        gps::ssl::normalizedMseLoss(a, b).backward();
        QVERIFY(a.grad().defined() && b.grad().defined());
        QVERIFY(b.grad().abs().sum().item<double>() > 0);
    }

    void negativeCosine_data() {
        QTest::addColumn<Rows>("p");
        QTest::addColumn<Rows>("z");
        QTest::addColumn<double>("expected");
        QTest::newRow("orthogonal and aligned")
            << Rows{{1, 0}, {0, 2}} << Rows{{0, 1}, {0, 1}} << -0.5;
        QTest::newRow("opposite") << Rows{{1, 1}} << Rows{{-3, -3}} << 1.0;
        QTest::newRow("60°") << Rows{{1, 0, 0}} << Rows{{0.5, std::sqrt(3.0) / 2, 0}} << -0.5;
    }
    void negativeCosine() {
        QFETCH(Rows, p);
        QFETCH(Rows, z);
        QFETCH(double, expected);
        const double loss = value(gps::ssl::negativeCosineLoss(tensorOf(p), tensorOf(z)));
        QVERIFY2(near(loss, expected), qPrintable(QString::number(loss)));
    }
    void negativeCosineStopsGradient() {
        at::manual_seed(1);
        auto p = at::randn({3, 2}).requires_grad_(true);
        auto z = at::randn({3, 2}).requires_grad_(true);
        gps::ssl::negativeCosineLoss(p, z).backward();
        QVERIFY(p.grad().defined() && p.grad().abs().sum().item<double>() > 0);
        QVERIFY(!z.grad().defined());
    }

    void vicReg_data() {
        QTest::addColumn<Rows>("z1");
        QTest::addColumn<Rows>("z2");
        QTest::addColumn<double>("invariance");
        QTest::addColumn<double>("variance");
        QTest::addColumn<double>("covariance");
        // Var = 2 per dimension (std 1.41 > 1: no hinge), covariance [[2,2],[2,2]]: off-diagonal
        // squares 8 / D = 4 per view.
        QTest::newRow("identical, correlated")
            << Rows{{1, 1}, {-1, -1}} << Rows{{1, 1}, {-1, -1}} << 0.0 << 0.0 << 8.0;
        // Differences (0, ±2): MSE 2. Second view anti-correlated: still 4 per view.
        QTest::newRow("different views")
            << Rows{{1, 1}, {-1, -1}} << Rows{{1, -1}, {-1, 1}} << 2.0 << 0.0 << 8.0;
        // Dimension 0: var 0.5, hinge 1 − √0.5001; dimension 1 constant: hinge 1 − √1e-4 = 0.99.
        const double hinge = ((1 - std::sqrt(0.5001)) + 0.99) / 2;
        QTest::newRow("collapsed dimension")
            << Rows{{0.5, 3}, {-0.5, 3}} << Rows{{0.5, 3}, {-0.5, 3}} << 0.0 << 2 * hinge << 0.0;
    }
    void vicReg() {
        QFETCH(Rows, z1);
        QFETCH(Rows, z2);
        QFETCH(double, invariance);
        QFETCH(double, variance);
        QFETCH(double, covariance);
        const gps::ssl::VicRegWeights weights{25, 25, 1};
        const auto loss = gps::ssl::vicRegLoss(tensorOf(z1), tensorOf(z2), weights);
        QVERIFY2(near(value(loss.invariance), invariance),
                 qPrintable(QString::number(value(loss.invariance))));
        QVERIFY2(near(value(loss.variance), variance),
                 qPrintable(QString::number(value(loss.variance))));
        QVERIFY2(near(value(loss.covariance), covariance),
                 qPrintable(QString::number(value(loss.covariance))));
        QVERIFY(near(value(loss.total), 25 * invariance + 25 * variance + covariance));
        const auto swapped = gps::ssl::vicRegLoss(tensorOf(z2), tensorOf(z1), weights);
        QVERIFY(near(value(swapped.total), value(loss.total)));
    }
    void vicRegMatchesNaiveLoop() {
        at::manual_seed(2);
        const auto z1 = at::randn({4, 3});
        const auto z2 = at::randn({4, 3}) * 0.5;
        const auto loss = gps::ssl::vicRegLoss(z1, z2, {2.0, 3.0, 0.5});
        const double expected = naiveVicReg(z1, z2, 2.0, 3.0, 0.5);
        QVERIFY2(near(value(loss.total), expected, 1e-4),
                 qPrintable(QStringLiteral("%1 vs %2").arg(value(loss.total)).arg(expected)));
    }

    void barlow_data() {
        QTest::addColumn<Rows>("z1");
        QTest::addColumn<Rows>("z2");
        QTest::addColumn<double>("lambda");
        QTest::addColumn<double>("scale");
        QTest::addColumn<double>("expected");
        // Standardised rows are (±1, ±1) (up to the 1e-5 eps): C = [[1, 1], [1, 1]]; the
        // diagonal is perfect and the two off-diagonal 1s cost λ each.
        const double c = 1 / (1 + 1e-5);
        QTest::newRow("identical, redundant")
            << Rows{{1, 1}, {-1, -1}} << Rows{{1, 1}, {-1, -1}} << 0.5 << 1.0
            << 2 * (1 - c) * (1 - c) + 0.5 * 2 * c * c;
        // C = [[1, −1], [1, −1]]: (1 − 1)² + (1 + 1)² on the diagonal, 1 + 1 off it.
        QTest::newRow("recipe values")
            << Rows{{1, 1}, {-1, -1}} << Rows{{1, -1}, {-1, 1}} << 0.0051 << 0.1
            << 0.1 * ((1 - c) * (1 - c) + (1 + c) * (1 + c) + 0.0051 * 2 * c * c);
        // Decorrelated, perfectly matched dimensions: C = I, loss 0.
        QTest::newRow("identity") << Rows{{1, 1}, {1, -1}, {-1, 1}, {-1, -1}}
                                  << Rows{{1, 1}, {1, -1}, {-1, 1}, {-1, -1}} << 0.0051 << 0.1
                                  << 0.1 * 2 * (1 - c) * (1 - c);
    }
    void barlow() {
        QFETCH(Rows, z1);
        QFETCH(Rows, z2);
        QFETCH(double, lambda);
        QFETCH(double, scale);
        QFETCH(double, expected);
        const double loss =
            value(gps::ssl::barlowTwinsLoss(tensorOf(z1), tensorOf(z2), lambda, scale));
        const double swapped =
            value(gps::ssl::barlowTwinsLoss(tensorOf(z2), tensorOf(z1), lambda, scale));
        QVERIFY2(near(loss, expected, 1e-5), qPrintable(QString::number(loss, 'g', 8)));
        QVERIFY(near(swapped, loss, 1e-5));
    }
    void barlowMatchesNaiveLoop() {
        at::manual_seed(3);
        const auto z1 = at::randn({4, 3});
        const auto z2 = z1 + 0.3 * at::randn({4, 3});
        const double loss = value(gps::ssl::barlowTwinsLoss(z1, z2, 0.2, 0.7));
        const double expected = naiveBarlow(z1, z2, 0.2, 0.7);
        QVERIFY2(near(loss, expected, 1e-4),
                 qPrintable(QStringLiteral("%1 vs %2").arg(loss).arg(expected)));
    }

    void infoNce_data() {
        QTest::addColumn<Rows>("q");
        QTest::addColumn<Rows>("k");
        QTest::addColumn<Rows>("queue");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<double>("expected");
        // Logits [cos(q, k), cos(q, n)] / t, target 0: −log(e^(p/t) / (e^(p/t) + e^(n/t))).
        QTest::newRow("aligned t=1")
            << Rows{{1, 0}} << Rows{{2, 0}} << Rows{{0, 1}} << 1.0 << std::log(1 + std::exp(-1.0));
        QTest::newRow("aligned t=0.5")
            << Rows{{1, 0}} << Rows{{2, 0}} << Rows{{0, 1}} << 0.5 << std::log(1 + std::exp(-2.0));
        QTest::newRow("negative aligned")
            << Rows{{0, 1}} << Rows{{1, 0}} << Rows{{0, 3}} << 1.0 << std::log(1 + std::exp(1.0));
        // Two rows, two negatives; row 2's loss: logits [0, 1, 0] → log(1 + e + 1) − 0.
        QTest::newRow("two rows") << Rows{{1, 0}, {0, 1}} << Rows{{1, 0}, {1, 0}}
                                  << Rows{{0, 1}, {-1, 0}} << 1.0
                                  << (std::log(std::exp(1.0) + 1 + std::exp(-1.0)) - 1 +
                                      std::log(1 + std::exp(1.0) + 1)) /
                                         2;
    }
    void infoNce() {
        QFETCH(Rows, q);
        QFETCH(Rows, k);
        QFETCH(Rows, queue);
        QFETCH(double, temperature);
        QFETCH(double, expected);
        const double loss =
            value(gps::ssl::infoNceLoss(tensorOf(q), tensorOf(k), tensorOf(queue), temperature));
        QVERIFY2(near(loss, expected), qPrintable(QString::number(loss)));
    }
    void infoNceWithEmptyQueueIsZeroAndKeysGetNoGradient() {
        at::manual_seed(4);
        const auto q = at::randn({3, 2});
        const auto k = at::randn({3, 2});
        QVERIFY(near(value(gps::ssl::infoNceLoss(q, k, at::zeros({0, 2}), 0.2)), 0));
        auto qg = q.clone().requires_grad_(true);
        auto kg = k.clone().requires_grad_(true);
        gps::ssl::infoNceLoss(qg, kg, at::randn({5, 2}), 0.2).backward();
        QVERIFY(qg.grad().defined() && qg.grad().abs().sum().item<double>() > 0);
        QVERIFY(!kg.grad().defined());
    }

    void nearestNeighbours() {
        const auto z = tensorOf({{1, 0.1}, {0, 1}, {1, 0.9}, {-1, 0.2}});
        const auto support = tensorOf({{0, 5}, {3, 0}, {1, 1}});
        // Cosine, not dot product: for (1, 0.9) the dot product would pick (0, 5) (4.5 > 1.9),
        // the direction (1, 1) is closest. Rows come back as stored (not normalised).
        const auto nn = gps::ssl::nearestNeighbours(z, support);
        QVERIFY(at::equal(nn, tensorOf({{3, 0}, {0, 5}, {1, 1}, {0, 5}})));
        QVERIFY(!nn.requires_grad());
    }
    void nnclr_data() {
        QTest::addColumn<Rows>("nn");
        QTest::addColumn<Rows>("p");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<double>("expected");
        // logits_ij = cos(nn_i, p_j) / t, target i.
        QTest::newRow("aligned t=1")
            << Rows{{1, 0}, {0, 1}} << Rows{{2, 0}, {0, 3}} << 1.0 << std::log(1 + std::exp(-1.0));
        QTest::newRow("aligned t=0.2")
            << Rows{{1, 0}, {0, 1}} << Rows{{2, 0}, {0, 3}} << 0.2 << std::log(1 + std::exp(-5.0));
        QTest::newRow("crossed t=1")
            << Rows{{1, 0}, {0, 1}} << Rows{{0, 1}, {1, 0}} << 1.0 << std::log(1 + std::exp(1.0));
    }
    void nnclr() {
        QFETCH(Rows, nn);
        QFETCH(Rows, p);
        QFETCH(double, temperature);
        QFETCH(double, expected);
        const double loss = value(gps::ssl::nnclrLoss(tensorOf(nn), tensorOf(p), temperature));
        QVERIFY2(near(loss, expected), qPrintable(QString::number(loss)));
    }
    void nnclrGradientFlowsIntoPredictionsOnly() {
        at::manual_seed(5);
        auto nn = at::randn({4, 3}).requires_grad_(true);
        auto p = at::randn({4, 3}).requires_grad_(true);
        const auto loss = gps::ssl::nnclrLoss(nn, p, 0.2);
        loss.backward();
        QVERIFY(p.grad().defined() && p.grad().abs().sum().item<double>() > 0);
        QVERIFY(!nn.grad().defined());
        // One gradient step on p lowers the loss.
        const auto moved = (p - 0.1 * p.grad()).detach();
        QVERIFY(value(gps::ssl::nnclrLoss(nn.detach(), moved, 0.2)) < value(loss));
    }

    void everyLossHasFiniteGradients() {
        at::manual_seed(6);
        auto a = at::randn({4, 3}).requires_grad_(true);
        auto b = at::randn({4, 3}).requires_grad_(true);
        const at::Tensor losses[] = {
            gps::ssl::normalizedMseLoss(a, b),
            gps::ssl::vicRegLoss(a, b, {}).total,
            gps::ssl::barlowTwinsLoss(a, b, 0.0051, 0.1),
        };
        for (const auto& loss : losses) {
            a.mutable_grad() = at::Tensor();
            b.mutable_grad() = at::Tensor();
            loss.backward();
            QVERIFY(a.grad().defined() && b.grad().defined());
            QVERIFY(a.grad().isfinite().all().item<bool>());
            QVERIFY(a.grad().abs().sum().item<double>() > 0);
            QVERIFY(b.grad().abs().sum().item<double>() > 0);
        }
    }
};

QTEST_APPLESS_MAIN(TestSslLosses)
#include "tst_ssl_losses.moc"
