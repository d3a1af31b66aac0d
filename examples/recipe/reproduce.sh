#!/usr/bin/env bash
# Reproduces the embedded default base model and the shipped adapters from the public
# data: datasets, traffic tokenizer and base model, then the router and task adapters
# (and the example vendor adapter, EVD),
# all through the runtime's one-command mode. Seeded; with one PyTorch thread and
# MKL_CBWR=AVX2 the same machine writes the same bytes. Killed at any point, running it
# again resumes.
#   examples/recipe/reproduce.sh [DATA_ROOT] [RUNS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${1:-${TRAFFICLLM_DATA:-$root/../shared/data}}"
runs="${2:-$root/runtime/work/runs}"

if [ ! -f "$root/runtime/target/trafficllm.jar" ]; then
  (cd "$root" && mvn -B -q package -DskipTests)
fi
[ -f "$runs/data/nlp/instruction_train.jsonl" ] || "$here/datasets.sh" "$data" "$runs"
[ -f "$runs/nano.checkpoints/result.json" ] || "$here/pretrain.sh" "$runs"
model="$root/bundles/org.trafficllm.basemodel.nano/src/main/resources/model"
mkdir -p "$model"
cp "$runs"/nano/{config.json,model.safetensors,tokenizer.json,generation_config.json,MODEL.md} "$model/"
"$here/adapters.sh" "$runs"
"$here/adapters.sh" "$runs" evd
echo "done: rebuild the runtime (mvn -B -q package -DskipTests) to ship the new base model and adapters"
