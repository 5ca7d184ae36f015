#!/usr/bin/env bash
# Deterministic performance check for CI: the instruction count of
# `thidua consolidate` (1 thread) on the N = 120 benchmark set, divided by
# the calamine yardstick's on the same files, must stay under a bound.
#   benches/instructions.sh [MAX_RATIO]
set -euo pipefail
cd "$(dirname "$0")/.."
max="${1:-4.0}"
# Cargo's build folder, wherever CARGO_TARGET_DIR puts it.
t="${CARGO_TARGET_DIR:-target}"
cargo build --release --bins --examples --quiet
set120="$t/bench/120"
[ -f "$set120/manifest.csv" ] || "$t/release/examples/bench_fixtures" 120 2022 "$set120" > /dev/null
count() {
  # The inputs carry planted errors, so thidua exits 1: not a failure here.
  { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } \
    | sed -n 's/.*refs: *//p' | tr -d ','
}
out="$(mktemp -d)"
tool=$(count "$t/release/thidua" consolidate --jobs 1 --plan "$set120/ke-hoach.xlsx" \
  "$set120/don-vi" -o "$out/th.xlsx")
yard=$(count "$t/release/examples/yardstick" "$set120/don-vi")
ratio=$(python3 -c "print(f'{$tool / $yard:.2f}')")
echo "instructions: thidua $tool, yardstick $yard, ratio $ratio (bound $max)"
python3 -c "import sys; sys.exit(0 if $tool / $yard <= $max else 1)" \
  || { echo "instruction ratio $ratio exceeds $max"; exit 1; }
