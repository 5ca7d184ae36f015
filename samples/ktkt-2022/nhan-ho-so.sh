#!/usr/bin/env bash
# Builds an intake archive from the sample files, each received on the day
# `ngay-nhan.csv` gives, as the bloc leader would have filed them during 2022.
#   samples/ktkt-2022/nhan-ho-so.sh ARCHIVE_DIR
# Works from any folder. Uses `cargo run --release` on this repository
# unless THIDUA names a built binary (`THIDUA=thidua` once installed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
archive="${1:?usage: nhan-ho-so.sh ARCHIVE_DIR}"
read -r -a thidua <<< "${THIDUA:-cargo run --release --quiet --manifest-path $here/../../Cargo.toml --}"
tail -n +2 "$here/ngay-nhan.csv" | while IFS=, read -r file received; do
  "${thidua[@]}" intake --plan "$here/ke-hoach.xlsx" --archive "$archive" \
    --received "$received" "$here/$file" || true
done
