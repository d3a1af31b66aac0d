#!/usr/bin/env bash
# Builds every dataset the default model and adapters are trained on, with the runtime's
# dataset builder, from the public data (read only) into RUNS/data.
#   examples/recipe/datasets.sh [DATA_ROOT] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-${TRAFFICLLM_DATA:-$root/../shared/data}}"
runs="${2:-$root/runtime/work/runs}"
tllm="$root/runtime/trafficllm"
out="$runs/data"
mkdir -p "$out"

# MTD: USTC-TFC2016 as DeepTraffic's 20-class idx sessions; flows; identical records grouped on one side.
"$tllm" dataset build --name ustc-tfc-2016 --layout ustc-tfc2016-idx --task MTD --granularity flow \
  --out "$out/mtd" "$data/ustc-tfc2016/deeptraffic-idx/20class"
# WAD: CSIC 2010 requests, at most 5,000 per class (TrafficLLM's cap), identical requests on one side.
"$tllm" dataset build --name csic-2010 --task WAD --cap 5000 --out "$out/wad" "$data/csic2010"
# EAC: nDPI's encrypted applications with at least about 30 DPI-labelled flows; flow bytes, identifiers masked.
"$tllm" dataset build --name ndpi-eac --layout ndpi-flow-labels --task EAC --granularity flow \
  --option "column=app_proto,keep=DNScrypt,TLS,Google,WhatsApp,QUIC,Amazon,OperaVPN,DoH_DoT,GoogleServices,AVASTSecureDNS,Discord,YouTube,Webex" \
  --out "$out/eac" "$data/ndpi"
# Router: TrafficLLM's instruction set, corrected, 10% held out.
"$tllm" dataset instructions --out "$out/nlp" "$data/trafficllm/instruction.json"
# Pretraining corpus only: packets as traffic words (nDPI corpus and the two USTC captures).
"$tllm" dataset build --name ndpi-packets --layout ndpi-flow-labels --task EAC --granularity packet \
  --cap 400 --out "$out/ndpi-packets" "$data/ndpi"
"$tllm" dataset build --name ustc-pcap --layout class-folders --task MTD --granularity packet \
  --out "$out/ustc-packets" "$data/ustc-tfc2016/pcap"
