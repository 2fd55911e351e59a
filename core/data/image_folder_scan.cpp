#include "data/image_folder_scan.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <fstream>
#include <map>

namespace gps::data {
namespace fs = std::filesystem;

namespace {

bool isHidden(const fs::path& path) {
    const std::string name = path.filename().string();
    return !name.empty() && name[0] == '.';
}

bool byFileName(const fs::path& a, const fs::path& b) {
    return a.filename().string() < b.filename().string();
}

struct Listing {
    std::vector<fs::path> folders;
    std::vector<fs::path> images;
};

Result<Listing> listFolder(const fs::path& dir) {
    Listing listing;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path& path = it->path();
        if (isHidden(path))
            continue;
        std::error_code typeError;
        if (it->is_directory(typeError))
            listing.folders.push_back(path);
        else if (hasImageExtension(path) &&
                 (it->is_regular_file(typeError) || it->is_symlink(typeError)))
            listing.images.push_back(path); // a broken link is listed as unreadable, not dropped
    }
    if (ec)
        return makeError(ErrorCode::Io,
                         dir.string() + ": cannot list folder (" + ec.message() + ")");
    std::sort(listing.folders.begin(), listing.folders.end(), byFileName);
    std::sort(listing.images.begin(), listing.images.end(), byFileName);
    return listing;
}

// One split folder; labels index `classNames`, the split's own sorted class folder names.
struct SplitScan {
    FolderSplit split;
    std::vector<std::string> classNames;
};

Result<SplitScan> scanSplitFolder(const std::string& name, const fs::path& dir) {
    auto listing = listFolder(dir);
    if (!listing)
        return listing.error();
    SplitScan scan{FolderSplit{name, dir, {}, {}, {}}, {}};
    const bool labelled = std::any_of(listing->folders.begin(), listing->folders.end(),
                                      [](const fs::path& sub) { return containsImages(sub, 1); });
    if (!labelled) {
        scan.split.files = std::move(listing->images);
        return scan;
    }
    if (!listing->images.empty())
        scan.split.warnings.push_back("ignored " + std::to_string(listing->images.size()) +
                                      " images directly in " + dir.string() +
                                      " (images belong in class folders)");
    for (const fs::path& classDir : listing->folders) {
        auto classListing = listFolder(classDir);
        if (!classListing)
            return classListing.error();
        if (classListing->images.empty())
            scan.split.warnings.push_back(classDir.string() + ": empty class folder (no " +
                                          std::string(kImageExtensionList) + " files)");
        const int label = static_cast<int>(scan.classNames.size());
        scan.classNames.push_back(classDir.filename().string());
        for (auto& file : classListing->images) {
            scan.split.files.push_back(std::move(file));
            scan.split.labels.push_back(label);
        }
    }
    return scan;
}

} // namespace

bool hasImageExtension(const fs::path& path) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return extension == ".jpg" || extension == ".jpeg" || extension == ".png" ||
           extension == ".bmp" || extension == ".webp";
}

bool containsImages(const fs::path& dir, int depth) {
    std::vector<fs::path> folders;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        if (isHidden(it->path()))
            continue;
        std::error_code typeError;
        if (it->is_regular_file(typeError) && hasImageExtension(it->path()))
            return true;
        if (depth > 1 && it->is_directory(typeError))
            folders.push_back(it->path());
    }
    return std::any_of(folders.begin(), folders.end(),
                       [&](const fs::path& sub) { return containsImages(sub, depth - 1); });
}

Result<FolderLayout> scanImageFolder(const fs::path& root) {
    std::vector<SplitScan> scans;
    for (const char* name : kSplitFolderNames) {
        std::error_code ec;
        if (!fs::is_directory(root / name, ec))
            continue;
        auto scan = scanSplitFolder(name, root / name);
        if (!scan)
            return scan.error();
        scans.push_back(std::move(*scan));
    }
    if (scans.empty()) {
        auto scan = scanSplitFolder("train", root);
        if (!scan)
            return scan.error();
        scans.push_back(std::move(*scan));
    }

    // Splits may miss a class (a small test set); labels index the union so they agree.
    FolderLayout layout;
    for (const auto& scan : scans)
        layout.classNames.insert(layout.classNames.end(), scan.classNames.begin(),
                                 scan.classNames.end());
    std::sort(layout.classNames.begin(), layout.classNames.end());
    layout.classNames.erase(std::unique(layout.classNames.begin(), layout.classNames.end()),
                            layout.classNames.end());
    for (auto& scan : scans) {
        for (int& label : scan.split.labels) {
            const auto found = std::lower_bound(layout.classNames.begin(), layout.classNames.end(),
                                                scan.classNames[std::size_t(label)]);
            label = static_cast<int>(found - layout.classNames.begin());
        }
        layout.splits.push_back(std::move(scan.split));
    }
    return layout;
}

std::string checkImageFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) { // only then the extra lstat: this runs for every file of a folder when it opens
        std::error_code ec;
        return fs::is_symlink(fs::symlink_status(file, ec)) ? "broken link" : "cannot open";
    }
    std::array<unsigned char, 12> head{};
    in.read(reinterpret_cast<char*>(head.data()), head.size());
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0)
        return "empty file";
    auto startsWith = [&](std::initializer_list<unsigned char> magic, std::size_t at = 0) {
        return got >= at + magic.size() &&
               std::equal(magic.begin(), magic.end(), head.begin() + at);
    };
    const bool jpeg = startsWith({0xFF, 0xD8, 0xFF});
    const bool png = startsWith({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    const bool bmp = startsWith({'B', 'M'});
    const bool webp = startsWith({'R', 'I', 'F', 'F'}) && startsWith({'W', 'E', 'B', 'P'}, 8);
    return jpeg || png || bmp || webp ? std::string() : std::string("not an image");
}

std::string relativeName(const fs::path& file, const fs::path& root) {
    const fs::path relative = file.lexically_relative(root);
    return (relative.empty() ? file : relative).generic_string();
}

} // namespace gps::data
