#!/usr/bin/env bash
# Side-by-side single-thread comparison of swift-lightning-bench with PyTorch on this machine.
# Runs each workload alternately ROUNDS times (default 3) and reports medians and ratios.
# Needs `pip install torch` for the PyTorch half; swift-lightning itself never needs Python.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
swift build -c release --product swift-lightning-bench >/dev/null
export OPENBLAS_NUM_THREADS=1
declare -A ours theirs
for ((r = 0; r < rounds; r++)); do
  for kind in mlp cnn; do
    ours[$kind]+="$(.build/release/swift-lightning-bench "$kind" | awk -v k="${kind}_train_step_ms" '$1==k {print $2}') "
    theirs[$kind]+="$(python3 bench/torch_step.py "$kind" 1 | sed -E 's/.*step_ms=([0-9.]+).*/\1/') "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-10s %12s %12s %8s\n' workload "swift (ms)" "torch (ms)" ratio
for kind in mlp cnn; do
  s=$(echo "${ours[$kind]}" | median); t=$(echo "${theirs[$kind]}" | median)
  printf '%-10s %12s %12s %8s\n' "$kind" "$s" "$t" "$(awk -v s="$s" -v t="$t" 'BEGIN {printf "%.2f", s / t}')"
done
