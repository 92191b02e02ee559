#!/usr/bin/env python3
"""Search quality (scripts/bench): the hypervolume of the front each run found over the whole grid's.

usage: search_quality.py GRID_DIR RUN_DIR...   (each a dse --out directory)
The objectives are those of the grid's summary.json (all minimised, accuracy negated), over the points
that are ok, golden-consistent and within their constraints; each is normalised over the grid's such
points, (v - ideal) / (nadir - ideal), with the reference point at 1.1 in each. Prints one line per run.
"""
import csv
import json
import sys

COLUMN = {"cycles": "cycles", "energy": "energy_total_pj", "weight_storage": "weight_bits_stored", "accuracy": "top1"}


def points(out_dir, objectives):
    rows = csv.DictReader(open(f"{out_dir}/results.csv"))
    values = []
    for r in rows:
        if r["ok"] != "1" or r["golden_match"] == "0" or r["constraints_ok"] == "0":
            continue
        values.append([(-1 if o == "accuracy" else 1) * float(r[COLUMN[o]]) for o in objectives])
    return values


def hypervolume(pts, ref):
    """Exact, by slicing along the last objective (fine for the few hundred points of a front)."""
    pts = [p for p in pts if all(x < r for x, r in zip(p, ref))]
    if not pts:
        return 0.0
    if len(ref) == 1:
        return ref[0] - min(p[0] for p in pts)
    pts.sort(key=lambda p: p[-1])
    volume = 0.0
    for i, p in enumerate(pts):
        top = pts[i + 1][-1] if i + 1 < len(pts) else ref[-1]
        if top > p[-1]:
            volume += (top - p[-1]) * hypervolume([q[:-1] for q in pts[: i + 1]], ref[:-1])
    return volume


def front(pts):
    return [p for p in pts if not any(q != p and all(a <= b for a, b in zip(q, p)) for q in pts)]


def main():
    grid_dir, runs = sys.argv[1], sys.argv[2:]
    objectives = json.load(open(f"{grid_dir}/summary.json"))["objectives"]
    grid = points(grid_dir, objectives)
    lo = [min(v[m] for v in grid) for m in range(len(objectives))]
    hi = [max(v[m] for v in grid) for m in range(len(objectives))]
    norm = lambda v: [(x - a) / (b - a) if b > a else 0.0 for x, a, b in zip(v, lo, hi)]
    ref = [1.1] * len(objectives)
    truth = hypervolume(front([norm(v) for v in grid]), ref)
    print(f"grid: {len(grid)} eligible points, objectives {', '.join(objectives)}, true front hypervolume {truth:.4f}")
    for run in runs:
        s = json.load(open(f"{run}/summary.json"))["search"]
        found = hypervolume(front([norm(v) for v in points(run, objectives)]), ref)
        print(f"{s['strategy']} seed {s['seed']} budget {s['budget']}: hypervolume ratio {found / truth:.4f}")


if __name__ == "__main__":
    main()
