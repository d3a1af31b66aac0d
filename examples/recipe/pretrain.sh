#!/usr/bin/env bash
# Trains the traffic tokenizer and the embedded default base model ("nano") from the
# datasets of datasets.sh, in the runtime. Resumes from its checkpoints when they exist.
#   examples/recipe/pretrain.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-$root/runtime/work/runs}"
d="$runs/data"
# One PyTorch thread and MKL's AVX2 code path whatever the memory alignment: the same bits on every
# run (and after a resume), and no spinning workers on shared cores.
export TRAFFICLLM_JAVA_OPTS="${TRAFFICLLM_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Xmx6g}"
export MKL_CBWR="${MKL_CBWR:-AVX2}"
tllm="$root/runtime/trafficllm"
if [ -f "$runs/nano.checkpoints/job.json" ]; then
  exec "$tllm" pretrain --resume "$runs/nano.checkpoints"
fi
train=(
  "$d/mtd/ustc-tfc-2016_detection_flow_train.jsonl"
  "$d/wad/csic-2010_detection_packet_train.jsonl"
  "$d/eac/ndpi-eac_detection_flow_train.jsonl"
  "$d/ndpi-packets/ndpi-packets_detection_packet_train.jsonl"
  "$d/ustc-packets/ustc-pcap_detection_packet_train.jsonl"
)
join() { local IFS=,; echo "$*"; }
exec "$tllm" pretrain \
  --datasets "$(join "${train[@]}")" \
  --held-out "$(join "${train[@]/_train.jsonl/_test.jsonl}")" \
  --instructions "$d/nlp/instruction_train.jsonl" \
  --texts-per-dataset 8000 --natural-vocab 2048 --traffic-tokens 2048 --hex-chunk 4 \
  --hidden 128 --layers 4 --heads 4 --kv-heads 2 --ffn 352 --context 512 --seq 256 \
  --lr 0.003 --warmup 100 --decay cosine --min-lr-ratio 0.1 --weight-decay 0.01 \
  --batch 16 --steps 2400 --checkpoint-every 100 --validation-share 0.02 --seed 42 \
  --name nano --version 1.0.0 --dtype float16 --out "$runs/nano" --progress 30
