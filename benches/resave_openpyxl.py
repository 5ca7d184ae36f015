"""Makes a bench set written by openpyxl: every unit workbook of a set
made by `bench_fixtures` loaded and saved again with openpyxl (values,
styles, merged cells, sheet order kept; openpyxl's own package layout),
the plan and manifest copied. The files a bloc gets from units who fill
their workbook with a script look like these.

    python3 benches/resave_openpyxl.py target/bench/1200 target/bench/1200-openpyxl
"""
import shutil
import sys
from pathlib import Path

import openpyxl


def main():
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    (dst / "don-vi").mkdir(parents=True, exist_ok=True)
    for name in ("ke-hoach.xlsx", "manifest.csv"):
        shutil.copy(src / name, dst / name)
    for path in sorted((src / "don-vi").glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        book.save(dst / "don-vi" / path.name)


if __name__ == "__main__":
    main()
