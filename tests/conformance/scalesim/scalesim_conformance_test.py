#!/usr/bin/env python3
"""`dse scalesim` against SCALE-Sim v2's own reports (expected/, made by regenerate.sh from SCALE-Sim itself).

  scalesim_conformance_test.py DSE WORK_DIR

For every case of cases.txt: COMPUTE_REPORT.csv byte for byte (Total Cycles, Stall Cycles, Overall Util %,
Mapping Efficiency %, Compute Util %, printed as SCALE-Sim prints them), the SRAM columns of
DETAILED_ACCESS_REPORT.csv (start and stop cycles, reads and writes per operand) and of BANDWIDTH_REPORT.csv
exactly, and results.csv's golden check of the executed numerics.
"""
import csv
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
failures = []


def columns(path, count):
    return [[c.strip() for c in line.split(",")[:count]] for line in open(path)]


def main():
    dse, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    template = open(os.path.join(here, "config.cfg.in")).read()
    for line in open(os.path.join(here, "cases.txt")):
        if not line.strip() or line.startswith("#"):
            continue
        name, rows, cols, dataflow, topology, kind = line.split()
        cfg = os.path.join(work, name + ".cfg")
        open(cfg, "w").write(template.replace("@NAME@", name).replace("@ROWS@", rows).replace("@COLS@", cols)
                             .replace("@DATAFLOW@", dataflow))
        p = subprocess.run([dse, "scalesim", "-c", cfg, "-t", os.path.join(here, topology), "-i", kind, "-p", work],
                           capture_output=True, text=True)
        if p.returncode != 0:
            failures.append(f"{name}: dse scalesim exited {p.returncode}: {p.stderr.strip()}")
            continue
        ours, ref = os.path.join(work, name), os.path.join(here, "expected", name)
        if open(os.path.join(ours, "COMPUTE_REPORT.csv")).read() != open(os.path.join(ref, "COMPUTE_REPORT.csv")).read():
            failures.append(f"{name}: COMPUTE_REPORT.csv differs from SCALE-Sim's")
        for report, count in (("DETAILED_ACCESS_REPORT.csv", 10), ("BANDWIDTH_REPORT.csv", 4)):
            a, b = columns(os.path.join(ours, report), count), columns(os.path.join(ref, report), count)
            if a != b:
                diff = next((i, x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y) if len(a) == len(b) else len(a)
                failures.append(f"{name}: {report} SRAM columns differ from SCALE-Sim's: {diff}")
        results = list(csv.DictReader(open(os.path.join(ours, "results.csv"))))
        if not results or any(r["golden_match"] != "1" for r in results):
            failures.append(f"{name}: results.csv: not every layer is bit-exact with golden")
        print(f"{name}: {len(results)} layers compared", file=sys.stderr)
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
