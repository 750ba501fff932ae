#!/usr/bin/env bash
# Prepares a host for swift-lightning: system packages, a release build, and `swift-lightning` on
# the PATH (a symlink in /usr/local/bin). Idempotent: run it again after pulling changes. Run it
# on every host of a cluster (same checkout path everywhere). Needs root or sudo, and Swift.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
packages=(libopenmpi-dev openmpi-bin libopenblas-dev pkg-config iproute2)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${missing[@]}"
else
    echo "setup.sh: packages present: ${packages[*]}"
fi
command -v swift >/dev/null || { echo "setup.sh: swift is not on the PATH (install Swift 6.x first)" >&2; exit 1; }
echo "setup.sh: swift build -c release --product swift-lightning"
swift build -c release --product swift-lightning
binary="$(swift build -c release --show-bin-path)/swift-lightning"
if [ "$(readlink -f /usr/local/bin/swift-lightning 2>/dev/null)" = "$(readlink -f "$binary")" ]; then
    echo "setup.sh: /usr/local/bin/swift-lightning already links to $binary"
else
    $sudo ln -sfn "$binary" /usr/local/bin/swift-lightning
    echo "setup.sh: linked /usr/local/bin/swift-lightning -> $binary"
fi
echo "setup.sh: done: $(command -v swift-lightning); launch with cluster/launch.sh -n N -- fit ..."
