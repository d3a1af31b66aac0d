#!/usr/bin/env bash
# Runs the classical baselines (rf, gbt, linear; baseline/README.md) on the very train/test
# files the adapters are trained and tested on (RUNS/data, made by datasets.sh), on the
# capped CSIC set of the ablations, and on comparison sets built here into OUT/data:
# USTC-TFC2016 idx in 2 classes (benign/malware), CSIC 2010 split per sample as
# TrafficLLM's preprocessing does (repeated requests on both sides), and nDPI's VPN set
# split by capture file instead of by flow. Writes OUT/<set>/<model>.json and .html (the evaluation reports) and
# OUT/summary.md (one table row per report).
#   examples/recipe/baselines.sh [RUNS] [OUT]
# Defaults: RUNS = runtime/work/runs, OUT = RUNS/baselines. Public data: TRAFFICLLM_DATA, else
# ../shared/data. XGBoost threads: BASELINE_THREADS (1: OpenMP threads spin on shared cores).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-$root/runtime/work/runs}"
out="${2:-$runs/baselines}"
data="${TRAFFICLLM_DATA:-$root/../shared/data}"
threads="${BASELINE_THREADS:-1}"
tllm="$root/runtime/trafficllm"
cp="$root/baseline/target/org.trafficllm.baseline.jar:$root/baseline/target/lib/*"

for f in mtd/ustc-tfc-2016 wad-distinct/csic-2010 wad-shape/csic-2010-shape wad-params/csic-2010-params wad/csic-2010 eac/ndpi-eac evd/ndpi-evd eac-names/ndpi-eac-names evd-names/ndpi-evd-names evd-shape/ndpi-evd-shape; do
  [ -f "$runs/data/${f}_label.json" ] || { echo "baselines: $runs/data/${f}_label.json is missing; run examples/recipe/datasets.sh first" >&2; exit 2; }
done
if [ ! -f "$root/runtime/target/trafficllm.jar" ] || [ ! -f "$root/baseline/target/org.trafficllm.baseline.jar" ]; then
  (cd "$root" && mvn -B -q -o package -DskipTests)
fi
mkdir -p "$out/data"

# Comparison sets, same builder and options as datasets.sh but for the one difference each names.
"$tllm" preprocess --input "$data/ustc-tfc2016/deeptraffic-idx/2class" --dataset_name ustc-tfc-2016 \
  --output_name ustc-tfc-2016-2class --layout ustc-tfc2016-idx --task MTD --granularity flow \
  --output_path "$out/data/mtd-2class" >/dev/null
"$tllm" preprocess --input "$data/csic2010" --dataset_name csic-2010 --output_name csic-2010-sample-split \
  --task WAD --cap 5000 --split sample --output_path "$out/data/wad-sample-split" >/dev/null
"$tllm" preprocess --input "$data/ndpi" --dataset_name ndpi-evd --output_name ndpi-evd-capture --layout ndpi-flow-labels \
  --task EVD --granularity flow --output_path "$out/data/evd-capture" --label-map VPN=vpn \
  --prompt-file "$root/examples/recipe/prompts/evd-vpn.txt" \
  --options "column=category,keep=VPN,other=non-vpn,encryption=Encrypted,group=capture" >/dev/null

# set name, then the train file's path without _train.jsonl
sets=(
  "mtd $runs/data/mtd/ustc-tfc-2016_detection_flow"
  "wad-distinct $runs/data/wad-distinct/csic-2010_detection_packet"
  "wad-params $runs/data/wad-params/csic-2010-params_detection_packet"
  "wad-shape $runs/data/wad-shape/csic-2010-shape_detection_packet"
  "wad $runs/data/wad/csic-2010_detection_packet"
  "eac $runs/data/eac/ndpi-eac_detection_flow"
  "evd $runs/data/evd/ndpi-evd_detection_flow"
  "eac-names $runs/data/eac-names/ndpi-eac-names_detection_flow"
  "evd-names $runs/data/evd-names/ndpi-evd-names_detection_flow"
  "evd-shape $runs/data/evd-shape/ndpi-evd-shape_detection_flow"
  "mtd-2class $out/data/mtd-2class/ustc-tfc-2016-2class_detection_flow"
  "wad-sample-split $out/data/wad-sample-split/csic-2010-sample-split_detection_packet"
  "evd-capture $out/data/evd-capture/ndpi-evd-capture_detection_flow"
)
reports=()
for entry in "${sets[@]}"; do
  read -r name stem <<<"$entry"
  for model in rf gbt linear; do
    java -Xmx6g -cp "$cp" org.trafficllm.baseline.BaselineMain --quiet --threads "$threads" \
      --train "${stem}_train.jsonl" --test "${stem}_test.jsonl" --model "$model" --out "$out/$name"
    reports+=("$name/$model.json")
  done
done

# What the flow fields alone are worth to the trees: evd-shape without the packet bytes (--bytes 0).
for model in rf gbt; do
  java -Xmx6g -cp "$cp" org.trafficllm.baseline.BaselineMain --quiet --threads "$threads" --bytes 0 \
    --train "$runs/data/evd-shape/ndpi-evd-shape_detection_flow_train.jsonl" \
    --test "$runs/data/evd-shape/ndpi-evd-shape_detection_flow_test.jsonl" --model "$model" --out "$out/evd-shape-fields"
  reports+=("evd-shape-fields/$model.json")
done

# Report paths in the table are relative to OUT, where the table lives.
(cd "$out" && java -cp "$cp" org.trafficllm.baseline.BaselineSummary "${reports[@]}" > summary.md.part \
  && mv summary.md.part summary.md)
cat "$out/summary.md"
