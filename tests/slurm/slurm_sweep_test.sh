#!/usr/bin/env bash
# ctest label `slurm`: scripts/slurm-sweep on a single-node Slurm started for the test. A sweep runs as a
# 4-task array; one running task is cancelled with scancel and requeued; the merge job's results.csv and
# layers.csv must equal an unsharded run's byte for byte.
#   slurm_sweep_test.sh SOURCE_DIR DSE_BINARY
set -euo pipefail
root=$1
export DSE=$2
work=$(mktemp -d)
source "$root/tests/slurm/single_node_slurm.sh"
cleanup() { slurm_down; if [ "${passed:-0}" = 1 ]; then rm -rf "$work"; else echo "kept $work" >&2; fi; }
trap cleanup EXIT

sweep="$root/configs/sweep.json"  # 36 points
"$DSE" --config "$sweep" --out "$work/reference" --jobs 2 --quiet >/dev/null
slurm_up "$work/slurm"

"$root/scripts/slurm-sweep" --config "$sweep" --tasks 4 --out "$work/out" --cpus-per-task=1 | tee "$work/submit.txt"
array=$(sed -n 's/.*array job \([0-9]*\).*/\1/p' "$work/submit.txt")
merge=$(sed -n 's/.*merge job \([0-9]*\).*/\1/p' "$work/submit.txt")

# Cancel the first task seen running (mid-way: its shard's store is open), then requeue it.
victim=""
for _ in $(seq 600); do
  victim=$(squeue -h -j "$array" -t RUNNING -o '%i' | head -1)
  [ -n "$victim" ] && break
  sleep 0.1
done
[ -n "$victim" ] || { echo "no array task ever ran" >&2; exit 1; }
scancel "$victim"
for _ in $(seq 300); do
  state=$(scontrol show job "$victim" | sed -n 's/.*JobState=\([A-Z]*\).*/\1/p')
  [ "$state" = CANCELLED ] && break
  sleep 0.1
done
scontrol requeue "$victim"
# Slurm holds a requeued job back for a while (its begin time moves on); make it eligible now.
scontrol update JobId="$victim" StartTime=now
echo "cancelled and requeued task $victim (state before requeue: $state)"

# Wait for the merge job to end.
for _ in $(seq 3000); do
  [ -z "$(squeue -h -j "$array,$merge" -o '%i' 2>/dev/null)" ] && break
  sleep 0.2
done
[ -z "$(squeue -h -j "$array,$merge" -o '%i' 2>/dev/null)" ] || { echo "jobs did not finish" >&2; squeue; exit 1; }
restarts=$(scontrol show job "$victim" | sed -n 's/.*Restarts=\([0-9]*\).*/\1/p')
[ "${restarts:-0}" -ge 1 ] || { echo "task $victim was not requeued (Restarts=$restarts)" >&2; exit 1; }
cmp "$work/reference/results.csv" "$work/out/results.csv"
cmp "$work/reference/layers.csv" "$work/out/layers.csv"
echo "slurm sweep: 4 tasks, task $victim cancelled and requeued (restarts $restarts), merged results equal the unsharded run"
passed=1
