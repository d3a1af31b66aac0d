#!/usr/bin/env bash
# Does a WAD adapter learn what it gets wrong in its own train file when it sees it more
# often? Classifies the train file with the adapter (tllm:eval), writes a train file with
# each wrongly answered request REPEAT (default 9) times more, updates the adapter for one epoch at lr
# 0.0003 on it (tune --from, no hold-out, last step kept) and tests the update on the
# test file. The two "repeated" WAD rows of RESULTS.md:
#   examples/recipe/repeat-wrong.sh [RUNS] wad         (the shipped adapter, raw requests)
#   examples/recipe/repeat-wrong.sh [RUNS] wad-shape   (RUNS/adapters/wad-shape-s7, request shape)
# Writes RUNS/repeat-wrong/<set>/: the train file's evaluation, the repeated train file, the
# updated adapter (adapter/, with metrics.json) and its checkpoints.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-$root/runtime/work/runs}"
set="${2:-wad}"
repeat="${REPEAT:-9}"
export TRAFFICLLM_JAVA_OPTS="${TRAFFICLLM_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Xmx6g}"
export MKL_CBWR="${MKL_CBWR:-AVX2}"
tllm="$root/runtime/trafficllm"
case "$set" in
  wad) d="$runs/data/wad-distinct"; prefix=csic-2010; from="$root/bundles/org.trafficllm.task.wad/src/main/adapter" ;;
  wad-shape) d="$runs/data/wad-shape"; prefix=csic-2010-shape; from="$runs/adapters/wad-shape-s7" ;;
  *) echo "repeat-wrong: unknown set '$set' (wad or wad-shape)" >&2; exit 2 ;;
esac
train="$d/${prefix}_detection_packet_train.jsonl"
for f in "$train" "$from/adapter_config.json"; do
  [ -f "$f" ] || { echo "repeat-wrong: $f is missing (datasets.sh, adapters.sh first)" >&2; exit 2; }
done
out="$runs/repeat-wrong/$set"
ckpt="$out/checkpoints"
# A stopped update resumes on the train file it started with: no second pass over the train file,
# and the repeated file is not rewritten under it.
if [ -f "$ckpt/job.json" ]; then
  exec "$tllm" tune --resume "$ckpt" --progress 60
fi
mkdir -p "$out"

"$tllm" eval --adapter "$from" --test "$train" --out "$out/train-eval" --progress 60
# predictions.jsonl: one line per sample, {"line":N,...,"correct":false,...} for a wrong answer.
awk -F'[:,]' '/"correct":false/ { print $2 }' "$out/train-eval/predictions.jsonl" > "$out/wrong-lines.txt"
echo "repeat-wrong: $(wc -l < "$out/wrong-lines.txt") of $(wc -l < "$train") training samples answered wrong"
awk -v n="$repeat" 'NR == FNR { wrong[$1] = 1; next }
  { print; if (FNR in wrong) keep[++k] = $0 }
  END { for (r = 0; r < n; r++) for (i = 1; i <= k; i++) print keep[i] }' \
  "$out/wrong-lines.txt" "$train" > "$out/train-repeated.jsonl"

exec "$tllm" tune --stage 2 --task WAD --base "$runs/nano" --from "$from" --train "$out/train-repeated.jsonl" \
  --test "$d/${prefix}_detection_packet_test.jsonl" --labels "$d/${prefix}_label.json" \
  --task-file "$d/${prefix}_detection_packet_task.json" --traffic-tokens 256 --lr 0.0003 --epochs 1 \
  --validation-share 0 --checkpoint-every 200 --out "$out/adapter" --checkpoints "$ckpt" --progress 60
