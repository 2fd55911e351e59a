#!/usr/bin/env bash
# One entry point for the README's two commands:
#   bash scripts/studio.sh run    install what is missing, build (Release), open the studio
#   bash scripts/studio.sh test   install what is missing, build, run the whole test suite
# Idempotent: packages are installed only when missing, and the build is incremental.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GPS_BUILD_DIR:-$here/build}"
jobs="$(nproc)"
# Paths relative to the checkout in ccache's keys, so a fresh clone (as CI makes) reuses the cache.
export CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=1

packages=(
    g++ make cmake pkg-config ccache clang-format-14
    qt6-base-dev qt6-svg-dev libqcustomplot-dev libqcustomplot2.1-qt6 libgl-dev
    libtorch-dev libfaiss-dev libopenblas0-pthread
    libopencv-dev nlohmann-json3-dev libzip-dev zlib1g-dev
    dataset-fashion-mnist
)

install_missing() {
    local missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "studio: installing ${missing[*]}" >&2
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
}

configure_and_build() {
    if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release \
            -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
    fi
    cmake --build "$build" -j "$jobs"
}

case "${1:-}" in
run)
    install_missing
    configure_and_build
    shift
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        echo "studio: no display found (DISPLAY is unset); the window needs one" >&2
    fi
    exec "$build/app/gps-studio" "${@:-fashion-mnist}"
    ;;
test)
    install_missing
    configure_and_build
    cd "$build"
    exec ctest --output-on-failure -j "$jobs" --timeout 600
    ;;
*)
    echo "usage: bash scripts/studio.sh run [DATASET] | test" >&2
    exit 2
    ;;
esac
