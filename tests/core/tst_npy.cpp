#include "common/check.h"
#include "common/npy.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <numeric>

using gps::ErrorCode;
using Bytes = std::vector<std::uint8_t>;
using Shape = std::vector<std::int64_t>;

Q_DECLARE_METATYPE(ErrorCode)

namespace {

// A .npy stream with a hand-written header, as other writers (or old NumPy) produce them.
Bytes rawNpy(int major, const std::string& header, const Bytes& data) {
    Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', std::uint8_t(major), 0};
    const std::size_t length = header.size();
    const int lengthBytes = major == 1 ? 2 : 4;
    for (int i = 0; i < lengthBytes; ++i)
        out.push_back(std::uint8_t(length >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

Bytes iota(std::size_t n) {
    Bytes bytes(n);
    std::iota(bytes.begin(), bytes.end(), std::uint8_t(1));
    return bytes;
}

} // namespace

class TestNpy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<int>("itemSize");
        QTest::newRow("f4 0-d") << "<f4" << Shape{} << 4;
        QTest::newRow("f4 1-d") << "<f4" << Shape{5} << 4;
        QTest::newRow("f4 n x d") << "<f4" << Shape{7, 3} << 4;
        QTest::newRow("f8 2x3x4") << "<f8" << Shape{2, 3, 4} << 8;
        QTest::newRow("i8 n x k") << "<i8" << Shape{4, 2} << 8;
        QTest::newRow("i4") << "<i4" << Shape{6} << 4;
        QTest::newRow("u1 images") << "|u1" << Shape{3, 2, 2, 3} << 1;
        QTest::newRow("u2") << "<u2" << Shape{5, 1} << 2;
        QTest::newRow("b1") << "|b1" << Shape{4} << 1;
        QTest::newRow("empty") << "<f4" << Shape{0, 8} << 4;
    }
    void roundTrip() {
        QFETCH(QString, dtype);
        QFETCH(Shape, shape);
        QFETCH(int, itemSize);
        const std::size_t count =
            std::accumulate(shape.begin(), shape.end(), std::size_t(1),
                            [](std::size_t a, std::int64_t d) { return a * std::size_t(d); });
        const Bytes data = iota(count * std::size_t(itemSize));
        const Bytes encoded = gps::encodeNpy(dtype.toStdString(), shape, data.data(), data.size());
        QCOMPARE(gps::npyItemSize(dtype.toStdString()), std::size_t(itemSize));

        auto parsed = gps::parseNpy(encoded, "mem");
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QCOMPARE(parsed->dtype, dtype.toStdString());
        QCOMPARE(parsed->shape, shape);
        QCOMPARE(parsed->count(), count);
        QCOMPARE(parsed->bytes, data);

        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("a.npy")).toStdString();
        QVERIFY(gps::writeNpy(file, dtype.toStdString(), shape, data.data()).ok());
        auto read = gps::readNpy(file);
        QVERIFY(read.ok());
        QCOMPARE(read->bytes, data);
        QCOMPARE(read->shape, shape);
        QCOMPARE(std::filesystem::file_size(file), encoded.size());
    }

    // What numpy.save writes for np.arange(3, dtype='<f4'): NumPy must load ours the same way.
    void encodedHeaderMatchesNumpy() {
        const float values[3] = {0.f, 1.f, 2.f};
        const Bytes encoded = gps::encodeNpy("<f4", {3}, values, sizeof values);
        const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
        QCOMPARE(encoded.size(), std::size_t(128 + 12));
        QCOMPARE(int(encoded[6]), 1);
        QCOMPARE(int(encoded[7]), 0);
        QCOMPARE(int(encoded[8] | encoded[9] << 8), 118); // 128 - 10 prefix bytes
        QCOMPARE(std::string(encoded.begin() + 10, encoded.begin() + 10 + long(dict.size())), dict);
        QCOMPARE(int(encoded[127]), int('\n'));
        QCOMPARE(int(encoded[126]), int(' '));
        QCOMPARE(std::memcmp(encoded.data() + 128, values, sizeof values), 0);

        const Bytes scalar = gps::encodeNpy("<i8", {}, "\1\0\0\0\0\0\0\0", 8);
        QVERIFY(std::string(scalar.begin(), scalar.end()).find("'shape': (), }") !=
                std::string::npos);
        const Bytes matrix = gps::encodeNpy("<i8", {2, 0}, nullptr, 0);
        QVERIFY(std::string(matrix.begin(), matrix.end()).find("'shape': (2, 0), }") !=
                std::string::npos);
        QCOMPARE(matrix.size() % 64, std::size_t(0));
    }

    void headerVariants_data() {
        QTest::addColumn<int>("major");
        QTest::addColumn<QString>("header");
        QTest::addColumn<Shape>("shape");
        QTest::newRow("v1 numpy")
            << 1 << "{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }  \n"
            << Shape{2, 3};
        QTest::newRow("v2") << 2 << "{'descr': '<i2', 'fortran_order': False, 'shape': (6,), }\n"
                            << Shape{6};
        QTest::newRow("v3") << 3 << "{'descr': '<i2', 'fortran_order': False, 'shape': (3, 2)}\n"
                            << Shape{3, 2};
        QTest::newRow("no spaces, no trailing comma")
            << 1 << "{'descr':'<i2','fortran_order':False,'shape':(2,3)}" << Shape{2, 3};
        QTest::newRow("odd spacing")
            << 1 << "{ 'shape' : ( 6 , ) ,  'descr' :'<i2' , 'fortran_order' : False , }\n"
            << Shape{6};
        QTest::newRow("double quotes")
            << 1 << "{\"descr\": \"<i2\", \"fortran_order\": False, \"shape\": (1, 6), }\n"
            << Shape{1, 6};
        QTest::newRow("python 2 longs")
            << 1 << "{'descr': '<i2', 'fortran_order': False, 'shape': (2L, 3L), }\n"
            << Shape{2, 3};
    }
    void headerVariants() {
        QFETCH(int, major);
        QFETCH(QString, header);
        QFETCH(Shape, shape);
        const Bytes data = iota(12);
        auto parsed = gps::parseNpy(rawNpy(major, header.toStdString(), data), "variant.npy");
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QCOMPARE(parsed->dtype, std::string("<i2"));
        QCOMPARE(parsed->shape, shape);
        QCOMPARE(parsed->bytes, data);
    }

    void headerFromPrefixOnly() {
        const Bytes data = iota(4000 * 4);
        const Bytes encoded = gps::encodeNpy("<f4", {1000, 4}, data.data(), data.size());
        const Bytes prefix(encoded.begin(), encoded.begin() + 1024);
        auto header = gps::parseNpyHeader(prefix, "big.npy");
        QVERIFY(header.ok());
        QCOMPARE(header->shape, (Shape{1000, 4}));
        QCOMPARE(header->dataOffset, std::size_t(128));
        QCOMPARE(header->dataBytes(), data.size());
        QVERIFY(!header->fortranOrder);
        auto length = gps::npyHeaderBytes(std::span(prefix).first(12), "big.npy");
        QVERIFY(length.ok());
        QCOMPARE(*length, std::size_t(128));
        // The whole array needs the data: the prefix alone is truncated.
        QCOMPARE(gps::parseNpy(prefix, "big.npy").error().code, ErrorCode::Corrupt);
    }

    // A header longer than 65535 bytes needs format 2.0 (4-byte length), as numpy.save does.
    void hugeHeaderUsesVersion2() {
        Shape shape(25000, 1);
        shape[0] = 0;
        const Bytes encoded = gps::encodeNpy("<f4", shape, nullptr, 0);
        QCOMPARE(int(encoded[6]), 2);
        QCOMPARE(encoded.size() % 64, std::size_t(0));
        auto parsed = gps::parseNpy(encoded, "huge.npy");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->shape, shape);
        const Bytes small = gps::encodeNpy("<f4", {0}, nullptr, 0);
        QCOMPARE(int(small[6]), 1);
    }

    void fortranOrder2dIsTransposed() {
        // 2 × 3 matrix [[1 2 3] [4 5 6]] stored column-major: 1 4 2 5 3 6.
        const Bytes data = {1, 4, 2, 5, 3, 6};
        auto parsed = gps::parseNpy(
            rawNpy(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }\n", data),
            "f.npy");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->bytes, (Bytes{1, 2, 3, 4, 5, 6}));
        QCOMPARE(parsed->shape, (Shape{2, 3}));
    }

    void errors_data() {
        QTest::addColumn<Bytes>("bytes");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("expected");
        const Bytes good = gps::encodeNpy("<i4", {3}, iota(12).data(), 12);
        Bytes badMagic = good;
        badMagic[1] = 'X';
        QTest::newRow("bad magic") << badMagic << ErrorCode::Corrupt << "bad magic";
        QTest::newRow("zip instead")
            << Bytes{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0} << ErrorCode::Corrupt << "found 'PK";
        QTest::newRow("too short")
            << Bytes{0x93, 'N', 'U'} << ErrorCode::Corrupt << "expected at least 10";
        QTest::newRow("truncated data") << Bytes(good.begin(), good.end() - 4) << ErrorCode::Corrupt
                                        << "expected 12 bytes of data, found 8";
        QTest::newRow("truncated header")
            << Bytes(good.begin(), good.begin() + 50) << ErrorCode::Corrupt
            << "header truncated (expected 128 bytes, found 50)";
        QTest::newRow("version 4")
            << rawNpy(4, "{}", {}) << ErrorCode::Unsupported << "version 4.0";
        QTest::newRow("big-endian")
            << rawNpy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", iota(4))
            << ErrorCode::Unsupported << "big-endian dtype '>f4'";
        QTest::newRow("structured")
            << rawNpy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
                      iota(4))
            << ErrorCode::Unsupported << "structured";
        QTest::newRow("strings")
            << rawNpy(1, "{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", iota(12))
            << ErrorCode::Unsupported << "dtype '<U3'";
        QTest::newRow("not a dict")
            << rawNpy(1, "descr=<f4", iota(4)) << ErrorCode::Corrupt << "unparsable .npy header";
        QTest::newRow("missing shape")
            << rawNpy(1, "{'descr': '<f4', 'fortran_order': False}", iota(4)) << ErrorCode::Corrupt
            << "expected keys descr, fortran_order and shape";
        QTest::newRow("bad shape")
            << rawNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", iota(4))
            << ErrorCode::Corrupt << "unparsable .npy header ('shape'";
        QTest::newRow("fortran 3-d")
            << rawNpy(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2, 2)}", iota(8))
            << ErrorCode::Unsupported << "Fortran-ordered";
    }
    void errors() {
        QFETCH(Bytes, bytes);
        QFETCH(ErrorCode, code);
        QFETCH(QString, expected);
        auto parsed = gps::parseNpy(bytes, "data/x.npy");
        QVERIFY(!parsed.ok());
        const QString message = QString::fromStdString(parsed.error().message);
        QCOMPARE(parsed.error().code, code);
        QVERIFY2(message.startsWith(QStringLiteral("data/x.npy: ")), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    // Damaged input must give an error, never a crash or an out-of-bounds read (run under ASan).
    void damagedInputIsAnErrorNotACrash() {
        const Bytes data = iota(24);
        const Bytes good = gps::encodeNpy("<i4", {2, 3}, data.data(), data.size());
        for (std::size_t size = 0; size < good.size(); ++size)
            QVERIFY2(!gps::parseNpy(std::span(good).first(size), "cut.npy").ok(),
                     qPrintable(QString::number(size)));
        std::uint32_t state = 12345;
        int parsed = 0;
        for (int trial = 0; trial < 2000; ++trial) {
            Bytes damaged = good;
            for (int flips = 0; flips < 3; ++flips) {
                state = state * 1664525u + 1013904223u;
                damaged[(state >> 8) % 128] = std::uint8_t(state >> 24);
            }
            auto result = gps::parseNpy(damaged, "flipped.npy");
            parsed += result.ok();
            if (result.ok())
                QVERIFY(result->bytes.size() == result->count() * gps::npyItemSize(result->dtype));
        }
        QVERIFY(parsed < 2000); // most damage is noticed
    }

    void missingFileIsNotFound() {
        auto read = gps::readNpy("/nonexistent/embeddings.npy");
        QVERIFY(!read.ok());
        QCOMPARE(read.error().code, ErrorCode::NotFound);
        QVERIFY(QString::fromStdString(read.error().message)
                    .contains(QStringLiteral("embeddings.npy")));
    }

    void encodeChecksPreconditions() {
        const Bytes data = iota(8);
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, gps::encodeNpy("<f4", {3}, data.data(), 8));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, gps::encodeNpy("<U2", {2}, data.data(), 8));
        QVERIFY_THROWS_EXCEPTION(gps::CheckFailure, gps::encodeNpy(">f4", {2}, data.data(), 8));
    }
};

QTEST_APPLESS_MAIN(TestNpy)
#include "tst_npy.moc"
