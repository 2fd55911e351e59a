#!/usr/bin/env bash
# Screenshots of the studio for the README and docs/screenshots/, made by driving the real
# window on Fashion-MNIST: the augmentations, the neighbour inspector with an anchor and a τ, the
# map of the prior, two short CLI runs overlaid on the training curves, one run trained in the
# window, and presentation mode. Under Xvfb when it is installed (apt-get install xvfb), else on
# Qt's offscreen platform. Not part of the tests: it takes a few minutes.
#
#   bash scripts/screenshots.sh            # writes docs/screenshots/*.png
#   BUILD=build-other bash scripts/screenshots.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD:-$here/build}"
out="$here/docs/screenshots"
studio="$build/app/gps-studio"
cli="$build/app/gps-studio-cli"
for program in "$studio" "$cli"; do
    [[ -x "$program" ]] || { echo "screenshots: $program is missing; build first (bash scripts/studio.sh build)" >&2; exit 2; }
done
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The studio's settings (window layout, curve options) of this run only, not the user's.
export XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"

if command -v xvfb-run > /dev/null; then
    shoot() { xvfb-run -a -s "-screen 0 1600x1000x24" "$studio" "$@"; }
    echo "screenshots: under Xvfb"
else
    shoot() { "$studio" -platform offscreen "$@"; }
    echo "screenshots: Xvfb is not installed; on Qt's offscreen platform"
fi

# A short project: 3,000 training images, 3 epochs, evaluated after each, probes on 2,000 test
# images. The runs go to $work/runs (a project's runs live beside its file).
write_project() { # NAME POSITIVES
    cat > "$work/$1.json" << EOF
{
  "version": 1,
  "name": "$1",
  "dataset": { "path": "fashion-mnist", "split": "train", "test_split": "test",
               "limit": 3000, "test_limit": 2000 },
  "prior": { "spec": "pca:32" },
  "neighbors": { "k_max": 16, "k": 5, "tau": null, "rule": "uniform", "metric": "l2" },
  "positives": { "source": "$2" },
  "augment": "weak",
  "backbone": { "name": "small_cnn" },
  "method": { "name": "simclr" },
  "train": { "epochs": 3, "batch_size": 128, "seed": 0, "warmup_epochs": 1, "log_every": 5 },
  "eval": { "every": 1, "knn_k": 20, "prior_baseline": true }
}
EOF
}
write_project gps-simclr-weak gps
write_project simclr-weak augment

echo "screenshots: two short runs with the CLI"
"$cli" train "$work/gps-simclr-weak.json" --run-dir "$work/runs/gps-simclr-weak" --json > /dev/null
"$cli" train "$work/simclr-weak.json" --run-dir "$work/runs/simclr-weak" --json > /dev/null

# τ a little inside the suggested one, so the inspector shows a ball smaller than the default.
tau="$("$cli" neighbors fashion-mnist --prior pca:32 --tau auto --json |
    grep -o '"tau": *[0-9.eE+-]*' | head -n 1 | sed 's/.*: *//')"
tau="$(awk -v t="$tau" 'BEGIN { printf "%.4g", 0.85 * t }')"

echo "screenshots: augmentations"
shoot --tab data --screenshot "$out/augmentations.png"
echo "screenshots: neighbours (anchor 3, tau $tau)"
shoot --prior pca:32 --anchor 3 --tau "$tau" --tab neighbours --screenshot "$out/neighbours.png"
echo "screenshots: map"
shoot --prior pca:32 --anchor 3 --tab map --screenshot "$out/map.png"
echo "screenshots: two runs overlaid"
shoot "$work/gps-simclr-weak.json" --tab training --overlay "$work/runs/gps-simclr-weak" \
    --overlay "$work/runs/simclr-weak" --screenshot "$out/runs-overlaid.png"
echo "screenshots: a run trained in the window"
shoot "$work/gps-simclr-weak.json" --train --overlay "$work/runs/simclr-weak" \
    --screenshot "$out/training.png"
echo "screenshots: presentation mode"
shoot "$work/gps-simclr-weak.json" --tab training --presentation \
    --overlay "$work/runs/gps-simclr-weak" --overlay "$work/runs/simclr-weak" \
    --screenshot "$out/presentation.png"
ls -l "$out"
