#include "common/lru_cache.h"
#include "data/dataset_open.h"
#include "data/image_check.h"
#include "data/image_folder.h"
#include "fixtures_folder.h"
#include "test_data.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <fstream>
#include <thread>

using gps::ErrorCode;
using gps::data::ImageShape;
using gps::data::OpenOptions;
using gps::test::TinyImages;
using Bytes = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

namespace {

// Indices of `images` in the order a labelled folder lists them: by class, then by index.
std::vector<int> folderOrder(const TinyImages& images) {
    std::vector<int> order;
    for (int c = 0; c < std::max(images.classes, 1); ++c)
        for (int i = 0; i < images.count; ++i)
            if (images.classes == 0 || images.labels[std::size_t(i)] == c)
                order.push_back(i);
    return order;
}

// Largest absolute difference between dataset image `index` and tiny image `tiny`.
int maxDifference(const cv::Mat& image, const TinyImages& images, int tiny) {
    int worst = 0;
    for (int y = 0; y < images.height; ++y)
        for (int x = 0; x < images.width; ++x)
            for (int c = 0; c < images.channels; ++c)
                worst = std::max(worst,
                                 std::abs(int(image.ptr<std::uint8_t>(y)[x * images.channels + c]) -
                                          int(images.at(tiny, y, x, c))));
    return worst;
}

// Mean absolute difference, rounded up: lossy codecs are judged on average.
int meanDifference(const cv::Mat& image, const TinyImages& images, int tiny) {
    long total = 0;
    for (int y = 0; y < images.height; ++y)
        for (int x = 0; x < images.width; ++x)
            for (int c = 0; c < images.channels; ++c)
                total += std::abs(int(image.ptr<std::uint8_t>(y)[x * images.channels + c]) -
                                  int(images.at(tiny, y, x, c)));
    const long samples = long(images.height) * images.width * images.channels;
    return int((total + samples - 1) / samples);
}

Bytes solid(int height, int width, std::vector<std::uint8_t> colour) {
    Bytes pixels;
    for (int i = 0; i < height * width; ++i)
        pixels.insert(pixels.end(), colour.begin(), colour.end());
    return pixels;
}

bool allPixelsEqual(const cv::Mat& image, std::vector<std::uint8_t> colour) {
    for (int y = 0; y < image.rows; ++y)
        for (int x = 0; x < image.cols; ++x)
            for (int c = 0; c < image.channels(); ++c)
                if (image.ptr<std::uint8_t>(y)[x * image.channels() + c] != colour[std::size_t(c)])
                    return false;
    return true;
}

QString joined(const std::vector<std::string>& lines) {
    QString text;
    for (const auto& line : lines)
        text += QString::fromStdString(line) + QLatin1Char('\n');
    return text;
}

} // namespace

class TestImageFolder : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> m_dir;
    fs::path dir(const char* name) const {
        return m_dir->filePath(QString::fromUtf8(name)).toStdString();
    }

private Q_SLOTS:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void labelledLayout_data() {
        QTest::addColumn<QString>("extension");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("tolerance");
        QTest::newRow("png rgb") << ".png" << 3 << 0;
        QTest::newRow("png grey") << ".png" << 1 << 0;
        QTest::newRow("bmp rgb") << ".bmp" << 3 << 0;
        QTest::newRow("webp lossless") << ".webp" << 3 << 0;
        QTest::newRow("jpeg upper case")
            << ".JPG" << 3 << 12; // lossy (chroma subsampling): judged on the mean
    }
    void labelledLayout() {
        QFETCH(QString, extension);
        QFETCH(int, channels);
        QFETCH(int, tolerance);
        const TinyImages images = gps::test::makeTinyImages(9, 16, 16, channels, 3);
        const fs::path root = dir("labelled");
        gps::test::writeImageFolder(root, images, {"cats", "dogs", "owls"},
                                    extension.toStdString());
        auto dataset = gps::data::openImageFolder(root, {});
        QVERIFY2(dataset.ok(), dataset.ok() ? "" : dataset.error().message.c_str());
        const auto& d = **dataset;
        QCOMPARE(d.size(), std::size_t(9));
        QCOMPARE(d.classNames(), (std::vector<std::string>{"cats", "dogs", "owls"}));
        QCOMPARE(d.shape(), (ImageShape{16, 16, channels}));
        QCOMPARE(d.split(), std::string("train"));
        QCOMPARE(d.format(), std::string("image-folder"));
        QVERIFY(d.labelled());
        QVERIFY(d.block() == nullptr);
        const auto order = folderOrder(images);
        for (std::size_t i = 0; i < d.size(); ++i) {
            QCOMPARE(d.label(i), images.labels[std::size_t(order[i])]);
            const cv::Mat image = d.image(i);
            QCOMPARE(image.type(), CV_8UC(channels));
            const int difference = tolerance == 0 ? maxDifference(image, images, order[i])
                                                  : meanDifference(image, images, order[i]);
            QVERIFY2(difference <= tolerance, qPrintable(QString::number(difference)));
        }
        QVERIFY(d.warnings().empty());
    }

    void flatLayoutIsUnlabelled() {
        const TinyImages images = gps::test::makeTinyImages(5, 20, 20, 3, 0);
        gps::test::writeImageFolder(dir("flat"), images, {});
        auto dataset = gps::data::openImageFolder(dir("flat"), {});
        QVERIFY(dataset.ok());
        QVERIFY(!(*dataset)->labelled());
        QVERIFY((*dataset)->classNames().empty());
        QCOMPARE((*dataset)->label(2), gps::data::kNoLabel);
        QCOMPARE((*dataset)->size(), std::size_t(5));
        QCOMPARE(maxDifference((*dataset)->image(3), images, 3), 0);
    }

    void splitFoldersAreSplits() {
        const TinyImages train = gps::test::makeTinyImages(6, 16, 16, 3, 3);
        TinyImages test = gps::test::makeTinyImages(2, 16, 16, 3, 3, 7);
        test.labels = {2, 2}; // the test split has no "a" or "b" folder
        gps::test::writeImageFolder(dir("s") / "train", train, {"a", "b", "c"});
        gps::test::writeImageFolder(dir("s") / "test", test, {"a", "b", "c"});
        fs::remove(dir("s") / "test" / "a");
        OpenOptions options;
        options.split = "test";
        auto dataset = gps::data::openImageFolder(dir("s"), options);
        QVERIFY2(dataset.ok(), dataset.ok() ? "" : dataset.error().message.c_str());
        QCOMPARE((*dataset)->split(), std::string("test"));
        QCOMPARE((*dataset)->classNames(), (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE((*dataset)->label(0), 2); // indexes the union, not the split's own folders
        QCOMPARE(maxDifference((*dataset)->image(1), test, 1), 0);

        auto info = gps::data::describeImageFolder(dir("s"), {});
        QVERIFY(info.ok());
        QCOMPARE(info->splits.size(), std::size_t(2));
        QCOMPARE(info->splits[0].name, std::string("train"));
        QCOMPARE(info->splits[0].size, std::size_t(6));
        QCOMPARE(info->splits[1].name, std::string("test"));
        QCOMPARE(info->splits[1].size, std::size_t(2));
        QCOMPARE(info->shape, (ImageShape{16, 16, 3}));

        options.split = "val";
        auto missing = gps::data::openImageFolder(dir("s"), options);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY(QString::fromStdString(missing.error().message)
                    .contains(QStringLiteral("available: train, test")));
    }

    void resizeAndCentreCrop() {
        const fs::path root = dir("sizes");
        // 16 × 48: red | green | blue thirds. The centre crop of side 16 is all green.
        Bytes stripes;
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 48; ++x)
                stripes.insert(stripes.end(), {std::uint8_t(x < 16 ? 255 : 0),
                                               std::uint8_t(x >= 16 && x < 32 ? 255 : 0),
                                               std::uint8_t(x >= 32 ? 255 : 0)});
        gps::test::writeImageFile(root / "a.png", 16, 48, 3, stripes);
        gps::test::writeImageFile(root / "b.png", 60, 30, 3, solid(60, 30, {10, 200, 30}));
        gps::test::writeImageFile(root / "c.png", 8, 8, 3, solid(8, 8, {1, 2, 3}));
        auto dataset = gps::data::openImageFolder(root, {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->shape(), (ImageShape{16, 16, 3})); // a.png's shorter side
        QVERIFY(allPixelsEqual((*dataset)->image(0), {0, 255, 0}));
        QVERIFY(allPixelsEqual((*dataset)->image(1), {10, 200, 30}));
        QVERIFY(allPixelsEqual((*dataset)->image(2), {1, 2, 3})); // enlarged
        QCOMPARE((*dataset)->image(1).size(), cv::Size(16, 16));

        OpenOptions options;
        options.imageSize = 12;
        dataset = gps::data::openImageFolder(root, options);
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->shape(), (ImageShape{12, 12, 3}));
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE((*dataset)->image(i).size(), cv::Size(12, 12));
        QVERIFY((*dataset)->image(0).isContinuous());
    }

    void workingSizeClampedFromFirstImage() {
        gps::test::writeImageFile(dir("tiny") / "a.png", 4, 6, 1, Bytes(24, 9));
        auto dataset = gps::data::openImageFolder(dir("tiny"), {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->shape(), (ImageShape{16, 16, 1}));
        gps::test::writeImageFile(dir("huge") / "a.png", 300, 400, 3, Bytes(300 * 400 * 3, 9));
        dataset = gps::data::openImageFolder(dir("huge"), {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->shape(), (ImageShape{256, 256, 3}));
    }

    void channelsFollowFirstImage() {
        const fs::path root = dir("mixed");
        std::vector<std::uint16_t> deep(16 * 16, std::uint16_t(100 * 257));
        gps::test::writeImageFile(root / "a.png", 16, 16, 1, {}, deep); // 16-bit grey first
        gps::test::writeImageFile(root / "b.png", 16, 16, 3, solid(16, 16, {200, 100, 50}));
        auto dataset = gps::data::openImageFolder(root, {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->shape().channels, 1);
        QVERIFY(allPixelsEqual((*dataset)->image(0), {100}));
        QCOMPARE((*dataset)->image(1).channels(), 1);

        const fs::path colour = dir("alpha");
        gps::test::writeImageFile(colour / "a.png", 16, 16, 4, solid(16, 16, {200, 100, 50, 7}));
        gps::test::writeImageFile(colour / "b.png", 16, 16, 1, Bytes(256, 77));
        dataset = gps::data::openImageFolder(colour, {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->shape().channels, 3);
        QVERIFY(allPixelsEqual((*dataset)->image(0), {200, 100, 50})); // alpha dropped, RGB order
        QVERIFY(allPixelsEqual((*dataset)->image(1), {77, 77, 77}));
    }

    void skippedFilesGiveOneWarning() {
        const TinyImages images = gps::test::makeTinyImages(4, 16, 16, 3, 2);
        const fs::path root = dir("bad");
        gps::test::writeImageFolder(root, images, {"cats", "dogs"});
        gps::test::writeEmptyFile(root / "cats" / "x.jpg");
        gps::test::writeNotAnImage(root / "dogs" / "y.png");
        fs::create_symlink(root / "gone.png", root / "dogs" / "w.png"); // a link to nothing
        auto dataset = gps::data::openImageFolder(root, {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->size(), std::size_t(4));
        QCOMPARE((*dataset)->warnings(),
                 (std::vector<std::string>{"skipped 3 unreadable files: cats/x.jpg (empty file), "
                                           "dogs/w.png (broken link), dogs/y.png (not an image)"}));

        for (int i = 0; i < 12; ++i)
            gps::test::writeEmptyFile(root / "dogs" / ("z" + std::to_string(i + 10) + ".png"));
        dataset = gps::data::openImageFolder(root, {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->warnings().size(), std::size_t(1));
        const QString warning = QString::fromStdString((*dataset)->warnings()[0]);
        QVERIFY2(warning.startsWith(
                     QStringLiteral("skipped 15 unreadable files: cats/x.jpg (empty file), ")),
                 qPrintable(warning));
        QVERIFY2(warning.endsWith(QStringLiteral(", and 5 more")), qPrintable(warning));
    }

    // A file that passes the cheap check at open but cannot be decoded is never served as a
    // made-up image: image() throws, tryImage() names it, and it is listed once, found lazily.
    void undecodableFileIsReportedNotInvented_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("garbage after a PNG signature") << "garbage"
                                                       << "cannot be decoded";
        QTest::newRow("truncated PNG") << "truncated"
                                       << "cannot be decoded";
        QTest::newRow("PNG declaring 100000 x 100000")
            << "huge"
            << "declares 100000 × 100000 pixels, above the limit";
    }
    void undecodableFileIsReportedNotInvented() {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        const TinyImages images = gps::test::makeTinyImages(3, 16, 16, 3, 0);
        const fs::path root = dir("broken");
        gps::test::writeImageFolder(root, images, {});
        const fs::path bad = root / "img_00001b.png"; // sorts between images 1 and 2
        if (kind == QStringLiteral("garbage"))
            gps::test::writeUndecodableImage(bad);
        if (kind == QStringLiteral("truncated"))
            gps::test::writeTruncatedPng(bad);
        if (kind == QStringLiteral("huge"))
            gps::test::writePngDeclaring(bad, 100000, 100000);
        auto dataset = gps::data::openImageFolder(root, {});
        QVERIFY(dataset.ok());
        const auto& d = **dataset;
        QCOMPARE(d.size(), std::size_t(4));
        QVERIFY(d.warnings().empty()); // nothing decoded yet
        QVERIFY(d.unreadableFiles().empty());

        std::vector<std::thread> threads;
        std::atomic<int> failed{0};
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] { failed += d.tryImage(2).ok() ? 0 : 1; });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(failed.load(), 4);
        QVERIFY_THROWS_EXCEPTION(gps::data::UnreadableImageError, d.image(2));
        const auto tried = d.tryImage(2);
        QCOMPARE(tried.error().code, ErrorCode::Corrupt);
        const QString message = QString::fromStdString(tried.error().message);
        QVERIFY2(message.startsWith(QStringLiteral("img_00001b.png: ") + reason),
                 qPrintable(message));

        const auto unreadable = d.unreadableFiles();
        QCOMPARE(unreadable.size(), std::size_t(1)); // recorded once, whatever the threads did
        QCOMPARE(unreadable[0].file, std::string("img_00001b.png"));
        QCOMPARE(unreadable[0].row, std::size_t(2));
        QVERIFY(QString::fromStdString(unreadable[0].reason).startsWith(reason));
        const auto warnings = d.warnings();
        QCOMPARE(warnings.size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(warnings[0])
                     .startsWith(QStringLiteral("img_00001b.png (image 2): ") + reason),
                 warnings[0].c_str());
        QCOMPARE(maxDifference(d.image(3), images, 2), 0); // the neighbours are untouched
        QVERIFY(d.tryImage(1).ok());
    }

    // Files the cheap check rejects are no rows, and each is listed with its reason.
    void skippedFilesAreListedWithReasons_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("zero-byte file") << "empty"
                                        << "empty file";
        QTest::newRow("text named .jpg") << "text"
                                         << "not an image";
        QTest::newRow("unreadable file") << "unreadable"
                                         << "cannot open";
    }
    void skippedFilesAreListedWithReasons() {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        const fs::path root = dir("skip");
        gps::test::writeImageFolder(root, gps::test::makeTinyImages(2, 16, 16, 3, 0), {});
        const fs::path bad = root / "zz.jpg";
        if (kind == QStringLiteral("empty"))
            gps::test::writeEmptyFile(bad);
        if (kind == QStringLiteral("text"))
            gps::test::writeNotAnImage(bad);
        if (kind == QStringLiteral("unreadable")) {
            gps::test::writeTruncatedPng(bad);
            fs::permissions(bad, fs::perms::none);
            if (std::ifstream(bad).good()) // root reads whatever the permissions say
                QSKIP("permissions do not stop this user from reading the file");
        }
        auto dataset = gps::data::openImageFolder(root, {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->size(), std::size_t(2));
        QCOMPARE((*dataset)->unreadableFiles(),
                 (std::vector<gps::data::UnreadableFile>{
                     {"zz.jpg", reason.toStdString(), gps::data::kNoRow}}));
        QVERIFY(joined((*dataset)->warnings()).contains(QStringLiteral("zz.jpg (") + reason));
    }

    // The size check reads headers only; it must agree with what the encoder wrote.
    void declaredSizeMatchesTheFile_data() {
        QTest::addColumn<QString>("extension");
        QTest::newRow("png") << ".png";
        QTest::newRow("jpeg") << ".jpg";
        QTest::newRow("bmp") << ".bmp";
        QTest::newRow("webp") << ".webp";
    }
    void declaredSizeMatchesTheFile() {
        QFETCH(QString, extension);
        const fs::path file = dir("size") / ("a" + extension.toStdString());
        gps::test::writeImageFile(file, 23, 37, 3, Bytes(23 * 37 * 3, 90));
        const auto size = gps::data::readDeclaredSize(file);
        QVERIFY2(size.ok(), size.ok() ? "" : size.error().message.c_str());
        QCOMPARE(*size, cv::Size(37, 23));
        gps::test::writePngDeclaring(dir("size") / "huge.png", 100000, 70000);
        QCOMPARE(*gps::data::readDeclaredSize(dir("size") / "huge.png"), cv::Size(100000, 70000));
    }

    // `dataset check` decodes everything once and lists every unreadable file, by row.
    void checkImagesFindsEveryUnreadableFile() {
        const fs::path root = dir("check");
        gps::test::writeImageFolder(root, gps::test::makeTinyImages(30, 16, 16, 3, 2), {"a", "b"});
        gps::test::writeTruncatedPng(root / "b" / "img_00004x.png");
        gps::test::writePngDeclaring(root / "a" / "img_00000x.png", 100000, 100000);
        gps::test::writeEmptyFile(root / "a" / "empty.png");
        auto dataset = gps::data::openImageFolder(root, {});
        QVERIFY(dataset.ok());
        std::atomic<int> calls{0};
        auto check = gps::data::checkImages(**dataset, [&](double, std::string_view) {
            ++calls;
            return true;
        });
        QVERIFY(check.ok());
        QVERIFY(check->decoded);
        QCOMPARE(check->images, std::size_t(32));
        QVERIFY(calls.load() >= 2);
        QCOMPARE(check->unreadable.size(), std::size_t(3));
        QCOMPARE(check->unreadable[0].file, std::string("a/empty.png"));
        QCOMPARE(check->unreadable[0].row, gps::data::kNoRow);
        QCOMPARE(check->unreadable[1].file, std::string("a/img_00000x.png"));
        QCOMPARE(check->unreadable[1].row, std::size_t(1));
        QCOMPARE(check->unreadable[2].file, std::string("b/img_00004x.png"));
        QCOMPARE(check->unreadable[2].row, std::size_t(18));
        QCOMPARE((*dataset)->unreadableFiles().size(), std::size_t(3));

        auto cancelled =
            gps::data::checkImages(**dataset, [](double, std::string_view) { return false; });
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
    }

    void emptyFolderIsAnError() {
        fs::create_directories(dir("empty") / "sub");
        gps::test::writeNotAnImage(dir("empty") / "readme.txt");
        auto dataset = gps::data::openImageFolder(dir("empty"), {});
        QVERIFY(!dataset.ok());
        QCOMPARE(dataset.error().code, ErrorCode::NotFound);
        const QString message = QString::fromStdString(dataset.error().message);
        QVERIFY2(message.contains(QString::fromStdString(dir("empty").string())),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral(".jpg .jpeg .png .bmp .webp")),
                 qPrintable(message));
        QVERIFY(!gps::data::isImageFolder(dir("empty")));
        QVERIFY(!gps::data::detectFormat(dir("empty")).ok());
    }

    void emptyClassFolderWarns() {
        gps::test::writeImageFolder(dir("classes"), gps::test::makeTinyImages(2, 16, 16, 3, 1),
                                    {"full"});
        fs::create_directories(dir("classes") / "void");
        auto dataset = gps::data::openImageFolder(dir("classes"), {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->classNames(), (std::vector<std::string>{"full", "void"}));
        QVERIFY2(
            joined((*dataset)->warnings()).contains(QStringLiteral("void: empty class folder")),
            qPrintable(joined((*dataset)->warnings())));
    }

    void hiddenAndOtherFilesIgnored() {
        gps::test::writeImageFolder(dir("h"), gps::test::makeTinyImages(2, 16, 16, 3, 0), {});
        gps::test::writeImageFile(dir("h") / ".hidden.png", 16, 16, 1, Bytes(256, 1));
        gps::test::writeImageFile(dir("h") / ".thumbs" / "t.png", 16, 16, 1, Bytes(256, 1));
        gps::test::writeNotAnImage(dir("h") / "notes.txt");
        gps::test::writeImageFile(dir("h") / "UPPER.JPEG", 16, 16, 3, Bytes(768, 1));
        auto dataset = gps::data::openImageFolder(dir("h"), {});
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->size(), std::size_t(3));
        QVERIFY(!(*dataset)->labelled()); // .thumbs is hidden, not a class
        QCOMPARE((*dataset)->file(0).filename().string(), std::string("UPPER.JPEG"));
        QVERIFY((*dataset)->warnings().empty());
    }

    void limitKeepsFirstFiles() {
        const TinyImages images = gps::test::makeTinyImages(6, 16, 16, 3, 0);
        gps::test::writeImageFolder(dir("lim"), images, {});
        OpenOptions options;
        options.limit = 4;
        auto dataset = gps::data::openImageFolder(dir("lim"), options);
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->size(), std::size_t(4));
        QCOMPARE(maxDifference((*dataset)->image(3), images, 3), 0);
        auto info = gps::data::describeImageFolder(dir("lim"), options);
        QVERIFY(info.ok());
        QCOMPARE(info->splits[0].size, std::size_t(4));
    }

    void lruCacheEvictsLeastRecentlyUsed() {
        gps::LruCache<int, int> cache(2);
        cache.put(1, 10);
        cache.put(2, 20);
        QCOMPARE(cache.get(1).value_or(-1), 10); // 1 is now the most recent
        cache.put(3, 30);
        QVERIFY(!cache.get(2).has_value());
        QCOMPARE(cache.get(1).value_or(-1), 10);
        QCOMPARE(cache.get(3).value_or(-1), 30);
        QCOMPARE(cache.size(), std::size_t(2));
        gps::LruCache<int, int> off(0);
        off.put(1, 1);
        QVERIFY(!off.get(1).has_value());
    }

    void cacheStaysBoundedUnderConcurrentReads() {
        const TinyImages images = gps::test::makeTinyImages(40, 16, 16, 3, 0);
        gps::test::writeImageFolder(dir("cache"), images, {});
        OpenOptions options;
        options.cacheImages = 5;
        auto dataset = gps::data::openImageFolder(dir("cache"), options);
        QVERIFY(dataset.ok());
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int round = 0; round < 3; ++round)
                    for (int k = 0; k < 40; ++k) {
                        const int i = (k * (2 * t + 1) + round) % 40;
                        wrong += maxDifference((*dataset)->image(std::size_t(i)), images, i) != 0;
                    }
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(wrong.load(), 0);
        QCOMPARE((*dataset)->cachedImages(), std::size_t(5));
    }

    void detectedThroughDatasetOpen_data() {
        QTest::addColumn<QString>("layout");
        QTest::newRow("labelled") << "labelled";
        QTest::newRow("flat") << "flat";
        QTest::newRow("split of classes") << "split";
    }
    void detectedThroughDatasetOpen() {
        QFETCH(QString, layout);
        const TinyImages images = gps::test::makeTinyImages(4, 16, 16, 3, 2);
        const fs::path root = dir("detect");
        if (layout == QStringLiteral("labelled"))
            gps::test::writeImageFolder(root, images, {"x", "y"});
        if (layout == QStringLiteral("flat"))
            gps::test::writeImageFolder(root, images, {});
        if (layout == QStringLiteral("split"))
            gps::test::writeImageFolder(root / "train", images, {"x", "y"});
        auto format = gps::data::detectFormat(root);
        QVERIFY2(format.ok(), format.ok() ? "" : format.error().message.c_str());
        QCOMPARE(*format, std::string("image-folder"));
        auto dataset = gps::data::openDataset(root.string());
        QVERIFY(dataset.ok());
        QCOMPARE((*dataset)->size(), std::size_t(4));
        auto info = gps::data::describeDataset(root.string());
        QVERIFY(info.ok());
        QCOMPARE(info->format, std::string("image-folder"));
    }

    void tooDeepIsNotDetected() {
        gps::test::writeImageFolder(dir("deep") / "a" / "b",
                                    gps::test::makeTinyImages(1, 16, 16, 3, 0), {});
        QVERIFY(!gps::data::isImageFolder(dir("deep")));
        QVERIFY(gps::data::isImageFolder(dir("deep") / "a"));
    }
};

QTEST_APPLESS_MAIN(TestImageFolder)
#include "tst_image_folder.moc"
