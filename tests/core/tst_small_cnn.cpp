#include "models/small_cnn.h"

#include <QtTest>
#include <torch/torch.h>

class TestSmallCnn : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void featureShapeFollowsOptions_data() {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("width");
        QTest::newRow("fashion-mnist") << 1 << 28 << 32;
        QTest::newRow("cifar") << 3 << 32 << 16;
        QTest::newRow("odd side") << 3 << 17 << 8;
    }
    void featureShapeFollowsOptions() {
        QFETCH(int, channels);
        QFETCH(int, side);
        QFETCH(int, width);
        gps::models::SmallCnn net(gps::models::SmallCnnOptions{channels, width});
        const auto features = net->forward(torch::randn({3, channels, side, side}));
        QCOMPARE(features.size(0), 3);
        QCOMPARE(features.size(1), 4 * width);
        QCOMPARE(net->featureDim(), 4 * width);
    }
    void isTheSmallCnnBackbone() {
        gps::models::SmallCnn net(gps::models::SmallCnnOptions{3, 8});
        const gps::models::Backbone backbone = net.ptr();
        QCOMPARE(backbone->config().name, std::string("small_cnn"));
        QCOMPARE(backbone->config().inChannels, 3);
        QCOMPARE(backbone->config().width, 8);
        QVERIFY(backbone->small());
        QCOMPARE(backbone->featureDim(), 32);
        // A config with width 0 gets the default width, and the same layout as the options.
        gps::models::BackboneConfig config;
        config.inChannels = 3;
        const auto made = gps::models::makeBackbone(config);
        QVERIFY(made.ok());
        QCOMPARE((*made)->config().width, gps::models::SmallCnnImpl::kDefaultWidth);
        QCOMPARE((*made)->featureDim(), 4 * gps::models::SmallCnnImpl::kDefaultWidth);
        QVERIFY(dynamic_cast<gps::models::SmallCnnImpl*>(made->get()) != nullptr);
    }
    void differentImagesGiveDifferentFeatures() {
        torch::manual_seed(1);
        gps::models::SmallCnn net;
        net->eval();
        const auto features = net->forward(torch::randn({2, 1, 28, 28}));
        QVERIFY((features[0] - features[1]).abs().sum().item<float>() > 1e-3);
    }
};

QTEST_APPLESS_MAIN(TestSmallCnn)
#include "tst_small_cnn.moc"
