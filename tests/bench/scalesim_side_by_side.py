#!/usr/bin/env python3
"""SCALE-Sim v2 itself and `dse scalesim` on the same layers and array, in the same run (scripts/bench):
per layer both tools' wall time and Total Cycles, and the ratio of the times.

  scalesim_side_by_side.py DSE SCALE_SIM_DIR TOPOLOGY.csv ROWS COLS conv|gemm [ws|os|is]

Each layer runs alone in each tool (one process each, as a user would run it); dse's time includes its
process start, the SystemC elaboration and the execution of the numerics checked against the golden model.
"""
import os
import subprocess
import sys
import tempfile
import time

# The conformance cases' config template (64 KiB SRAMs, CALC bandwidth).
TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance", "scalesim", "config.cfg.in")


def total_cycles(report):
    lines = open(report).read().splitlines()[1:]
    return [int(line.split(",")[1]) for line in lines if line.strip()]


def timed(cmd, cwd=None):
    start = time.monotonic()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": cwd or "."})
    return time.monotonic() - start


def main():
    dse, scalesim, topology, rows, cols, kind = sys.argv[1:7]
    dataflow = sys.argv[7] if len(sys.argv) > 7 else "ws"
    lines = open(topology).read().splitlines()
    header, layers = lines[0], [l for l in lines[1:] if l.strip()]
    total_ss = total_dse = 0.0
    print("SCALE-Sim v2 vs dse scalesim, %s on %sx%s (%s, CALC):" % (os.path.basename(topology), rows, cols,
                                                                      dataflow))
    print("%-10s %14s %14s %10s %10s %8s" % ("layer", "scalesim_cyc", "dse_cyc", "scalesim_s", "dse_s", "ratio"))
    with tempfile.TemporaryDirectory() as work:
        for i, layer in enumerate(layers):
            name = "layer%d" % i
            topo = os.path.join(work, name + ".csv")
            open(topo, "w").write(header + "\n" + layer + "\n")
            cfg = os.path.join(work, name + ".cfg")
            open(cfg, "w").write(open(TEMPLATE).read().replace("@NAME@", name).replace("@ROWS@", rows)
                                 .replace("@COLS@", cols).replace("@DATAFLOW@", dataflow))
            ss = timed(["/usr/bin/python3", "scalesim/scale.py", "-c", cfg, "-t", topo, "-p", work + "/ss", "-i", kind],
                       cwd=scalesim)
            ds = timed([dse, "scalesim", "-c", cfg, "-t", topo, "-p", work + "/dse", "-i", kind])
            a = total_cycles(os.path.join(work, "ss", name, "COMPUTE_REPORT.csv"))
            b = total_cycles(os.path.join(work, "dse", name, "COMPUTE_REPORT.csv"))
            total_ss += ss
            total_dse += ds
            print("%-10s %14s %14s %10.2f %10.3f %7.0fx%s" % (layer.split(",")[0].strip(), a[0], b[0], ss, ds, ss / ds,
                                                               "" if a == b else "  CYCLES DIFFER"))
    print("%-10s %14s %14s %10.2f %10.3f %7.0fx" % ("all", "", "", total_ss, total_dse, total_ss / total_dse))


if __name__ == "__main__":
    sys.exit(main())
