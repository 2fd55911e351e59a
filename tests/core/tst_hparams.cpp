// Hyper-parameter schemas: defaults, overrides, one error message per kind of mistake (each
// naming the key), and the JSON round trip; then the same properties for every registered
// method's schema.
#include "ssl/hparams.h"
#include "ssl/registry.h"

#include <QtTest>
#include <nlohmann/json.hpp>

#include <set>

using gps::ssl::HParamSpec;
using gps::ssl::HParamType;
using nlohmann::json;

namespace {

std::vector<HParamSpec> testSchema() {
    return {{"temperature", HParamType::Float, 0.2, 0.01, 10, "softmax temperature"},
            {"queue_size", HParamType::Int, 0, 0, 1048576, "queue rows; 0 = auto"},
            {"symmetric", HParamType::Bool, 1, 0, 1, "symmetrise the loss"}};
}

} // namespace

class TestHParams : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsFillEveryKey_data() {
        QTest::addColumn<QString>("given");
        QTest::newRow("null") << QStringLiteral("null");
        QTest::newRow("empty object") << QStringLiteral("{}");
    }
    void defaultsFillEveryKey() {
        QFETCH(QString, given);
        const auto values =
            gps::ssl::resolveHParams(testSchema(), json::parse(given.toStdString()), "method.");
        QVERIFY(values.ok());
        QCOMPARE(values->size(), std::size_t(3));
        QCOMPARE(values->at("temperature"), 0.2);
        QCOMPARE(values->at("queue_size"), 0.0);
        QCOMPARE(values->at("symmetric"), 1.0);
    }

    void overridesAreRead_data() {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("expected");
        QTest::newRow("float") << QStringLiteral(R"({"temperature": 0.5})")
                               << QStringLiteral("temperature") << 0.5;
        QTest::newRow("float from integer")
            << QStringLiteral(R"({"temperature": 2})") << QStringLiteral("temperature") << 2.0;
        QTest::newRow("float at lower bound")
            << QStringLiteral(R"({"temperature": 0.01})") << QStringLiteral("temperature") << 0.01;
        QTest::newRow("int") << QStringLiteral(R"({"queue_size": 4096})")
                             << QStringLiteral("queue_size") << 4096.0;
        QTest::newRow("int written as float")
            << QStringLiteral(R"({"queue_size": 64.0})") << QStringLiteral("queue_size") << 64.0;
        QTest::newRow("bool false")
            << QStringLiteral(R"({"symmetric": false})") << QStringLiteral("symmetric") << 0.0;
        QTest::newRow("bool 0") << QStringLiteral(R"({"symmetric": 0})")
                                << QStringLiteral("symmetric") << 0.0;
        QTest::newRow("bool true")
            << QStringLiteral(R"({"symmetric": true})") << QStringLiteral("symmetric") << 1.0;
    }
    void overridesAreRead() {
        QFETCH(QString, given);
        QFETCH(QString, key);
        QFETCH(double, expected);
        const auto values =
            gps::ssl::resolveHParams(testSchema(), json::parse(given.toStdString()), "method.");
        QVERIFY2(values.ok(), values.ok() ? "" : values.error().message.c_str());
        QCOMPARE(values->at(key.toStdString()), expected);
        // The other keys keep their defaults.
        QCOMPARE(values->size(), std::size_t(3));
    }

    void errorsNameTheKey_data() {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("message");
        QTest::newRow("below range")
            << QStringLiteral(R"({"temperature": 0})")
            << QStringLiteral("method.temperature: must be a number in [0.01, 10], got 0");
        QTest::newRow("above range")
            << QStringLiteral(R"({"temperature": 11.5})")
            << QStringLiteral("method.temperature: must be a number in [0.01, 10], got 11.5");
        QTest::newRow("string for float")
            << QStringLiteral(R"({"temperature": "0.2"})")
            << QStringLiteral(R"(method.temperature: must be a number in [0.01, 10], got "0.2")");
        QTest::newRow("bool for float")
            << QStringLiteral(R"({"temperature": true})")
            << QStringLiteral("method.temperature: must be a number in [0.01, 10], got true");
        QTest::newRow("fractional int")
            << QStringLiteral(R"({"queue_size": 1.5})")
            << QStringLiteral("method.queue_size: must be an integer in [0, 1048576], got 1.5");
        QTest::newRow("negative int")
            << QStringLiteral(R"({"queue_size": -1})")
            << QStringLiteral("method.queue_size: must be an integer in [0, 1048576], got -1");
        QTest::newRow("null int")
            << QStringLiteral(R"({"queue_size": null})")
            << QStringLiteral("method.queue_size: must be an integer in [0, 1048576], got null");
        QTest::newRow("bool out of 0/1")
            << QStringLiteral(R"({"symmetric": 2})")
            << QStringLiteral("method.symmetric: must be true or false (or 0/1), got 2");
        QTest::newRow("bool as string")
            << QStringLiteral(R"({"symmetric": "yes"})")
            << QStringLiteral(R"(method.symmetric: must be true or false (or 0/1), got "yes")");
        QTest::newRow("unknown key")
            << QStringLiteral(R"({"tempreature": 0.2})")
            << QStringLiteral("method.tempreature: unknown key (expected one of temperature, "
                              "queue_size, symmetric)");
        QTest::newRow("not an object")
            << QStringLiteral("[1, 2]") << QStringLiteral("method: must be an object, got [1,2]");
    }
    void errorsNameTheKey() {
        QFETCH(QString, given);
        QFETCH(QString, message);
        const auto values =
            gps::ssl::resolveHParams(testSchema(), json::parse(given.toStdString()), "method.");
        QVERIFY(!values.ok());
        QVERIFY(values.error().code == gps::ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(values.error().message), message);
    }
    void prefixIsTheCallersPath() {
        const auto values =
            gps::ssl::resolveHParams(testSchema(), json{{"queue_size", 0.5}}, "runs[2].method.");
        QVERIFY(!values.ok());
        QVERIFY(values.error().message.rfind("runs[2].method.queue_size: ", 0) == 0);
    }

    void jsonHoldsOnlyChangedValues() {
        auto values = gps::ssl::resolveHParams(testSchema(), nullptr, "method.").value();
        QCOMPARE(gps::ssl::hparamsToJson(testSchema(), values), json::object());
        values["queue_size"] = 512;
        values["symmetric"] = 0;
        const json out = gps::ssl::hparamsToJson(testSchema(), values);
        QCOMPARE(out.size(), std::size_t(2));
        QVERIFY(out.at("queue_size").is_number_integer());
        QCOMPARE(out.at("queue_size").get<int>(), 512);
        QVERIFY(out.at("symmetric").is_boolean());
        QCOMPARE(out.at("symmetric").get<bool>(), false);
    }
    void jsonRoundTrips_data() {
        QTest::addColumn<double>("temperature");
        QTest::addColumn<double>("queue");
        QTest::addColumn<double>("symmetric");
        QTest::newRow("defaults") << 0.2 << 0.0 << 1.0;
        QTest::newRow("all changed") << 0.07 << 65536.0 << 0.0;
        QTest::newRow("awkward float") << 0.1 + 0.2 << 3.0 << 1.0;
    }
    void jsonRoundTrips() {
        QFETCH(double, temperature);
        QFETCH(double, queue);
        QFETCH(double, symmetric);
        const gps::ssl::HParams values{
            {"temperature", temperature}, {"queue_size", queue}, {"symmetric", symmetric}};
        // Through text, as a project file would.
        const json text = json::parse(gps::ssl::hparamsToJson(testSchema(), values).dump());
        const auto back = gps::ssl::resolveHParams(testSchema(), text, "method.");
        QVERIFY(back.ok());
        QVERIFY(back.value() == values);
    }

    void registeredSchemasAreWellFormed_data() {
        QTest::addColumn<QString>("method");
        for (const auto& info : gps::ssl::methodRegistry())
            QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
    }
    void registeredSchemasAreWellFormed() {
        QFETCH(QString, method);
        const auto* info = gps::ssl::findMethod(method.toStdString());
        QVERIFY(info);
        QVERIFY(!info->hparams.empty());
        std::set<std::string> names;
        for (const auto& spec : info->hparams) {
            QVERIFY2(names.insert(spec.name).second, spec.name.c_str());
            QVERIFY2(!spec.help.empty() && spec.help.find('\n') == std::string::npos,
                     spec.name.c_str());
            QVERIFY2(spec.defaultValue >= spec.min && spec.defaultValue <= spec.max,
                     spec.name.c_str());
            QVERIFY(spec.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") ==
                    std::string::npos);
        }
        // Defaults resolve, write as an empty object, and a changed value survives the trip.
        auto values = gps::ssl::resolveHParams(info->hparams, json::object(), "method.");
        QVERIFY(values.ok());
        QCOMPARE(gps::ssl::hparamsToJson(info->hparams, values.value()), json::object());
        const auto& first = info->hparams.front();
        values.value()[first.name] = first.max;
        const auto back = gps::ssl::resolveHParams(
            info->hparams, gps::ssl::hparamsToJson(info->hparams, values.value()), "method.");
        QVERIFY(back.ok());
        QVERIFY(back.value() == values.value());
        QVERIFY(info->defaultLr > 0 && info->defaultWeightDecay >= 0);
        QVERIFY(info->defaultOptimizer == "lars" || info->defaultOptimizer == "sgd" ||
                info->defaultOptimizer == "adamw");
    }
};

QTEST_APPLESS_MAIN(TestHParams)
#include "tst_hparams.moc"
