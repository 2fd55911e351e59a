#include "common/file_io.h"

#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

void writeGzip(const fs::path& path, const std::string& content) {
    gzFile file = gzopen(path.c_str(), "wb");
    gzwrite(file, content.data(), static_cast<unsigned>(content.size()));
    gzclose(file);
}

std::string asString(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

} // namespace

class TestFileIo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsPlainAndGzipFiles() {
        QTemporaryDir dir;
        const fs::path plain = dir.filePath(QStringLiteral("a.bin")).toStdString();
        const fs::path packed = dir.filePath(QStringLiteral("a.bin.gz")).toStdString();
        const std::string content(100000, 'x');
        QVERIFY(gps::writeFileAtomic(plain, content).ok());
        writeGzip(packed, content);
        QCOMPARE(asString(*gps::readFileBytes(plain)), content);
        QCOMPARE(asString(*gps::readFileBytes(packed)), content);
    }
    void truncatedGzipIsCorruptAndNamesTheFile() {
        QTemporaryDir dir;
        const fs::path packed = dir.filePath(QStringLiteral("cut.gz")).toStdString();
        std::string content;
        for (int i = 0; i < 200000; ++i)
            content += static_cast<char>(i * 7919 % 251);
        writeGzip(packed, content);
        fs::resize_file(packed, fs::file_size(packed) / 2);
        const auto bytes = gps::readFileBytes(packed);
        QVERIFY(!bytes.ok());
        QCOMPARE(bytes.error().code, gps::ErrorCode::Corrupt);
        QVERIFY(bytes.error().message.find("cut.gz") != std::string::npos);
    }
    void missingFileIsNotFound() {
        const auto bytes = gps::readFileBytes("/nonexistent/file.bin");
        QVERIFY(!bytes.ok());
        QCOMPARE(bytes.error().code, gps::ErrorCode::NotFound);
    }
    void atomicWriteReplacesAndLeavesNoTemporaries() {
        QTemporaryDir dir;
        const fs::path target = dir.filePath(QStringLiteral("out.txt")).toStdString();
        QVERIFY(gps::writeFileAtomic(target, std::string("first")).ok());
        QVERIFY(gps::writeFileAtomic(target, std::string("second")).ok());
        QCOMPARE(asString(*gps::readFileBytes(target)), std::string("second"));
        QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()),
                               fs::directory_iterator()), 1L);
    }
    void failedWriteKeepsTheOldFile() {
        QTemporaryDir dir;
        const fs::path target = dir.filePath(QStringLiteral("keep.txt")).toStdString();
        QVERIFY(gps::writeFileAtomic(target, std::string("precious")).ok());
        // A directory where the file should be renamed to makes the replace step fail.
        const fs::path blocked = dir.filePath(QStringLiteral("blocked")).toStdString();
        fs::create_directories(blocked / "inside");
        QVERIFY(!gps::writeFileAtomic(blocked, std::string("new")).ok());
        QCOMPARE(asString(*gps::readFileBytes(target)), std::string("precious"));
    }
};

QTEST_APPLESS_MAIN(TestFileIo)
#include "tst_file_io.moc"
