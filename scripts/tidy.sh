#!/usr/bin/env bash
# Runs clang-tidy 14 with the repository's .clang-tidy on every translation unit of core/, ui/
# and app/ (or on the files given), from the build's compile_commands.json; exits non-zero on
# any finding. Usage: bash scripts/tidy.sh [FILE...]. Needs a configured build/ (any build of
# scripts/studio.sh) and the clang-tidy-14 package. About 20 minutes on 2 cores: not in CTest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GPS_BUILD_DIR:-$here/build}"
[ -f "$build/compile_commands.json" ] ||
    { echo "tidy: no $build/compile_commands.json (configure the build first)" >&2; exit 2; }
command -v run-clang-tidy-14 >/dev/null ||
    { echo "tidy: run-clang-tidy-14 missing (apt-get install clang-tidy-14)" >&2; exit 2; }

if [ $# -gt 0 ]; then
    files=("$@")
else
    # Qt's generated moc files are not ours.
    mapfile -t files < <(cd "$here" && ls core/*/*.cpp ui/*.cpp ui/*/*.cpp app/*.cpp app/*/*.cpp)
fi
log="$build/tidy.log"
# -quiet: findings only; the regexes select the files to check by path.
# run-clang-tidy colours its output; the colour codes are taken out so the log can be searched.
run-clang-tidy-14 -quiet -p "$build" -j "$(nproc)" "${files[@]/#/$here/}" 2>&1 |
    sed -r 's/\x1b\[[0-9;]*m//g' >"$log" || true
# Findings in our own files fail; errors inside system headers do not: clang 14 cannot parse
# some of LibTorch's IValue headers in C++20 with GCC 12's library, so the files that include
# them are analysed only in part, and the script says which.
ours="^$here/(core|ui|app|tests)/[^:]+:[0-9]+:[0-9]+: (warning|error): "
# run-clang-tidy prints each file's command line, then that file's diagnostics.
partial=$(awk '/^clang-tidy-14 /{file=$NF} /^\/usr\/[^:]+:[0-9]+:[0-9]+: error: /{print file}' \
    "$log" | sort -u | sed "s#^$here/##")
if [ -n "$partial" ]; then
    echo "tidy: analysed in part (errors inside system headers): $(echo "$partial" | tr '\n' ' ')"
fi
if grep -E "$ours" "$log" >/dev/null; then
    grep -E -A3 "$ours" "$log" | head -200
    echo "tidy: findings above (all of them in $log)" >&2
    exit 1
fi
echo "tidy: ${#files[@]} files, no findings in our own files"
