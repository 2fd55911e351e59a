#!/usr/bin/env bash
# Builds tests with sanitizers (gcc) and runs them with CTest:
#
#   bash scripts/sanitize.sh asan [TEST...]   ASan + UBSan in build-asan/
#   bash scripts/sanitize.sh tsan [TEST...]   TSan in build-tsan/
#
# TEST: a test executable (tst_npy, tst_batch_source, replay_idx for the corpus replay fuzz/idx,
# gps-studio-cli for the CLI tests' helper). Only those targets (and the libraries they need)
# are built: all of gps_core is instrumented either way, which takes a while on two cores.
# Without TESTs: asan builds and runs everything; tsan runs the threaded units
# (tst_batch_source, tst_trainer, tst_job_runner, tst_training_worker).
#
# UB aborts the test (-fno-sanitize-recover). Reports go to BUILD/reports/ as
# <kind>.<executable>.<pid>. Debian's LibTorch, OpenMP runtime and Qt are not instrumented: TSan
# cannot see their synchronisation, so tsan runs OpenMP loops on one thread and
# scripts/tsan.supp suppresses the hand-offs made inside Qt (named functions of Qt's, never
# ours). See docs/testing.md. Exits 1 when a test failed or a sanitizer reported anything.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${GPS_JOBS:-$(nproc)}"
export CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=1

usage() {
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

kind="${1:-}"
[ $# -gt 0 ] && shift
tests=("$@")
case "$kind" in
asan)
    build="${GPS_ASAN_BUILD_DIR:-$here/build-asan}"
    flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    # Leaks inside uninstrumented libraries at exit (Qt plugins, OpenMP pools) are not ours.
    export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:log_path=$build/reports/asan:log_exe_name=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export UBSAN_OPTIONS="print_stacktrace=1:log_path=$build/reports/ubsan:log_exe_name=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
    ;;
tsan)
    build="${GPS_TSAN_BUILD_DIR:-$here/build-tsan}"
    flags="-fsanitize=thread -fno-omit-frame-pointer"
    [ ${#tests[@]} -gt 0 ] ||
        tests=(tst_batch_source tst_trainer tst_job_runner tst_training_worker)
    export TSAN_OPTIONS="suppressions=$here/scripts/tsan.supp:second_deadlock_stack=1:log_path=$build/reports/tsan:log_exe_name=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
    # libgomp is not instrumented either: TSan cannot see its barriers, so every OpenMP loop
    # would be reported. One OpenMP thread keeps those loops on the calling thread; the threads
    # the studio starts itself (batch worker, training thread, job pool) are what is checked.
    export OMP_THREAD_LIMIT=1
    ;;
*)
    usage
    ;;
esac

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" \
    -DGPS_TEST_TIMEOUT=3600 >/dev/null

# CTest names: core/tst_x and ui/tst_x for tst_x, fuzz/x for replay_x; a helper runs no test.
regex=""
if [ ${#tests[@]} -gt 0 ]; then
    cmake --build "$build" -j "$jobs" --target "${tests[@]}"
    for test in "${tests[@]}"; do
        case "$test" in
        # No groups: CMake's regular expressions allow only a few parentheses in all.
        tst_*) regex+="${regex:+|}^core/$test\$|^ui/$test\$" ;;
        replay_*) regex+="${regex:+|}^fuzz/${test#replay_}\$" ;;
        esac
    done
    [ -n "$regex" ] || { echo "sanitize: no test among: ${tests[*]}" >&2; exit 2; }
else
    cmake --build "$build" -j "$jobs"
fi

rm -rf "$build/reports" && mkdir -p "$build/reports"
log="$build/ctest.log"
status=0
ctest --test-dir "$build" --output-on-failure ${regex:+-R "$regex"} >"$log" 2>&1 || status=$?

echo
echo "sanitize ($kind): $build"
grep -E '^ *[0-9]+/[0-9]+ Test +#' "$log" | sed -E 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: /  /' || true
grep -E 'tests passed|No tests were found' "$log" || true
reports=$(find "$build/reports" -type f | sort)
if [ -n "$reports" ]; then
    echo "reports:"
    for report in $reports; do
        first=$(grep -a -m1 -E 'ERROR: |WARNING: |runtime error' "$report" || head -1 "$report")
        echo "  $(basename "$report"): $first"
    done
    status=1
else
    echo "reports: none"
fi
[ "$status" -eq 0 ] || echo "sanitize: FAILED (ctest log: $log)"
exit "$status"
