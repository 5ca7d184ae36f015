"""The consolidation job done the usual Python way, for comparison: openpyxl
reads every unit workbook, finds the self-scoring table by its header, sums
each unit's self scores and bonus/penalty points, ranks, and writes a ranking
workbook with openpyxl. It checks nothing, so it does less than thidua.

    python3 benches/pipeline_openpyxl.py DIR OUT.xlsx
"""
import sys
from pathlib import Path

import openpyxl

from pipeline_common import consolidate


def read_rows(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    return sheets


def write(out, ranking):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Xếp hạng")
    ws.append(["Hạng", "Mã", "Tổng điểm"])
    for rank, code, total in ranking:
        ws.append([rank, code, total])
    wb.save(out)


if __name__ == "__main__":
    consolidate(Path(sys.argv[1]), sys.argv[2], read_rows, write)
