#pragma once
/// Finding the images of an image folder without decoding them: the layout (split folders, class
/// folders or flat), sorted file lists, and a cheap magic-byte check. Used by image_folder.cpp.
///
/// Layouts, tried in this order:
///   root/{train,val,test}/<class>/*.png   split folders holding class folders (labelled)
///   root/{train,val,test}/*.png           split folders holding images (unlabelled)
///   root/<class>/*.png                    class folders: one split, "train" (labelled)
///   root/*.png                            flat: one split, "train" (unlabelled)
/// Extensions .jpg .jpeg .png .bmp .webp in any case; hidden entries (".name") and other files are
/// ignored. Only files directly inside a class (or flat) folder count.
///
/// All functions only read the file system; safe to call from several threads at once.

#include "common/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gps::data {

/// "'.jpg .jpeg .png .bmp .webp'" for messages.
inline constexpr const char* kImageExtensionList = ".jpg .jpeg .png .bmp .webp";

/// Folder names that mark split folders, in the order splits are listed.
inline constexpr const char* kSplitFolderNames[] = {"train", "val", "test"};

/// True for the image extensions above, in any case.
bool hasImageExtension(const std::filesystem::path& path);

/// True when `dir` or a folder below it, at most `depth` - 1 levels down, holds an image file
/// (depth 1: `dir` itself only). Stops at the first image found.
bool containsImages(const std::filesystem::path& dir, int depth);

/// One split's files, sorted by class name then file name.
struct FolderSplit {
    std::string name;          ///< train, val or test
    std::filesystem::path dir; ///< the folder the split was read from
    std::vector<std::filesystem::path> files;
    std::vector<int> labels; ///< one per file indexing FolderLayout::classNames; empty when flat
    std::vector<std::string> warnings; ///< empty class folders, ignored loose images
};

struct FolderLayout {
    std::vector<FolderSplit> splits;     ///< in the order train, val, test
    std::vector<std::string> classNames; ///< sorted union of class folder names over all splits
};

/// Lists the layout of `root`. A split may be empty (no image found); the caller decides whether
/// that is an error. Io when a folder cannot be listed.
Result<FolderLayout> scanImageFolder(const std::filesystem::path& root);

/// Empty when `file` starts like a JPEG, PNG, BMP or WebP file, else the reason it does not
/// ("empty file", "not an image", "cannot open").
std::string checkImageFile(const std::filesystem::path& file);

/// `file` relative to `root` with '/' separators ("cats/x.jpg"), for messages.
std::string relativeName(const std::filesystem::path& file, const std::filesystem::path& root);

} // namespace gps::data
