// checkJsonText and isValidUtf8: depth, duplicate keys and out-of-range numbers are refused with
// the key's path; syntax errors are left to the caller's parser; UTF-8 is checked strictly.
#include "common/json_checks.h"

#include <QtTest>

#include <string>

class TestJsonChecks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void refusals_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("depth");
        QTest::addColumn<QString>("message"); // empty: accepted
        auto row = [](const char* name, const char* text, int depth, const char* message) {
            QTest::newRow(name) << QString::fromUtf8(text) << depth << QString::fromUtf8(message);
        };
        row("plain", R"({"a": {"b": [1, 2, {"c": 3}]}})", 64, "");
        row("at the limit", "[[[1]]]", 3, "");
        row("one past", "[[[[1]]]]", 3, "[0][0][0]: nested deeper than 3 levels");
        row("path through keys and indices", R"({"a": [0, {"b": [[]]}]})", 3,
            "a[1].b: nested deeper than 3 levels");
        row("duplicate at the top", R"({"x": 1, "x": 2})", 64,
            "x: the key appears twice in one object (which one is meant?)");
        row("same key in two objects", R"({"a": {"x": 1}, "b": {"x": 2}})", 64, "");
        row("duplicate inside an array", R"([{"k": 1}, {"k": 1, "k": 2}])", 64,
            "[1].k: the key appears twice in one object (which one is meant?)");
        row("infinity", R"({"lr": 1e999})", 64, "lr: the number 1e999 is out of range");
        row("negative infinity", R"([0, -1e400])", 64, "[1]: the number -1e400 is out of range");
        row("tiny is fine", R"({"eps": 1e-999})", 64, "");
        row("syntax errors are the parser's", R"({"a": })", 64, "");
        row("comments", "// note\n{\"a\": 1}", 64, "");
    }
    void refusals() {
        QFETCH(QString, text);
        QFETCH(int, depth);
        QFETCH(QString, message);
        const gps::Status checked = gps::checkJsonText(text.toStdString(), depth);
        if (message.isEmpty()) {
            QVERIFY2(checked.ok(), checked.ok() ? "" : checked.error().message.c_str());
            return;
        }
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code, gps::ErrorCode::InvalidInput);
        QCOMPARE(QString::fromStdString(checked.error().message), message);
    }

    void deepDocumentsDoNotRecurse() {
        // A million levels would overflow any recursive walk; the check is iterative.
        const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
        QVERIFY(!gps::checkJsonText(deep).ok());
    }

    void utf8_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("/tmp/run-1") << true;
        QTest::newRow("two and three bytes") << QByteArray("/tmp/caf\xc3\xa9/\xe2\x82\xac") << true;
        QTest::newRow("four bytes") << QByteArray("\xf0\x9f\x98\x80") << true;
        QTest::newRow("latin-1 byte") << QByteArray("/tmp/caf\xe9") << false;
        QTest::newRow("cut short") << QByteArray("\xe2\x82") << false;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("stray continuation") << QByteArray("a\x80") << false;
    }
    void utf8() {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(gps::isValidUtf8(std::string_view(bytes.constData(), std::size_t(bytes.size()))),
                 valid);
    }
};

QTEST_APPLESS_MAIN(TestJsonChecks)
#include "tst_json_checks.moc"
