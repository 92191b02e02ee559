#!/usr/bin/env python3
"""How fast a report opens in headless Chromium (scripts/bench): its size, the page's own time from
navigation start to the end of its drawing (performance.now() when its script ends, median of 3), and the
wall time of the whole Chromium run (start, load, draw, DOM dump, exit; median of 3).

  report_open.py REPORT.html LABEL
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--dump-dom"]


def main():
    report, label = sys.argv[1], sys.argv[2]
    page_ms, wall_s, marks = [], [], 0
    for _ in range(3):
        with tempfile.TemporaryDirectory() as profile:
            start = time.monotonic()
            dom = subprocess.run(["chromium", *FLAGS, "--user-data-dir=" + profile, "file://" + os.path.abspath(report)],
                                 capture_output=True, text=True, timeout=120).stdout
            wall_s.append(time.monotonic() - start)
        m = re.search(r'data-render-ms="([0-9.]+)"', dom)
        if not m or 'data-rendered="ok"' not in dom:
            print(f"report {label}: did not render")
            return 1
        page_ms.append(float(m.group(1)))
        marks = dom.count("<circle") + dom.count("<rect") + dom.count("<tr")
    print("report of %s: %.2f MB, opens in %.2f s (page: navigation to drawn, median of 3), %.2f s for the whole "
          "headless Chromium run; %d SVG marks and table rows" % (label, os.path.getsize(report) / 1e6,
          statistics.median(page_ms) / 1000, statistics.median(wall_s), marks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
