#!/bin/sh
# Builds the baseline datasets with the dataset builder and runs every classical baseline on them.
# Usage: baseline/bench/run-baselines.sh [DATA_ROOT] [OUTPUT_ROOT]   (defaults: ../shared/data, target/baselines)
# Each run writes OUTPUT_ROOT/<dataset>/baselines/<model>.json and .html and prints one summary line.
set -eu
cd "$(dirname "$0")/.."
DATA=${1:-${TRAFFICLLM_DATA:-../shared/data}}
OUT=${2:-baseline/bench/target/baselines}
mvn -B -q -o -Pbench package -pl baseline/bench,baseline -am -DskipTests
java -cp "baseline/bench/target/org.trafficllm.baseline.bench.jar:baseline/bench/target/lib/*" org.trafficllm.bench.BaselineDatasets "$DATA" "$OUT"

baseline() {
    dataset=$1; stem=$2; shift 2
    for model in "$@"; do
        java -Xmx6g -cp "baseline/target/org.trafficllm.baseline.jar:baseline/target/lib/*" \
            org.trafficllm.baseline.BaselineMain --quiet \
            --train "$OUT/$dataset/${stem}_train.jsonl" --test "$OUT/$dataset/${stem}_test.jsonl" \
            --model "$model" --out "$OUT/$dataset/baselines"
    done
}
baseline csic-2010 csic-2010_detection_packet linear gbt rf
baseline csic-2010-sample-split csic-2010-sample-split_detection_packet linear
baseline ustc-2class ustc-2class_detection_flow gbt rf linear
baseline ndpi-apps ndpi-apps_detection_flow gbt rf linear
baseline ustc-20class ustc-20class_detection_flow gbt rf linear
