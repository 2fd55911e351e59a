#include "common/file_io.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
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

std::string asString(const std::vector<std::uint8_t>& bytes) {
    return {bytes.begin(), bytes.end()};
}

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
                               fs::directory_iterator()),
                 1L);
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
    void specialFilesAreNeverReplaced() {
        QTemporaryDir dir;
        const fs::path fifo = dir.filePath(QStringLiteral("pipe")).toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        const gps::Status refused = gps::writeFileAtomic(fifo, std::string("x"));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, gps::ErrorCode::InvalidInput);
        QCOMPARE(refused.error().message,
                 fifo.string() + ": is a named pipe (FIFO), not a regular file; refusing to "
                                 "replace it");
        QVERIFY(fs::is_fifo(fifo));
        // Through a symlink the target is what counts.
        const fs::path link = dir.filePath(QStringLiteral("to-pipe")).toStdString();
        fs::create_symlink(fifo, link);
        QVERIFY(!gps::resolveWriteTarget(link).ok());
        QVERIFY(fs::is_fifo(fifo) && fs::is_symlink(link));
        // A character device, checked without writing anything.
        const auto device = gps::resolveWriteTarget("/dev/null");
        QVERIFY(!device.ok());
        QVERIFY2(device.error().message.find("a character device") != std::string::npos,
                 device.error().message.c_str());
        const auto folder = gps::resolveWriteTarget(dir.path().toStdString());
        QVERIFY(!folder.ok() && folder.error().message.find("a folder") != std::string::npos);
        const auto nowhere = gps::resolveWriteTarget("/no/such/folder/out.npy");
        QVERIFY(!nowhere.ok());
        QCOMPARE(nowhere.error().code, gps::ErrorCode::NotFound);
    }
    void symlinksAreWrittenThrough() {
        QTemporaryDir dir;
        const fs::path real = dir.filePath(QStringLiteral("sub/real.txt")).toStdString();
        fs::create_directories(real.parent_path());
        QVERIFY(gps::writeFileAtomic(real, std::string("old")).ok());
        const fs::path link = dir.filePath(QStringLiteral("link.txt")).toStdString();
        fs::create_symlink("sub/real.txt", link); // relative to the link's folder
        QVERIFY(gps::writeFileAtomic(link, std::string("new")).ok());
        QVERIFY(fs::is_symlink(link));
        QCOMPARE(asString(*gps::readFileBytes(real)), std::string("new"));
        // A dangling link makes its target.
        const fs::path dangling = dir.filePath(QStringLiteral("dangling.txt")).toStdString();
        fs::create_symlink("sub/made.txt", dangling);
        QVERIFY(gps::writeFileAtomic(dangling, std::string("made")).ok());
        QCOMPARE(asString(*gps::readFileBytes(
                     dir.filePath(QStringLiteral("sub/made.txt")).toStdString())),
                 std::string("made"));
        // A loop is an error, not a hang.
        const fs::path loop = dir.filePath(QStringLiteral("loop")).toStdString();
        fs::create_symlink("loop", loop);
        QVERIFY(!gps::writeFileAtomic(loop, std::string("x")).ok());
    }
    void replacingKeepsPermissions() {
        QTemporaryDir dir;
        const fs::path target = dir.filePath(QStringLiteral("script.sh")).toStdString();
        QVERIFY(gps::writeFileAtomic(target, std::string("a")).ok());
        fs::permissions(target, fs::perms::owner_all | fs::perms::group_read);
        QVERIFY(gps::writeFileAtomic(target, std::string("b")).ok());
        QCOMPARE(fs::status(target).permissions(), fs::perms::owner_all | fs::perms::group_read);
    }
};

QTEST_APPLESS_MAIN(TestFileIo)
#include "tst_file_io.moc"
