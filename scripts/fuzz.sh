#!/usr/bin/env bash
# Fuzzes the dataset readers and the parsers with libFuzzer (clang-14, ASan + UBSan):
#
#   bash scripts/fuzz.sh SECONDS [TARGET...]
#
# TARGETs: idx cifar stl10 npy npz image augment_spec project (default: all of them).
# Harnesses and their input layouts: tests/fuzz/fuzz_<target>.cpp; docs/testing.md.
#
# Builds tests/fuzz/ (its own small CMake project) with clang in build-fuzz/. clang cannot
# compile the files that include LibTorch's headers (tests/fuzz/CMakeLists.txt says why), so the
# project harness links gps_core and the harness from the gcc build folder (GPS_BUILD_DIR,
# default build/, as studio.sh): those two targets are built there first (configured when absent).
#
# Each target runs SECONDS on its corpus tests/fuzz/corpus/<target>/ (new inputs go to a work
# folder in build-fuzz/). Then the corpus is rebuilt from its hand-made seeds (seed-*), its
# findings and the fewest inputs, old or new, that keep every edge reached (libFuzzer -merge=1
# on edges), so it stays small and grows only by what is new. A crash, leak, UB report, timeout or
# out-of-memory is saved in the corpus as crash-<sha1> (leak-, timeout-, oom-): the replay test
# fuzz/<target> of the normal build then fails until the reader is fixed. Prints executions and
# findings per target; exits 1 when anything was found, 2 on a usage or tool problem.
# libFuzzer stops a target at its first finding; GPS_FUZZ_KEEP_GOING=1 runs it in fork mode,
# saving every finding and fuzzing on (for a bug that is known but not fixed yet).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GPS_FUZZ_BUILD_DIR:-$here/build-fuzz}"
core_build="${GPS_BUILD_DIR:-$here/build}"
jobs="${GPS_JOBS:-$(nproc)}"
export CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=1

all_targets=(idx cifar stl10 npy npz image augment_spec project)
# Largest input per target, in bytes: enough for a few small files, small enough to run fast.
declare -A max_len=([idx]=4096 [cifar]=8192 [stl10]=4096 [npy]=2048 [npz]=8192 [image]=8192
                    [augment_spec]=2048 [project]=4096)

usage() {
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[[ $# -ge 1 && "$1" =~ ^[0-9]+$ && "$1" -gt 0 ]] || usage
seconds="$1"
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
    [ -n "${max_len[$target]:-}" ] || { echo "fuzz: unknown target '$target'" >&2; usage; }
done

if ! command -v clang++-14 >/dev/null ||
    ! compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
    echo "fuzz: needs clang-14 and libFuzzer: apt-get install clang-14 libfuzzer-14-dev" \
        "libclang-rt-14-dev" >&2
    exit 2
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

# --- build ----------------------------------------------------------------------------------
gcc_build=""
if [[ " ${targets[*]} " == *" project "* ]]; then
    if [ ! -f "$core_build/CMakeCache.txt" ]; then
        cmake -S "$here" -B "$core_build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}"
    fi
    echo "fuzz: building gps_core and the project harness (gcc) in $core_build" >&2
    cmake --build "$core_build" --target gps_core gps_fuzz_harness_project -j "$jobs"
    gcc_build="$core_build"
fi
cmake -S "$here/tests/fuzz" -B "$build/clang" -DCMAKE_C_COMPILER=clang-14 \
    -DCMAKE_CXX_COMPILER=clang++-14 -DGPS_GCC_BUILD_DIR="$gcc_build" "${launcher[@]}" >/dev/null
cmake --build "$build/clang" -j "$jobs" --target "${targets[@]/#/fuzz_}"

# --- run ------------------------------------------------------------------------------------
mkdir -p "$build/logs" "$build/tmp"
export TMPDIR="$build/tmp" # the harnesses' scratch folders
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

findings=()
summary=()
keep_going=()
[ "${GPS_FUZZ_KEEP_GOING:-0}" = 1 ] &&
    keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
executions() { # LOG: the final "stat::number_of_executed_units", or fork mode's last "#N:"
    { grep -ao 'stat::number_of_executed_units: *[0-9]*' "$1" || grep -ao '^#[0-9]*:' "$1"; } |
        tail -1 | grep -o '[0-9][0-9]*' || echo "?"
}
rate() { # LOG: executions per second, from the final stats or fork mode's last progress line
    { grep -ao 'stat::average_exec_per_sec: *[0-9]*' "$1" || grep -ao 'exec/s [0-9]*' "$1"; } |
        tail -1 | grep -o '[0-9][0-9]*$' || echo "?"
}
artifacts() { # the finding files in a corpus folder
    find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) -printf '%f\n' | sort
}

for target in "${targets[@]}"; do
    corpus="$here/tests/fuzz/corpus/$target"
    work="$build/work/$target"
    log="$build/logs/$target.log"
    mkdir -p "$corpus"
    rm -rf "$work" && mkdir -p "$work"
    before_files=$(find "$corpus" -maxdepth 1 -type f | wc -l)
    before_artifacts=$(artifacts "$corpus")
    echo "fuzz: $target for ${seconds}s (log: $log)" >&2
    dictionary=()
    [ -f "$here/tests/fuzz/$target.dict" ] && dictionary=(-dict="$here/tests/fuzz/$target.dict")
    status=0
    "$build/clang/fuzz_$target" -max_total_time="$seconds" -max_len="${max_len[$target]}" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$corpus/" \
        "${dictionary[@]}" "${keep_going[@]}" "$work" "$corpus" >"$log" 2>&1 || status=$?
    found=$(comm -13 <(echo "$before_artifacts") <(artifacts "$corpus") | tr '\n' ' ')
    # The corpus becomes the seeds, the findings and the fewest other inputs (old or new) that
    # reach every edge reached: libFuzzer's merge on edges alone (counters and value profiles
    # would keep hundreds of near-copies). Merge survives crashing inputs.
    minimized="$build/minimized/$target"
    rm -rf "$minimized" && mkdir -p "$minimized"
    find "$corpus" -maxdepth 1 -type f \( -name 'seed-*' -o -name 'crash-*' -o -name 'leak-*' \
        -o -name 'timeout-*' -o -name 'oom-*' \) -exec cp {} "$minimized/" \;
    if "$build/clang/fuzz_$target" -merge=1 -use_counters=0 -use_value_profile=0 \
        -max_len="${max_len[$target]}" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$build/merge-" "$minimized" "$corpus" "$work" >>"$log" 2>&1; then
        find "$corpus" -maxdepth 1 -type f -delete
        cp "$minimized"/* "$corpus/"
    else
        echo "fuzz: merge failed for $target; corpus left as it was (see $log)" >&2
    fi
    if [ "$status" -ne 0 ] || [ -n "$found" ]; then
        result="FOUND (exit $status): ${found:-see log}"
        findings+=("$target")
        grep -a -m4 -E \
            "^==[0-9]+==ERROR|^SUMMARY|runtime error:|^fuzz check failed|^terminate|^  what" \
            "$log" >&2 || true
    else
        result="ok"
    fi
    after_files=$(find "$corpus" -maxdepth 1 -type f | wc -l)
    summary+=("$(printf '%-13s %12s %8s %9s   %s' "$target" "$(executions "$log")" "$(rate "$log")" \
        "$before_files->$after_files" "$result")")
done

echo
printf '%-13s %12s %8s %9s   %s\n' target executions exec/s corpus result
printf '%s\n' "${summary[@]}"
if [ ${#findings[@]} -gt 0 ]; then
    echo "fuzz: findings in ${findings[*]}: inputs saved in tests/fuzz/corpus/<target>/;" \
        "reproduce with build-fuzz/clang/fuzz_<target> FILE" >&2
    exit 1
fi
