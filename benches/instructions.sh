#!/usr/bin/env bash
# Deterministic performance check for CI: the instruction count of
# `thidua consolidate` (1 thread) on the N = 120 benchmark set, divided by
# the calamine yardstick's on the same files, must stay under a bound.
#   benches/instructions.sh [MAX_RATIO]
set -euo pipefail
cd "$(dirname "$0")/.."
max="${1:-4.0}"
cargo build --release --bins --examples --quiet
[ -f target/bench/120/manifest.csv ] || target/release/examples/bench_fixtures 120 > /dev/null
count() {
  # The inputs carry planted errors, so thidua exits 1: not a failure here.
  { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } \
    | sed -n 's/.*refs: *//p' | tr -d ','
}
out="$(mktemp -d)"
tool=$(count target/release/thidua consolidate --jobs 1 --plan target/bench/120/ke-hoach.xlsx \
  target/bench/120/don-vi -o "$out/th.xlsx")
yard=$(count target/release/examples/yardstick target/bench/120/don-vi)
ratio=$(python3 -c "print(f'{$tool / $yard:.2f}')")
echo "instructions: thidua $tool, yardstick $yard, ratio $ratio (bound $max)"
python3 -c "import sys; sys.exit(0 if $tool / $yard <= $max else 1)" \
  || { echo "instruction ratio $ratio exceeds $max"; exit 1; }
