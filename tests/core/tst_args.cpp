#include "cli/args.h"

#include <QtTest>

using namespace Qt::StringLiterals;

using gps::cli::Args;
using gps::cli::ArgSpec;

namespace {
const ArgSpec kSpec{"demo", {"--split", "--set", "--views"}, {"--json"}, {"--set"}};
}

class TestArgs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesPositionalOptionsAndFlags() {
        const auto args = Args::parse({"data", "--split", "test", "--json", "--views=4"}, kSpec);
        QVERIFY(args.ok());
        QCOMPARE(args->positional(), std::vector<std::string>{"data"});
        QCOMPARE(args->optionOr("--split", "train"), std::string("test"));
        QVERIFY(args->flag("--json"));
        QCOMPARE(*args->integer("--views", 1, 1, 10), 4LL);
        QCOMPARE(*args->integer("--missing", 7, 1, 10), 7LL);
    }
    void repeatableOptionsKeepEveryValue() {
        const auto args = Args::parse({"--set", "a=1", "--set", "b=2"}, kSpec);
        QVERIFY(args.ok());
        QCOMPARE(args->all("--set"), (std::vector<std::string>{"a=1", "b=2"}));
    }
    void rejectsBadInput_data() {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown option")
            << QStringList{u"--nope"_s} << u"unknown option --nope for 'demo'"_s;
        QTest::newRow("missing value") << QStringList{u"--split"_s} << u"--split needs a value"_s;
        QTest::newRow("flag with value")
            << QStringList{u"--json=1"_s} << u"--json takes no value"_s;
        QTest::newRow("given twice")
            << QStringList{u"--split"_s, u"a"_s, u"--split"_s, u"b"_s} << "--split given twice";
    }
    void rejectsBadInput() {
        QFETCH(QStringList, words);
        QFETCH(QString, expected);
        std::vector<std::string> list;
        for (const auto& word : words)
            list.push_back(word.toStdString());
        const auto args = Args::parse(list, kSpec);
        QVERIFY(!args.ok());
        QVERIFY2(QString::fromStdString(args.error().message).contains(expected),
                 args.error().message.c_str());
    }
    void numbersAreCheckedAndRanged_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("in range") << u"5"_s << true;
        QTest::newRow("too big") << u"11"_s << false;
        QTest::newRow("not a number") << u"five"_s << false;
        QTest::newRow("trailing junk") << u"5x"_s << false;
    }
    void numbersAreCheckedAndRanged() {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        const auto args = Args::parse({"--views", value.toStdString()}, kSpec);
        QVERIFY(args.ok());
        const auto number = args->integer("--views", 1, 1, 10);
        QCOMPARE(number.ok(), ok);
        if (!ok)
            QVERIFY(number.error().message.rfind("--views:", 0) == 0);
    }
};

QTEST_APPLESS_MAIN(TestArgs)
#include "tst_args.moc"
