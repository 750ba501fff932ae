#!/usr/bin/env bash
# Side by side with PyTorch Lightning on this machine, in one run: Trainer throughput and overhead
# (MLP 784-512-256-10, batch 64, one thread per process), 2-process scaling, start-up.
# Needs `pip install torch pytorch-lightning` for the Python half; swift-lightning never needs Python.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product swift-lightning-bench >/dev/null
swift build -c release --product swift-lightning >/dev/null
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
bench=.build/release/swift-lightning-bench
value() { awk -v k="$1" '$1==k {print $2}'; }
last_epoch_rate() { grep -oE 'samples/s=[0-9.]+' | tail -1 | cut -d= -f2; }

ours1=$(timeout 600 mpirun -n 1 --timeout 590 -x OPENBLAS_NUM_THREADS "$bench" ddp-worker train --batch 64 | value samples_per_s)
ours2=$(timeout 600 mpirun -n 2 --timeout 590 -x OPENBLAS_NUM_THREADS "$bench" ddp-worker train --batch 64 | value samples_per_s)
ours_overhead=$("$bench" trainer | value trainer_overhead_pct)
ours_startup=$("$bench" startup | value startup_to_first_step_s)

pl1=$(timeout 600 python3 bench/lightning_mlp.py 1 2>/dev/null | last_epoch_rate)
pl2=$(timeout 600 python3 bench/lightning_mlp.py 2 2>/dev/null | last_epoch_rate)
torch_ms=$(python3 bench/torch_step.py mlp 1 | sed -E 's/.*step_ms=([0-9.]+).*/\1/')
pl_import=$(python3 -c 'import time; t=time.perf_counter(); import pytorch_lightning; print(round(time.perf_counter()-t, 3))')

printf '%-40s %14s %14s\n' figure swift-lightning "PyTorch Lightning"
printf '%-40s %14.0f %14.0f\n' "Trainer samples/s, 1 process" "$ours1" "$pl1"
printf '%-40s %14.0f %14.0f\n' "Trainer samples/s, 2 processes (DDP)" "$ours2" "$pl2"
printf '%-40s %14.2f %14.2f\n' "2-process scaling" "$(echo "$ours2 / $ours1" | bc -l)" "$(echo "$pl2 / $pl1" | bc -l)"
printf '%-40s %14.1f %14.1f\n' "Trainer overhead vs hand loop (%)" "$ours_overhead" "$(echo "(64 / ($torch_ms / 1000) / $pl1 - 1) * 100" | bc -l)"
printf '%-40s %14.3f %14.3f\n' "start-up (s): first step / import" "$ours_startup" "$pl_import"
