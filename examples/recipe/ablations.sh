#!/usr/bin/env bash
# Ablations (RESULTS.md, "Ablations"): pairs of task-adapter runs that differ in one thing
# (adapter kind, split, masking, tokenizer of the base model), all under one reduced budget.
# Reads the datasets and the base model of datasets.sh and pretrain.sh from RUNS; builds the
# comparison sets into OUT/data and writes every adapter (with its metrics.json) to OUT/<run>.
# Every run resumes from its checkpoints (OUT/<run>.ckpt), a finished one just reports again.
#   examples/recipe/ablations.sh [RUNS] [OUT]
# Defaults: RUNS = runtime/work/runs, OUT = RUNS/ablations. Public data: TRAFFICLLM_DATA, else
# ../shared/data. ABLATIONS_TOKENIZER=0 leaves out the two short pretrainings and their runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-$root/runtime/work/runs}"
out="${2:-$runs/ablations}"
data="${TRAFFICLLM_DATA:-$root/../shared/data}"
d="$runs/data"
tllm="$root/runtime/trafficllm"
# One PyTorch thread and MKL's AVX2 code path: the same bits on every run and after a resume.
export TRAFFICLLM_JAVA_OPTS="${TRAFFICLLM_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Xmx5g}"
export MKL_CBWR="${MKL_CBWR:-AVX2}"
for f in mtd/ustc-tfc-2016_detection_flow wad/csic-2010_detection_packet ustc-packets/ustc-pcap_detection_packet; do
  [ -f "$d/${f}_train.jsonl" ] || { echo "ablations: $d/${f}_train.jsonl is missing; run examples/recipe/datasets.sh first" >&2; exit 2; }
done
mkdir -p "$out/data"

# Comparison sets: datasets.sh's options but for the one difference each names.
"$tllm" preprocess --input "$data/csic2010" --dataset_name csic-2010 --output_name csic-2010-sample-split \
  --task WAD --cap 5000 --split sample --output_path "$out/data/wad-sample-split" >/dev/null
"$tllm" preprocess --input "$data/ustc-tfc2016/pcap" --dataset_name ustc-pcap --output_name ustc-pcap-sample-split \
  --layout class-folders --task MTD --granularity packet --split sample --output_path "$out/data/ustc-packets-sample-split" >/dev/null
"$tllm" preprocess --input "$data/ustc-tfc2016/pcap" --dataset_name ustc-pcap --output_name ustc-pcap-unmasked \
  --layout class-folders --task MTD --granularity packet --no-mask --output_path "$out/data/ustc-packets-unmasked" >/dev/null
# CSIC unmasked gets no run: its only identifier is the URL's constant port (checked here).
"$tllm" preprocess --input "$data/csic2010" --dataset_name csic-2010 --output_name csic-2010-unmasked \
  --task WAD --cap 5000 --no-mask --output_path "$out/data/wad-unmasked" >/dev/null
for side in train test; do
  if sed 's/PORT_1/8080/g' "$d/wad/csic-2010_detection_packet_$side.jsonl" \
      | cmp -s - "$out/data/wad-unmasked/csic-2010-unmasked_detection_packet_$side.jsonl"; then
    echo "ablations: CSIC $side, unmasked = masked with PORT_1 read as 8080"
  else
    echo "ablations: CSIC $side, masking changes more than the URL's port; the WAD masking pair needs a run" >&2
  fi
done

budget=(--train-limit 2000 --test-limit 600 --max-steps 250 --checkpoint-every 50 --patience 0 --validation-limit 200)
lora=(--targets q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj --rank 16 --alpha 32 --lr 0.003)
prefix=(--peft prefix --virtual-tokens 16)

# tune RUN SEED BASE TASK STEM ARGS... : one stage-2 run on STEM_train.jsonl / STEM_test.jsonl
tune() {
  local name="$1" seed="$2" base="$3" task="$4" stem="$5"; shift 5
  if [ -f "$out/$name.ckpt/job.json" ]; then
    "$tllm" tune --resume "$out/$name.ckpt" --progress 60
    return
  fi
  "$tllm" tune --stage 2 --task "$task" --base "$base" --train "${stem}_train.jsonl" --test "${stem}_test.jsonl" \
    "${budget[@]}" --seed "$seed" --out "$out/$name" --checkpoints "$out/$name.ckpt" --progress 60 "$@"
}

mtd="$d/mtd/ustc-tfc-2016_detection_flow"
wad="$d/wad/csic-2010_detection_packet"
packets="$d/ustc-packets/ustc-pcap_detection_packet"
nano="$runs/nano"
# Seed 42 is the pairs' run; repeats with other seeds (which also draw other train, validation
# and test subsets) are named RUN-seedN and show how far a run moves with the seed alone.
suffix() { [ "$1" = 42 ] || echo "-seed$1"; }

# 1. LoRA against prefix tuning (prefix at lr 0.01 once, at lr 0.03 with every seed).
tune mtd-prefix 42 "$nano" MTD "$mtd" "${prefix[@]}" --lr 0.01
tune wad-prefix 42 "$nano" WAD "$wad" "${prefix[@]}" --lr 0.01
for seed in 42 7 3; do
  s="$(suffix $seed)"
  tune "mtd-lora$s" "$seed" "$nano" MTD "$mtd" "${lora[@]}"
  tune "wad-lora$s" "$seed" "$nano" WAD "$wad" "${lora[@]}"
  tune "mtd-prefix-lr0.03$s" "$seed" "$nano" MTD "$mtd" "${prefix[@]}" --lr 0.03
  tune "wad-prefix-lr0.03$s" "$seed" "$nano" WAD "$wad" "${prefix[@]}" --lr 0.03
done
# 2. Group split against per-sample split (wad-lora and packets-group are the group sides);
# 3. masked against unmasked identifiers (packets-group is the masked side).
for seed in 42 7 3; do
  tune "wad-sample-split$(suffix $seed)" "$seed" "$nano" WAD \
    "$out/data/wad-sample-split/csic-2010-sample-split_detection_packet" "${lora[@]}"
done
for seed in 42 7; do
  s="$(suffix $seed)"
  tune "packets-group$s" "$seed" "$nano" MTD "$packets" "${lora[@]}"
  tune "packets-sample-split$s" "$seed" "$nano" MTD \
    "$out/data/ustc-packets-sample-split/ustc-pcap-sample-split_detection_packet" "${lora[@]}"
  tune "packets-unmasked$s" "$seed" "$nano" MTD \
    "$out/data/ustc-packets-unmasked/ustc-pcap-unmasked_detection_packet" "${lora[@]}"
done

[ "${ABLATIONS_TOKENIZER:-1}" = 0 ] && exit 0
# 4. Natural-language tokenizer against its traffic extension: two short pretrainings with
# pretrain.sh's options but 500 steps; the second takes the first's natural-language
# tokenizer (the one its traffic tokens extend) instead of training one.
pretrain() {
  local name="$1"; shift
  if [ -f "$out/$name.checkpoints/job.json" ]; then
    "$tllm" pretrain --resume "$out/$name.checkpoints"
    return
  fi
  local train=(
    "$d/mtd/ustc-tfc-2016_detection_flow_train.jsonl"
    "$d/wad/csic-2010_detection_packet_train.jsonl"
    "$d/eac/ndpi-eac_detection_flow_train.jsonl"
    "$d/ndpi-packets/ndpi-packets_detection_packet_train.jsonl"
    "$d/ustc-packets/ustc-pcap_detection_packet_train.jsonl"
  )
  local IFS=,
  "$tllm" pretrain --datasets "${train[*]}" --held-out "${train[*]//_train.jsonl/_test.jsonl}" \
    --instructions "$d/nlp/instruction_train.jsonl" \
    --texts-per-dataset 8000 --natural-vocab 2048 --traffic-tokens 2048 --hex-chunk 4 \
    --hidden 128 --layers 4 --heads 4 --kv-heads 2 --ffn 352 --context 512 --seq 256 \
    --lr 0.003 --warmup 100 --decay cosine --min-lr-ratio 0.1 --weight-decay 0.01 \
    --batch 16 --steps 500 --checkpoint-every 100 --validation-share 0.02 --seed 42 \
    --name "$name" --version 1.0.0 --dtype float16 --out "$out/$name" --progress 30 "$@"
}
pretrain nano-traffic
pretrain nano-natural --tokenizer "$out/nano-traffic.checkpoints/tokenizer/natural.json"
for seed in 42 7 3; do
  s="$(suffix $seed)"
  for tok in traffic natural; do
    tune "mtd-lora-$tok$s" "$seed" "$out/nano-$tok" MTD "$mtd" "${lora[@]}"
    tune "wad-lora-$tok$s" "$seed" "$out/nano-$tok" WAD "$wad" "${lora[@]}"
  done
done
