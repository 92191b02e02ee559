#!/usr/bin/env python3
"""The exploration rate of a sweep (scripts/bench's DSE rate): the sweep with verify "pareto" (explored at the
timing level, the Pareto points re-run on tile) and "all" (every point on tile), for the current dse and,
with --baseline, another build of it, alternated round by round in the same run so that the ratio holds on a
host whose speed drifts. Per run: wall seconds, points per minute, host CPU seconds (user + sys of dse and
its workers) per simulated fold, and page faults (minor + major) per point; the median round is reported.

usage: sweep_rate.py CONFIG DSE [--baseline DSE --baseline-name REV] [--rounds N] [--jobs N] [--policies ..]
"""
import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_sweep(dse, config, policy, jobs, scratch):
    """One sweep in a fresh folder: its wall seconds, CPU seconds, page faults, points and simulated folds."""
    c = json.load(open(config))
    c["verify"] = policy
    out = os.path.join(scratch, "out")
    shutil.rmtree(out, ignore_errors=True)
    config_path = os.path.join(scratch, "config.json")
    json.dump(c, open(config_path, "w"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run([dse, "--config", config_path, "--out", out, "--jobs", str(jobs)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit("%s failed (exit %d): %s" % (dse, done.returncode, done.stderr.strip()[-500:]))
    with open(os.path.join(out, "results.csv")) as f:
        table = list(csv.reader(f))
    folds = table[0].index("folds")
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "faults": (after.ru_minflt - before.ru_minflt) + (after.ru_majflt - before.ru_majflt),
        "points": len(table) - 1,
        "folds": sum(int(r[folds]) for r in table[1:] if r[folds]),
        "table": table,
    }


def stats_without(table, columns):
    """results.csv without the named columns (those that differ between the levels by design)."""
    drop = {table[0].index(c) for c in columns if c in table[0]}
    return [[x for i, x in enumerate(row) if i not in drop] for row in table]


def describe(r):
    return ("%.2f s wall (%s points/min), %.2f host us per fold, %.0f page faults per point" % (
        r["wall"], format(round(r["points"] / r["wall"] * 60), ","), r["cpu"] / max(r["folds"], 1) * 1e6,
        r["faults"] / max(r["points"], 1)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("config")
    ap.add_argument("dse")
    ap.add_argument("--baseline", help="another dse build, run alternately with DSE")
    ap.add_argument("--baseline-name", default="baseline")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--policies", default="pareto,all")
    a = ap.parse_args()
    builds = [("current", a.dse)] + ([(a.baseline_name, a.baseline)] if a.baseline else [])
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for policy in a.policies.split(","):
            for _ in range(a.rounds):
                for name, dse in builds:
                    results.setdefault((policy, name), []).append(run_sweep(dse, a.config, policy, a.jobs, scratch))
    median = {k: sorted(v, key=lambda r: r["wall"])[len(v) // 2] for k, v in results.items()}
    points = next(iter(median.values()))["points"]
    print("DSE rate: %s, %d points, %d jobs, median of %d alternated rounds" % (
        os.path.basename(a.config), points, a.jobs, a.rounds))
    for policy in a.policies.split(","):
        for name, _ in builds:
            print("  verify %-6s %-9s %s" % (policy, name, describe(median[(policy, name)])))
        if a.baseline:
            ratio = median[(policy, a.baseline_name)]["wall"] / median[(policy, "current")]["wall"]
            print("  verify %-6s current is %.2fx %s's rate" % (policy, ratio, a.baseline_name))
    if ("pareto", "current") in median and ("all", "current") in median:
        same = stats_without(median[("pareto", "current")]["table"], ["golden_match"]) == \
            stats_without(median[("all", "current")]["table"], ["golden_match"])
        print("  same stats explored at timing and executed on tile: %s" % ("yes" if same else "NO"))


if __name__ == "__main__":
    main()
