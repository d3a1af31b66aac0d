#!/usr/bin/env bash
# Builds every dataset the default base model and adapters are trained on, with the
# runtime's dataset builder, from the public data (read only) into RUNS/data.
#   examples/recipe/datasets.sh [DATA_ROOT] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-${TRAFFICLLM_DATA:-$root/../shared/data}}"
runs="${2:-$root/runtime/work/runs}"
tllm="$root/runtime/trafficllm"
out="$runs/data"
mkdir -p "$out"

# MTD: USTC-TFC2016 as DeepTraffic's 20-class idx sessions (flows); identical records on one side.
"$tllm" preprocess --input "$data/ustc-tfc2016/deeptraffic-idx/20class" --dataset_name ustc-tfc-2016 \
  --layout ustc-tfc2016-idx --task MTD --granularity flow --output_path "$out/mtd"
# MTD in two classes (benign, malware): DeepTraffic's 2class idx files, same options (not shipped; RESULTS.md).
"$tllm" preprocess --input "$data/ustc-tfc2016/deeptraffic-idx/2class" --dataset_name ustc-tfc-2016 \
  --output_name ustc-tfc-2016-2class --layout ustc-tfc2016-idx --task MTD --granularity flow --output_path "$out/mtd-2class"
# WAD: every distinct CSIC 2010 request once (28,176 of 77,604), the WAD adapter's set.
"$tllm" preprocess --input "$data/csic2010" --dataset_name csic-2010 --task WAD --dedup --output_path "$out/wad-distinct"
# The same requests and split, each written after its arguments' names, decoded lengths and character classes
# (--renderer http-request-shape).
"$tllm" preprocess --input "$data/csic2010" --dataset_name csic-2010 --output_name csic-2010-shape --task WAD --dedup \
  --renderer http-request-shape --output_path "$out/wad-shape"
# The same requests, but a form's values sent as a GET query and as a POST body (or to another page) stay on one
# side too (layout option group=parameters): the stricter split of RESULTS.md's WAD rows.
"$tllm" preprocess --input "$data/csic2010" --dataset_name csic-2010 --output_name csic-2010-params --task WAD --dedup \
  --options group=parameters --output_path "$out/wad-params"
# CSIC 2010 as TrafficLLM sampled it: at most 5,000 requests per class (repeats kept, identical requests on
# one side); part of nano's pretraining corpus and the set of the ablations.
"$tllm" preprocess --input "$data/csic2010" --dataset_name csic-2010 --task WAD --cap 5000 --output_path "$out/wad"
# EAC: the encrypted applications of nDPI's corpus with the most DPI-labelled flows; flow bytes, identifiers masked.
"$tllm" preprocess --input "$data/ndpi" --dataset_name ndpi-eac --layout ndpi-flow-labels --task EAC \
  --granularity flow --output_path "$out/eac" \
  --options "column=app_proto,keep=DNScrypt,TLS,Google,WhatsApp,QUIC,Amazon,OperaVPN,DoH_DoT,GoogleServices,AVASTSecureDNS,Discord,YouTube,Webex"
# The same EAC flows with the name each asks for in clear before its flow bytes (TLS/QUIC server name, HTTP host,
# DNS query: --renderer flow-bytes-names); the shipped EAC adapter's set. Same split: the renderer changes only the text.
"$tllm" preprocess --input "$data/ndpi" --dataset_name ndpi-eac --output_name ndpi-eac-names --layout ndpi-flow-labels \
  --task EAC --granularity flow --renderer flow-bytes-names --output_path "$out/eac-names" \
  --options "column=app_proto,keep=DNScrypt,TLS,Google,WhatsApp,QUIC,Amazon,OperaVPN,DoH_DoT,GoogleServices,AVASTSecureDNS,Discord,YouTube,Webex"
# EVD: is an encrypted nDPI flow a VPN or anonymity tunnel (nDPI category VPN: OpenVPN, IPsec, WireGuard, Tor...)
# or not; TrafficLLM's EVD template names ISCX-VPN's applications, so the set brings its own instruction.
"$tllm" preprocess --input "$data/ndpi" --dataset_name ndpi-evd --layout ndpi-flow-labels --task EVD \
  --granularity flow --output_path "$out/evd" --label-map VPN=vpn --prompt-file "$root/examples/recipe/prompts/evd-vpn.txt" \
  --options "column=category,keep=VPN,other=non-vpn,encryption=Encrypted"
# EVD with the flows' names in clear, as eac-names (measured in RESULTS.md).
"$tllm" preprocess --input "$data/ndpi" --dataset_name ndpi-evd --output_name ndpi-evd-names --layout ndpi-flow-labels \
  --task EVD --granularity flow --renderer flow-bytes-names --output_path "$out/evd-names" --label-map VPN=vpn \
  --prompt-file "$root/examples/recipe/prompts/evd-vpn.txt" --options "column=category,keep=VPN,other=non-vpn,encryption=Encrypted"
# EVD with each flow's shape before its bytes (packets and bytes each way, duration, directed payload sizes of the
# first ten packets: --renderer flow-bytes-shape); the same flows and sides as evd.
"$tllm" preprocess --input "$data/ndpi" --dataset_name ndpi-evd --output_name ndpi-evd-shape --layout ndpi-flow-labels \
  --task EVD --granularity flow --renderer flow-bytes-shape --output_path "$out/evd-shape" --label-map VPN=vpn \
  --prompt-file "$root/examples/recipe/prompts/evd-vpn.txt" --options "column=category,keep=VPN,other=non-vpn,encryption=Encrypted"
# Router: TrafficLLM's instruction set, corrected, 10% of each task held out.
"$tllm" instructions --input "$data/trafficllm/instruction.json" --output_path "$out/nlp"
# Pretraining corpus only: packets as traffic words (nDPI's corpus and the two USTC captures).
"$tllm" preprocess --input "$data/ndpi" --dataset_name ndpi-packets --layout ndpi-flow-labels --task EAC \
  --granularity packet --cap 400 --output_path "$out/ndpi-packets"
"$tllm" preprocess --input "$data/ustc-tfc2016/pcap" --dataset_name ustc-pcap --layout class-folders --task MTD \
  --granularity packet --output_path "$out/ustc-packets"
