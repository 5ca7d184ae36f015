"""The same job as pipeline_openpyxl.py with python-calamine (the same Rust
reader thidua uses) and XlsxWriter: the fastest Python pipeline there is.

    python3 benches/pipeline_calamine.py DIR OUT.xlsx
"""
import sys
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from pipeline_common import consolidate


def read_rows(path):
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def write(out, ranking):
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("Xếp hạng")
    ws.write_row(0, 0, ["Hạng", "Mã", "Tổng điểm"])
    for i, (rank, code, total) in enumerate(ranking, start=1):
        ws.write_row(i, 0, [rank, code, total])
    wb.close()


if __name__ == "__main__":
    consolidate(Path(sys.argv[1]), sys.argv[2], read_rows, write)
