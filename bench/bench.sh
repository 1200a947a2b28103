#!/usr/bin/env bash
# The project's benchmark (a script, not a timed test).
#
#   bench/bench.sh [CLIENTS ...]        default: 10000 100000 1000000
#
# For each size it generates a sample export with `sprout sample-data` (cached under
# $BENCH_DIR, default target/bench, and reused while the generator is unchanged), then
# times with /usr/bin/time -v, for wall time and peak resident memory:
#   validate   sprout validate
#   report     sprout report, every audience, json,csv,xlsx,html (validation included)
#   parquet    the same report from the same export written as Parquet (text columns)
#   pdf        sprout report, every audience, pdf only
#   floor      a bare Python polars read_csv of the same CSV files (polars is installed
#              by this script into its own virtual environment, $BENCH_DIR/venv)
# and appends a section to BENCHMARKS.md: the date, the commit, the machine, and a table
# with each stage's time and memory beside the floor, and time and memory per client.
#
# Environment: BENCH_DIR (cache), BENCH_POLARS (the polars version to install),
# BENCH_NOTE (a line to put under the section's heading, e.g. what changed), BENCH_BIN
# (a sprout binary to time instead of building this checkout's, e.g. an earlier build
# kept for comparison), BENCH_PDF=0 (skip the PDF run).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
cache="${BENCH_DIR:-target/bench}"
polars_version="${BENCH_POLARS:-1.35.2}"
bin="${BENCH_BIN:-target/release/sprout}"
mkdir -p "${cache}"

[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[ -n "${BENCH_BIN:-}" ] || cargo build --release --quiet

# The floor's own Python with polars, once.
venv="${cache}/venv"
if ! "${venv}/bin/python" -c "import polars" 2> /dev/null; then
  echo "bench: installing polars ${polars_version} into ${venv} (once)" >&2
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "polars==${polars_version}"
fi
floor_py="${cache}/floor.py"
cat > "${floor_py}" << 'EOF'
# Reads every CSV file of an export with polars (on every core), as a table of strings:
# the least any tool must do to look at the data.
import glob, sys
import polars as pl
rows = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.csv")):
    # The sample's deliberate faults include a ragged row and stray bytes.
    rows += pl.read_csv(
        path, infer_schema=False, truncate_ragged_lines=True, encoding="utf8-lossy"
    ).height
print(rows)
EOF

# "12.34 567890": wall seconds and peak RSS in KB of a command, from /usr/bin/time -v.
timed() {
  local log
  log=$(mktemp)
  if ! /usr/bin/time -v "$@" > /dev/null 2> "${log}"; then
    echo "bench: failed: $*" >&2
    tail -n 20 "${log}" >&2
    rm -f "${log}"
    exit 1
  fi
  awk '
    /Elapsed \(wall clock\) time/ {
      n = split($NF, p, ":"); s = 0
      for (i = 1; i <= n; i++) s = s * 60 + p[i]
      wall = s
    }
    /Maximum resident set size/ { rss = $NF }
    END { printf "%.2f %d\n", wall, rss }
  ' "${log}"
  rm -f "${log}"
}

# The same export as Parquet: each CSV file read as text by polars and written as a Parquet
# file of text columns, the workbook copied, and the config pointed at the new files.
to_parquet_py="${cache}/to_parquet.py"
cat > "${to_parquet_py}" << 'EOF'
import glob, os, re, shutil, sys
import polars as pl
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
for path in sorted(glob.glob(src + "/*.csv")):
    frame = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=True, encoding="utf8-lossy")
    frame.write_parquet(os.path.join(dst, os.path.basename(path)[:-4] + ".parquet"))
for path in glob.glob(src + "/*.xlsx"):
    shutil.copy(path, dst)
config = open(os.path.join(src, "programme.toml")).read()
open(os.path.join(dst, "programme.toml"), "w").write(re.sub(r'\.csv"', '.parquet"', config))
EOF

# The generator's fingerprint: a cached export is reused while the code that writes it
# (the sample crate and the command) is the same, however the rest of sprout changes.
generator=$(cat crates/sample/Cargo.toml crates/sample/src/*.rs src/commands/sample_data.rs | sha256sum | cut -c1-16)
commit=$(git rev-parse --short HEAD 2> /dev/null || echo '?')
dirty=$(git status --porcelain 2> /dev/null | grep -qv '^??' && echo ' (uncommitted changes)' || true)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
cores=$(nproc)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)

rows_md=()
for n in "${sizes[@]}"; do
  data="${cache}/sample-${n}"
  if [ "$(cat "${data}/.generator" 2> /dev/null)" != "${generator}" ]; then
    echo "bench: generating ${n} clients" >&2
    rm -rf "${data}"
    "${bin}" sample-data --clients "${n}" --seed 2026 --out "${data}" > /dev/null
    echo "${generator}" > "${data}/.generator"
    rm -rf "${data}-parquet"
  fi
  if [ ! -f "${data}-parquet/programme.toml" ]; then
    "${venv}/bin/python" "${to_parquet_py}" "${data}" "${data}-parquet"
  fi
  lines=$(cat "${data}"/*.csv | wc -l)
  out="${cache}/out-${n}"
  rm -rf "${out}"
  echo "bench: ${n} clients, ${lines} CSV lines" >&2
  read -r fw fm < <(timed "${venv}/bin/python" "${floor_py}" "${data}")
  read -r vw vm < <(timed "${bin}" validate --config "${data}/programme.toml" --out "${out}")
  read -r rw rm_ < <(timed "${bin}" report --quiet --period "2026/27 Q2" --format json,csv,xlsx,html \
    --config "${data}/programme.toml" --out "${out}")
  read -r qw qm < <(timed "${bin}" report --quiet --period "2026/27 Q2" --format json,csv,xlsx,html \
    --config "${data}-parquet/programme.toml" --out "${out}-parquet")
  pw=- pm=0
  if [ "${BENCH_PDF:-1}" != 0 ]; then
    read -r pw pm < <(timed "${bin}" report --quiet --period "2026/27 Q2" --format pdf \
      --config "${data}/programme.toml" --out "${out}-pdf")
  fi
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
  per() { awk -v a="$1" -v n="$2" -v k="$3" 'BEGIN { printf "%.2f", a * k / n }'; }
  mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
  rows_md+=("| $(printf "%'d" "${n}") | $(printf "%'d" "${lines}") | ${fw} s, $(mb "${fm}") MB | ${vw} s, $(mb "${vm}") MB | $(ratio "${vw}" "${fw}")x | ${rw} s, $(mb "${rm_}") MB | $(ratio "${rw}" "${fw}")x | $(per "${rw}" "${n}" 1000000) µs, $(per "${rm_}" "${n}" 1) KB | ${qw} s, $(mb "${qm}") MB | $( [ "${pw}" = - ] && echo 'not run' || echo "${pw} s, $(mb "${pm}") MB") |")
  printf '%s\n' "${rows_md[-1]}" >&2
done

[ -f BENCHMARKS.md ] || printf '# Benchmarks\n\nWritten by `bench/bench.sh`; each run adds a section, the newest last.\n' > BENCHMARKS.md
{
  printf '\n## %s, commit %s%s\n\n' "$(date -u +%Y-%m-%d\ %H:%MZ)" "${commit}" "${dirty}"
  [ -n "${BENCH_NOTE:-}" ] && printf '%s\n\n' "${BENCH_NOTE}"
  printf 'Machine: %s, %s cores, %s. Release build (`cargo build --release`). Exports from\n' "${cpu}" "${cores}" "${mem}"
  printf '`sprout sample-data --seed 2026` (with its deliberate faults); the floor is polars %s\n' "${polars_version}"
  printf '`read_csv` of the same CSV files as strings. Report: every audience, json, csv, xlsx and\n'
  printf 'html, validation included; from Parquet: the same, from the CSV files written as\n'
  printf 'Parquet (text columns, by polars); PDF: every audience, PDF only. Memory is peak\n'
  printf 'resident set.\n\n'
  printf '| Clients | CSV lines | Floor (polars read) | validate | ÷ floor | report | ÷ floor | report per client | report from Parquet | PDF |\n'
  printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
  printf '%s\n' "${rows_md[@]}"
} >> BENCHMARKS.md
echo "bench: BENCHMARKS.md updated" >&2
