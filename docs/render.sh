#!/usr/bin/env bash
# Renders workbooks as they print, to look at them before a change lands:
# every sheet through LibreOffice to PDF, every page to PNG.
#   docs/render.sh OUT_DIR WORKBOOK...
# Needs LibreOffice (`soffice`) and poppler (`pdftoppm`); CI does not.
set -euo pipefail
out="${1:?usage: docs/render.sh OUT_DIR WORKBOOK...}"
shift
mkdir -p "$out"
out="$(cd "$out" && pwd)"
for book in "$@"; do
  name="$(basename "${book%.*}")"
  # A private profile, so a running LibreOffice does not swallow the job.
  soffice -env:UserInstallation="file://$out/.profile" --headless \
    --convert-to pdf --outdir "$out" "$book" >/dev/null
  pdftoppm -r 60 -png "$out/$name.pdf" "$out/$name"
  echo "$out/$name.pdf: $(ls "$out/$name"-*.png | wc -l) pages"
done
