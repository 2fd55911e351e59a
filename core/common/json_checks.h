#pragma once
/// Checks on JSON text a user wrote (project files, `--set` values, augmentation specs) that
/// nlohmann's parser does not make: nesting depth, duplicate keys and numbers out of range.
///
/// Why: a document nested tens of thousands of levels deep parses fine but overflows the stack
/// wherever it is later walked or printed (`dump` recurses); a duplicate key silently keeps the
/// last value; `1e999` becomes infinity. Each is refused here with the key's path named.

#include "common/result.h"

#include <string>
#include <string_view>

namespace gps {

/// Deeper than any file the studio writes or reads needs by far.
inline constexpr int kMaxJsonDepth = 64;

/// InvalidInput naming the key path (`train.lr`) when `text` nests objects and arrays deeper
/// than `maxDepth`, repeats a key within one object, or holds a number that is not finite.
/// Syntax errors are not reported here: the caller's parser reports them with line and column.
/// `at` names where `text` sits in a larger document (`train.lr` for a `--set` value).
Status checkJsonText(std::string_view text, int maxDepth = kMaxJsonDepth,
                     const std::string& at = {});

/// nlohmann's parse_error message without its "[json.exception.parse_error.101] parse error at
/// line 1, column 2: " prefix, for messages that name the place themselves.
std::string jsonParseReason(const std::string& what);

/// True when `text` is well-formed UTF-8 (what JSON files and output can hold).
bool isValidUtf8(std::string_view text);

} // namespace gps
