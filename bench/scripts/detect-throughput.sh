#!/usr/bin/env bash
# Classification speed of the shipped tasks on real captures: runs the launcher's
# `detect --task T` on each capture and reads the summary line the command prints
# ("N flows classified, ... P packets read, S s"). The time is the analysis alone
# (read, dissect, render, classify), not the runtime's start-up.
#   bench/scripts/detect-throughput.sh [DATA_ROOT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-${TRAFFICLLM_DATA:-$root/../shared/data}}"
tllm="$root/runtime/trafficllm"
export TRAFFICLLM_JAVA_OPTS="${TRAFFICLLM_JAVA_OPTS:--Xmx4g}"
run() {
  local task="$1" capture="$2" line
  line="$("$tllm" detect "$capture" --task "$task" | grep -E ' classified, ' | tail -n 1)"
  awk -v t="$task" -v c="$(basename "$capture")" -v l="$line" 'BEGIN {
    split(l, w, " "); n = w[1]; unit = w[2]; s = w[length(w) - 1];
    printf "| %s | %s | %s %s | %s s | %.1f %s/s |\n", t, c, n, unit, s, (s > 0 ? n / s : 0), unit }'
}
echo "| task | capture | classified | time | rate |"
echo "|---|---|---|---|---|"
run MTD "$data/ndpi/pcap/netflix.pcap"
run EAC "$data/ndpi/pcap/netflix.pcap"
run WAD "$data/ndpi/pcap/1kxun.pcap"
