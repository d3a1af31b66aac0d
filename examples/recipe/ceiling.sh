#!/usr/bin/env bash
# What the bytes of USTC-TFC2016's 20 classes allow (RESULTS.md, "What the bytes allow"):
# finds the test samples whose every byte but TLS record headers looks random, and
# prints the macro-F1 reachable when such samples cannot be read, beside where the
# shipped MTD adapter and the trees lose. Writes OUT/mtd.md; the adapter's
# predictions come from tllm eval (OUT/adapter), the trees' from baselines.sh when it
# has run (RUNS/baselines/mtd), else they are trained here (OUT/rf, OUT/gbt).
#   examples/recipe/ceiling.sh [RUNS] [OUT]      (defaults: runtime/work/runs, RUNS/ceiling)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-$root/runtime/work/runs}"
out="${2:-$runs/ceiling}"
stem="$runs/data/mtd/ustc-tfc-2016_detection_flow"
cp="$root/baseline/target/org.trafficllm.baseline.jar:$root/baseline/target/lib/*"
[ -f "${stem}_test.jsonl" ] || { echo "ceiling: ${stem}_test.jsonl is missing; run examples/recipe/datasets.sh first" >&2; exit 2; }
if [ ! -f "$root/runtime/target/trafficllm.jar" ] || [ ! -f "$root/baseline/target/org.trafficllm.baseline.jar" ]; then
  (cd "$root" && mvn -B -q -o package -DskipTests)
fi
mkdir -p "$out"
"$root/runtime/trafficllm" eval --adapter "$root/bundles/org.trafficllm.task.mtd/src/main/adapter" \
  --test "${stem}_test.jsonl" --out "$out/adapter" --progress 60 >/dev/null
predictions=(--predictions "adapter=$out/adapter/predictions.jsonl")
for model in rf gbt; do
  p="$runs/baselines/mtd/$model.predictions.jsonl"
  if [ ! -f "$p" ]; then
    java -Xmx6g -cp "$cp" org.trafficllm.baseline.BaselineMain --quiet --threads "${BASELINE_THREADS:-1}" \
      --train "${stem}_train.jsonl" --test "${stem}_test.jsonl" --model "$model" --out "$out/$model" >/dev/null
    p="$out/$model/$model.predictions.jsonl"
  fi
  predictions+=(--predictions "$model=$p")
done
java -cp "$cp" org.trafficllm.baseline.CeilingMain --train "${stem}_train.jsonl" --test "${stem}_test.jsonl" \
  "${predictions[@]}" --out "$out/mtd.md"
