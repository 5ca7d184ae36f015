"""thidua's benchmark: builds in release, generates the sets, and measures,
as interleaved pairs with medians and min–max, the targets in
docs/performance.md. Writes the tables to target/bench/results.md.

    python3 benches/bench.py [--sizes 12,120,1200,10000] [--reps 5] [--quick]

The Python pipelines run when openpyxl, python-calamine and XlsxWriter are
installed; instruction counts when valgrind is.
"""
import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "target" / "bench"
TOOL = ROOT / "target" / "release" / "thidua"
YARD = ROOT / "target" / "release" / "examples" / "yardstick"
GEN = ROOT / "target" / "release" / "examples" / "bench_fixtures"
OUT = Path(tempfile.mkdtemp(prefix="thidua-bench-"))


def sh(cmd, **kw):
    return subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def tool(n, jobs, json_out=None):
    d = BENCH / str(n)
    cmd = [str(TOOL), "consolidate", "--plan", str(d / "ke-hoach.xlsx"), str(d / "don-vi"),
           "-o", str(OUT / f"th-{n}-{jobs}.xlsx")]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if json_out:
        cmd += ["--json", str(json_out)]
    return cmd


def wall(cmd):
    t = time.perf_counter()
    sh(cmd)
    return time.perf_counter() - t


def pair(a, b, reps):
    """Runs a and b alternately (a first on even rounds) and returns both lists."""
    ta, tb = [], []
    for i in range(reps):
        if i % 2 == 0:
            ta.append(wall(a)); tb.append(wall(b))
        else:
            tb.append(wall(b)); ta.append(wall(a))
    return ta, tb


def fmt(ts):
    return f"{statistics.median(ts)*1000:.0f} ms ({min(ts)*1000:.0f}–{max(ts)*1000:.0f})"


def peak_kib(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    return int(r.stderr.strip().splitlines()[-1])


def instructions(cmd):
    out = OUT / "cg.out"
    r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in r.stderr.splitlines():
        if "refs:" in line:
            return int(line.split("refs:")[1].strip().replace(",", ""))
    raise RuntimeError(r.stderr[-500:])


def check_manifest(n):
    out = OUT / f"check-{n}.json"
    sh(tool(n, 0, out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    got = {u["code"]: u.get("ranking_score") for u in doc["units"]}
    bad = 0
    with open(BENCH / str(n) / "manifest.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if got.get(row["unit"]) is None or abs(got[row["unit"]] - float(row["total"])) > 0.005:
                bad += 1
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="12,120,1200,10000")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="sizes 12,120,1200 and 3 repetitions")
    args = ap.parse_args()
    sizes = [int(s) for s in ("12,120,1200" if args.quick else args.sizes).split(",")]
    reps = 3 if args.quick else args.reps
    subprocess.run(["cargo", "build", "--release", "--bins", "--examples", "--quiet"], cwd=ROOT, check=True)
    for n in sizes:
        if not (BENCH / str(n) / "manifest.csv").exists():
            subprocess.run([str(GEN), str(n)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    lines = ["# Benchmark results", "",
             f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
             f"- {subprocess.run([str(TOOL), '--version'], capture_output=True, text=True).stdout.strip()}, "
             f"Python {platform.python_version()}", f"- repetitions: {reps} (interleaved pairs; median, min–max)", ""]

    lines += ["## Correctness", "", "| N | units whose total differs from the manifest |", "|---|---|"]
    for n in sizes:
        lines.append(f"| {n} | {check_manifest(n)} |")

    big = 1200 if 1200 in sizes else max(sizes)
    lines += ["", f"## Reading against the yardstick (N = {big})", "", "| run | wall | ratio |", "|---|---|---|"]
    t1, ty = pair(tool(big, 1), [str(YARD), str(BENCH / str(big) / "don-vi")], reps)
    lines.append(f"| thidua consolidate, 1 thread | {fmt(t1)} | {statistics.median(t1)/statistics.median(ty):.2f}× |")
    lines.append(f"| yardstick (calamine, every cell) | {fmt(ty)} | 1 |")
    t1b, t2 = pair(tool(big, 1), tool(big, 2), reps)
    lines.append(f"| thidua, 2 threads vs 1 | {fmt(t2)} vs {fmt(t1b)} | {statistics.median(t2)/statistics.median(t1b):.2f}× |")

    lines += ["", "## Per-file cost (1 thread)", "", "| N | wall | per file |", "|---|---|---|"]
    for n in sizes:
        ts = [wall(tool(n, 1)) for _ in range(max(1, reps if n <= 1200 else 2))]
        lines.append(f"| {n} | {fmt(ts)} | {statistics.median(ts)/n*1000:.3f} ms |")

    sample = [str(TOOL), "consolidate", "--plan", "samples/ktkt-2022/ke-hoach.xlsx", "--review",
              "samples/ktkt-2022/tham-dinh.xlsx", "samples/ktkt-2022/don-vi", "-o", str(OUT / "q.xlsx"),
              "--json", str(OUT / "q.json")]
    ts = []
    for _ in range(max(reps, 9)):
        t = time.perf_counter(); subprocess.run(sample, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); ts.append(time.perf_counter() - t)
    lines += ["", "## The README's main job (12 units, whole process)", "", f"{fmt(ts)}"]

    lines += ["", "## Against Python pipelines (same folder, whole process)", "", "| pipeline | N | wall | thidua | thidua faster by |", "|---|---|---|---|---|"]
    py = sys.executable
    for script, module, n in [("pipeline_openpyxl.py", "openpyxl", 120), ("pipeline_calamine.py", "python_calamine", big)]:
        if subprocess.run([py, "-c", f"import {module}, xlsxwriter"], capture_output=True).returncode != 0:
            lines.append(f"| {script} | {n} | not run ({module} or xlsxwriter missing) | | |")
            continue
        cmd = [py, str(ROOT / "benches" / script), str(BENCH / str(n) / "don-vi"), str(OUT / "py.xlsx")]
        tt, tp = pair(tool(n, 0), cmd, max(3, reps // 2))
        lines.append(f"| {script} | {n} | {fmt(tp)} | {fmt(tt)} | {statistics.median(tp)/statistics.median(tt):.1f}× |")

    # The same bloc as openpyxl writes it (see benches/resave_openpyxl.py).
    if subprocess.run([py, "-c", "import openpyxl, python_calamine, xlsxwriter"], capture_output=True).returncode == 0:
        opx = f"{big}-openpyxl"
        if not (BENCH / opx / "manifest.csv").exists():
            subprocess.run([py, str(ROOT / "benches" / "resave_openpyxl.py"), str(BENCH / str(big)), str(BENCH / opx)], check=True)
        lines += ["", f"## A bloc of {big} workbooks written by openpyxl (whole process)", "",
                  f"Correctness: {check_manifest(opx)} units whose total differs from the manifest.", "",
                  "| run | wall | thidua (2 threads) | thidua faster by |", "|---|---|---|---|"]
        calamine_py = [py, str(ROOT / "benches" / "pipeline_calamine.py"), str(BENCH / opx / "don-vi"), str(OUT / "py.xlsx")]
        tt, tp = pair(tool(opx, 2), ["taskset", "-c", "0"] + calamine_py, max(3, reps // 2))
        lines.append(f"| pipeline_calamine.py, one core | {fmt(tp)} | {fmt(tt)} | {statistics.median(tp)/statistics.median(tt):.2f}× |")
        t1o, ty = pair(tool(opx, 1), [str(YARD), str(BENCH / opx / "don-vi")], reps)
        lines.append(f"| yardstick (calamine, every cell); thidua on 1 thread | {fmt(ty)} | {fmt(t1o)} (1 thread) | {statistics.median(ty)/statistics.median(t1o):.2f}× (thidua {statistics.median(t1o)/statistics.median(ty):.2f}× the yardstick) |")
        openpyxl_py = [py, str(ROOT / "benches" / "pipeline_openpyxl.py"), str(BENCH / opx / "don-vi"), str(OUT / "py.xlsx")]
        tt, tp = pair(tool(opx, 2), openpyxl_py, max(3, reps // 2))
        lines.append(f"| pipeline_openpyxl.py | {fmt(tp)} | {fmt(tt)} | {statistics.median(tp)/statistics.median(tt):.1f}× |")

    lines += ["", "## Peak memory (thidua consolidate, default threads)", "", "| N | peak RSS |", "|---|---|"]
    for n in sizes:
        lines.append(f"| {n} | {peak_kib(tool(n, 0, OUT / 'm.json')) / 1024:.1f} MiB |")

    if shutil.which("valgrind") and 120 in sizes:
        it = instructions(tool(120, 1))
        iy = instructions([str(YARD), str(BENCH / "120" / "don-vi")])
        lines += ["", "## Instruction counts (callgrind, N = 120)", "",
                  f"thidua {it:,} ÷ yardstick {iy:,} = **{it/iy:.2f}×**"]

    text = "\n".join(lines) + "\n"
    (BENCH / "results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
