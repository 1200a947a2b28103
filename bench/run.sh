#!/usr/bin/env bash
# Benchmarks sprout at scale: generates a sample export of N clients (default 1,000,000)
# once, then times each stage on it and reports wall time and peak memory.
#
#   bench/run.sh [CLIENTS]
#
# Figures go to stdout and to bench/results.txt (appended, with the date and commit).
set -euo pipefail
cd "$(dirname "$0")/.."

clients="${1:-1000000}"
data="${BENCH_DIR:-target/bench}/sample-${clients}"
bin=target/release/sprout

cargo build --release --quiet

measure() {
  local label="$1"; shift
  local start end peak
  start=$(date +%s.%N)
  if command -v /usr/bin/time > /dev/null; then
    peak=$(/usr/bin/time -f "%M" "$@" 2>&1 > /dev/null | tail -n 1)
  else
    "$@" > /dev/null
    peak="?"
  fi
  end=$(date +%s.%N)
  printf "%-28s %8.2f s   peak %s KB\n" "${label}" "$(echo "${end} - ${start}" | bc)" "${peak}"
}

generated=""
if [ ! -f "${data}/programme.toml" ]; then
  generated=$(measure "sample-data (${clients})" "${bin}" sample-data --clients "${clients}" --seed 2026 --out "${data}")
fi

rows=$(cat "${data}"/*.csv | wc -l)
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') clients ${clients} (${rows} CSV lines + medications)"
  [ -n "${generated:-}" ] && echo "${generated}"
  measure "validate" "${bin}" validate --config "${data}/programme.toml" --out "${data}/out"
  measure "report (2026/27 Q2)" "${bin}" report --config "${data}/programme.toml" --period "2026/27 Q2" --out "${data}/out"
} | tee -a bench/results.txt
