#!/usr/bin/env bash
# Local (or hostfile) launcher for swift-lightning under Open MPI, with automatic restarts.
#
#   cluster/launch.sh -n 4 [--max-restarts N] [--hostfile F] [--timeout S] [--mca K V]... -- fit [flags...]
#
# - As root, sets OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM) (Open MPI refuses root otherwise).
# - Adds --oversubscribe only when the ranks exceed this machine's cores (and no hostfile is given).
# - Exports OPENBLAS_NUM_THREADS (default 1: one BLAS thread per rank) to every rank with -x.
# - --timeout S: mpirun --timeout S for each attempt (default 86400, one day; 0 for none), so a
#   hung job always ends; the Trainer's collective watchdog usually ends it much sooner.
# - --max-restarts N: when an attempt fails (a rank died, mpirun timed out), relaunch with
#   `--ckpt_path <newest last.ckpt under the default_root_dir>` (the same default_root_dir), up to
#   N times. Resume is exact at the same world size, so the final weights equal an uninterrupted
#   run's. Needs a checkpoint that writes last.ckpt, e.g.
#   --trainer.callbacks+=ModelCheckpoint --trainer.callbacks.every_n_train_steps 50 --trainer.callbacks.save_last true
#   (without one, a restart starts over from scratch, which is still correct but slower).
# - Environment: SWIFT_LIGHTNING (the executable; default: swift-lightning on PATH, else
#   .build/release or .build/debug), MPIRUN (default mpirun), LAUNCH_MPI_ARGS (extra mpirun words).
set -uo pipefail

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

ranks="" restarts=0 hostfile="" timeout=86400 extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        -n|-np) ranks="$2"; shift 2 ;;
        --max-restarts) restarts="$2"; shift 2 ;;
        --hostfile) hostfile="$2"; shift 2 ;;
        --timeout) timeout="$2"; shift 2 ;;
        --mca) extra+=(--mca "$2" "$3"); shift 3 ;;
        -x) extra+=(-x "$2"); shift 2 ;;
        -h|--help) usage ;;
        --) shift; break ;;
        *) echo "launch.sh: unknown option $1 (arguments for swift-lightning go after --)" >&2; usage ;;
    esac
done
[ -n "$ranks" ] && [ $# -gt 0 ] || usage
[[ "$ranks" =~ ^[0-9]+$ && "$restarts" =~ ^[0-9]+$ ]] || { echo "launch.sh: -n and --max-restarts take integers" >&2; exit 2; }

here=$(cd "$(dirname "$0")/.." && pwd)
exe="${SWIFT_LIGHTNING:-}"
if [ -z "$exe" ]; then
    exe=$(command -v swift-lightning || true)
    for candidate in "$here/.build/release/swift-lightning" "$here/.build/debug/swift-lightning"; do
        [ -n "$exe" ] || { [ -x "$candidate" ] && exe="$candidate"; }
    done
fi
[ -n "$exe" ] && [ -x "$exe" ] || { echo "launch.sh: swift-lightning not found (run cluster/setup.sh or set SWIFT_LIGHTNING)" >&2; exit 2; }
mpirun="${MPIRUN:-mpirun}"

if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

mpi=(-n "$ranks" -x OPENBLAS_NUM_THREADS)
if [ -n "$hostfile" ]; then
    mpi+=(--hostfile "$hostfile")
elif [ "$ranks" -gt "$(nproc)" ]; then
    mpi+=(--oversubscribe)
fi
[ "$timeout" = 0 ] || mpi+=(--timeout "$timeout")
mpi+=("${extra[@]}")
# shellcheck disable=SC2206
[ -z "${LAUNCH_MPI_ARGS:-}" ] || mpi+=($LAUNCH_MPI_ARGS)

# The run's root directory (last one given wins, as in the CLI), where restarts look for last.ckpt.
root="$PWD"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
        --trainer.default_root_dir) root="${args[i+1]:-$root}" ;;
        --trainer.default_root_dir=*) root="${args[i]#*=}" ;;
    esac
done

newest_last() {  # the most recently written last.ckpt under $root
    find "$root" -name last.ckpt -type f -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2-
}

attempt=0 resume=()
while true; do
    echo "launch.sh: attempt $((attempt + 1)): $mpirun ${mpi[*]} $exe $* ${resume[*]}" >&2
    "$mpirun" "${mpi[@]}" "$exe" "$@" "${resume[@]}"
    status=$?
    if [ "$status" = 0 ]; then
        [ "$attempt" = 0 ] || echo "launch.sh: finished after $attempt restart(s)" >&2
        exit 0
    fi
    # Configuration errors (status 2) fail the same way every time: do not restart them.
    if [ "$status" = 2 ] || [ "$attempt" -ge "$restarts" ]; then
        echo "launch.sh: failed with status $status after $attempt restart(s)" >&2
        exit "$status"
    fi
    attempt=$((attempt + 1))
    checkpoint=$(newest_last)
    if [ -n "$checkpoint" ]; then
        resume=(--ckpt_path "$checkpoint")
        echo "launch.sh: RESTART $attempt/$restarts after status $status: resuming from $checkpoint" >&2
    else
        resume=()
        echo "launch.sh: RESTART $attempt/$restarts after status $status: no last.ckpt under $root, starting over" >&2
    fi
done
