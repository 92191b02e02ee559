#!/usr/bin/env python3
"""Import speed and memory of large stock exports (tests/bench/results.md), scripts/bench's last section:

  import_bench.py DSE CACHE_DIR

For torchvision's alexnet and resnet50 at 224 x 224 (exported as the zoo label exports them, cached in
CACHE_DIR): the time to read the file (a cold-ish read into memory, the floor any importer pays), then
`dse infer` (import + float run) and `dse run` on timing (import + quantization + workload preparation +
simulation), each with its wall time, its ratio to the read time and its peak RSS (GNU time) as a multiple
of the file size. Targets (issue 28): under 5 s and under 3x the file size.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "zoo"))
from torchvision_zoo_test import export  # noqa: E402


def timed(cmd):
    """Wall seconds and peak RSS bytes of cmd (GNU time's %M)."""
    start = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    wall = time.time() - start
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr[-300:]}")
    return wall, int(re.findall(r"^(\d+)$", p.stderr, re.M)[-1]) * 1024


def main():
    dse, cache = sys.argv[1], sys.argv[2]
    print("model        file_MB  read_s | infer_s  x_read  RSS_x_file | run_timing_s  x_read  RSS_x_file")
    for name in ("alexnet", "resnet50"):
        model, inp, _, _ = export(name, 224, cache)
        size = os.path.getsize(model)
        start = time.time()
        with open(model, "rb") as f:
            while f.read(1 << 24):
                pass
        read_s = time.time() - start
        with tempfile.TemporaryDirectory() as work:
            infer_s, infer_rss = timed([dse, "infer", "--model", model, "--input", inp, "--output",
                                        os.path.join(work, "y.pb")])
            config = os.path.join(work, "p.json")
            with open(config, "w") as f:
                f.write('{"network": "%s", "hardware": {"array_impl": "timing"}}' % model)
            run_s, run_rss = timed([dse, "run", "--config", config, "--out", os.path.join(work, "out")])
        print(f"{name:12s} {size / 1e6:7.1f} {read_s:7.3f} | {infer_s:7.2f} {infer_s / read_s:7.1f} "
              f"{infer_rss / size:10.2f} | {run_s:12.2f} {run_s / read_s:7.1f} {run_rss / size:10.2f}")


if __name__ == "__main__":
    main()
