#!/usr/bin/env python3
"""report.html in a real browser (Debian's headless Chromium).

  report_browser_test.py DSE SOURCE_DIR WORK_DIR ARTEFACT_DIR sweep CONFIG.json
  report_browser_test.py DSE SOURCE_DIR WORK_DIR ARTEFACT_DIR point CONFIG.json

A sweep (or one `dse run`) is run, its report opened in headless Chromium, and the test fails on any
console message, on a page that did not finish rendering, on anything that would leave the file (the page's
Content-Security-Policy forbids it and no element may point outside), and on any chart whose marks differ in
number from what the result files say (one circle per ok point on the Pareto plot, one cell per array shape,
one bar segment per non-zero layer component, ...). A point's `--timeline` trace is checked against the Trace
Event format and against its result. A screenshot of each report is saved in ARTEFACT_DIR.
"""
import csv
import html.parser
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless on a closed network: no background traffic, a throw-away profile.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars"]

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, file=sys.stderr)


def run(cmd, **kw):
    print("+ " + " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def chromium(url, *extra):
    with tempfile.TemporaryDirectory() as profile:
        p = subprocess.run([CHROMIUM, *FLAGS, "--user-data-dir=" + profile, *extra, url], text=True,
                           capture_output=True, timeout=300)
    return p


def render(report, fragment, name, artefacts):
    """The DOM after the page's scripts ran; fails on console output. Saves a screenshot."""
    url = "file://" + os.path.abspath(report) + ("#" + fragment if fragment else "")
    p = chromium(url, "--enable-logging=stderr", "--v=0", "--dump-dom")
    console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line]
    check(not console, f"{name}: the page wrote to the console: {console[:3]}")
    dom = p.stdout
    check('data-rendered="ok"' in dom, f"{name}: the page did not finish rendering")
    ms = re.search(r'data-render-ms="([0-9.]+)"', dom)
    print(f"{name}: rendered in {ms.group(1) if ms else '?'} ms (page clock), {os.path.getsize(report)} bytes",
          file=sys.stderr)
    shot = os.path.join(artefacts, name + ".png")
    chromium(url, "--screenshot=" + shot, "--window-size=1280,3600")
    check(os.path.exists(shot), f"{name}: no screenshot")
    return dom


def check_offline(report, name):
    text = open(report, encoding="utf-8").read()
    check("Content-Security-Policy" in text and "default-src 'none'" in text,
          f"{name}: no Content-Security-Policy forbidding requests")
    outside = re.findall(r'''(?:src|href|action|poster|data)\s*=\s*["']?\s*(?!data:|#)[a-z][a-z0-9+.-]*:''',
                         text, re.IGNORECASE)
    outside += re.findall(r'''url\(\s*["']?(?!data:|#)[a-z][a-z0-9+.-]*:''', text, re.IGNORECASE)
    outside += re.findall(r'''@import''', text)
    check(not outside, f"{name}: elements point outside the file: {outside[:3]}")


class Marks(html.parser.HTMLParser):
    """Counts the marks of every chart: (svg id, tag, class token) -> count."""

    def __init__(self):
        super().__init__()
        self.stack, self.counts, self.rows = [], {}, {}
        self.table = None
        self.titles = {}  # table id -> {header text: its tooltip}
        self.th = None    # the open header cell: [its text, its tooltip]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.stack.append(a.get("id", ""))
        elif self.stack:
            for cls in (a.get("class") or "").split():
                key = (self.stack[-1], tag, cls)
                self.counts[key] = self.counts.get(key, 0) + 1
            if a.get("data-group"):  # a mark's colour group: (svg id, tag, "group=<label>")
                key = (self.stack[-1], tag, "group=" + a["data-group"])
                self.counts[key] = self.counts.get(key, 0) + 1
        if tag == "table":
            self.table = a.get("id")
        if tag == "tr" and self.table and self.in_body:
            self.rows[self.table] = self.rows.get(self.table, 0) + 1
        if tag == "tbody":
            self.in_body = True
        if tag == "th" and self.table:
            self.th = ["", a.get("title")]
        if tag == "li" and a.get("data-failed") is not None:
            pass

    in_body = False

    def handle_data(self, data):
        if self.th is not None:
            self.th[0] += data

    def handle_endtag(self, tag):
        if tag == "th" and self.th is not None:
            self.titles.setdefault(self.table, {})[self.th[0]] = self.th[1]
            self.th = None
        if tag == "svg" and self.stack:
            self.stack.pop()
        if tag == "tbody":
            self.in_body = False
        if tag == "table":
            self.table = None

    def count(self, svg, tag, cls):
        return self.counts.get((svg, tag, cls), 0)


def marks_of(dom):
    m = Marks()
    m.feed(dom)
    m.failed_items = len(re.findall(r"<ul id=\"failed\">(.*?)</ul>", dom, re.S) and
                         re.findall(r"<li>", re.search(r"<ul id=\"failed\">(.*?)</ul>", dom, re.S).group(1)))
    return m


def num(cell):
    try:
        return float(cell)
    except (TypeError, ValueError):
        return None


ENERGY = ["energy_mac_pj", "energy_pe_forward_pj", "energy_pe_register_pj", "energy_vector_pj",
          "energy_sram_input_pj", "energy_sram_weight_pj", "energy_sram_output_pj", "energy_dram_pj",
          "energy_arm_pj", "energy_static_pj"]
AREA = ["area_pe_array_mm2", "area_sram_input_mm2", "area_sram_weight_mm2", "area_sram_output_mm2",
        "area_vector_unit_mm2", "area_huffman_decoder_mm2", "area_dram_interface_mm2"]
DRAM = ["dram_input_read_bytes", "dram_weight_read_bytes", "dram_psum_read_bytes", "dram_psum_write_bytes",
        "dram_output_write_bytes"]


def cycle_parts(l, bandwidth):
    """The report's cycle attribution (explorer/README.md "Report"), independently of the page."""
    transfer = l["transfer_cycles"]
    if l["on_arm"]:
        return [0, 0, 0, 0, transfer, l["cycles"] - transfer]
    stall = max(0, l["stall_cycles"])
    decoder = min(l["decoder_stall_cycles"], stall)
    psum = min(stall - decoder, math.ceil((l["dram_psum_read_bytes"] + l["dram_psum_write_bytes"]) / bandwidth))
    return [l["ideal_array_cycles"], stall - decoder - psum, decoder, psum, transfer, 0]


def check_layer_charts(m, layers, bandwidth, name):
    expect_cycles = sum(1 for l in layers for v in cycle_parts(l, bandwidth) if v > 0)
    check(m.count("layer-cycles", "rect", "seg") == expect_cycles,
          f"{name}: layer-cycles has {m.count('layer-cycles', 'rect', 'seg')} segments, expected {expect_cycles}")
    for chart, keys in (("layer-energy", ENERGY), ("layer-dram", DRAM)):
        expect = sum(1 for l in layers for k in keys if l[k] > 0)
        check(m.count(chart, "rect", "seg") == expect,
              f"{name}: {chart} has {m.count(chart, 'rect', 'seg')} segments, expected {expect}")


def check_area_chart(m, silicon, name):
    """One bar per non-zero area component of a standalone accelerator (none for a system)."""
    expect = sum(1 for k in AREA if silicon and float(silicon.get(k) or 0) > 0)
    check(m.count("area-breakdown", "rect", "area") == expect,
          f"{name}: area-breakdown has {m.count('area-breakdown', 'rect', 'area')} bars, expected {expect}")


def typed_layer(row):
    out = dict(row)
    for k, v in row.items():
        f = num(v)
        if f is not None and k not in ("layer", "kind", "point_id", "network"):
            out[k] = f
    return out


def cell_of(value):
    """A config value as results.csv writes it."""
    return value if isinstance(value, str) else json.dumps(value)


def test_sweep(dse, source, work, artefacts, config):
    name = os.path.splitext(os.path.basename(config))[0]
    out = os.path.join(work, name)
    shutil.rmtree(out, ignore_errors=True)
    run([dse, "--config", config, "--out", out, "--quiet", "--jobs", "2"])
    report = os.path.join(out, "report.html")
    check(os.path.exists(report), f"{name}: no report.html")
    check_offline(report, name)
    rows = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
    layers = [typed_layer(r) for r in csv.DictReader(open(os.path.join(out, "layers.csv")))]
    summary = json.load(open(os.path.join(out, "summary.json")))
    spec = json.load(open(config))
    ok = [r for r in rows if r["ok"] == "1"]
    chosen = next((r for r in rows if r["pareto"] == "1"), ok[0] if ok else rows[0])
    dom = render(report, "x=cycles&y=energy_total_pj&point=" + chosen["point_id"], name, artefacts)
    m = marks_of(dom)

    plotted = [r for r in ok if num(r["cycles"]) and num(r["energy_total_pj"])]
    check(m.count("pareto", "circle", "pt") == len(plotted),
          f"{name}: Pareto plot has {m.count('pareto', 'circle', 'pt')} points, expected {len(plotted)}")
    check(m.rows.get("points-table") == len(rows),
          f"{name}: table has {m.rows.get('points-table')} rows, expected {len(rows)}")
    failed = [r for r in rows if r["ok"] != "1"]
    check(m.failed_items == len(failed), f"{name}: {m.failed_items} failed points listed, expected {len(failed)}")
    # Each axis's header has the key's doc as its tooltip, as configs/schema.json describes the key.
    schema = json.load(open(os.path.join(source, "configs", "schema.json")))["properties"]
    described = {k: v["description"] for sec in schema.values() if "properties" in sec
                 for k, v in sec["properties"].items() if "description" in v}
    for key in spec.get("axes", {}):
        title = m.titles.get("points-table", {}).get(key)
        check(title == described.get(key), f"{name}: the {key} header's tooltip is {title!r}, "
              f"expected {described.get(key)!r}")

    # Heat map: the first network, every other axis at its first value.
    axes = spec.get("axes", {})
    first_network = os.path.basename(rows[0]["network"])
    cells = {(r["array_rows"], r["array_cols"]) for r in ok if r["network"] == first_network and all(
        r[k] == cell_of(v[0]) for k, v in axes.items() if k not in ("array_rows", "array_cols"))}
    check(m.count("heatmap", "rect", "cell") == len(cells),
          f"{name}: heat map has {m.count('heatmap', 'rect', 'cell')} cells, expected {len(cells)}")

    point_layers = [l for l in layers if l["point_id"] == chosen["point_id"]]
    if chosen["ok"] == "1":
        bandwidth = float(chosen["dram_bandwidth_bytes_per_cycle"])
        check_layer_charts(m, point_layers, bandwidth, name)
        check_area_chart(m, chosen if chosen["area_mm2"] else None, name)
        if chosen.get("fpga_cycles"):
            check(m.count("placement", "rect", "place") == len(point_layers),
                  f"{name}: placement has {m.count('placement', 'rect', 'place')} layers, expected {len(point_layers)}")
            check(m.count("resources", "rect", "res-used") == 5, f"{name}: resources chart has not 5 bars")

    # Area on the Pareto plot's x axis: one circle per ok point with an area.
    with_area = [r for r in ok if r["area_mm2"] and num(r["energy_total_pj"])]
    if with_area:
        m_area = marks_of(render(report, "x=area_mm2&y=energy_total_pj", name + "_area", artefacts))
        check(m_area.count("pareto", "circle", "pt") == len(with_area),
              f"{name}: area Pareto plot has {m_area.count('pareto', 'circle', 'pt')} points, expected {len(with_area)}")

    with_accuracy = [r for r in ok if r["top1"] != ""]
    if with_accuracy:
        for chart in ("accuracy-compression", "accuracy-cycles"):
            check(m.count(chart, "circle", "pt") == len(with_accuracy),
                  f"{name}: {chart} has {m.count(chart, 'circle', 'pt')} points, expected {len(with_accuracy)}")
        budgets = len(summary.get("best_within_accuracy_drop", []))
        check(m.count("accuracy-cycles", "line", "budget") == budgets, f"{name}: {budgets} budget lines expected")
    history = sum(len(v.get("generations", [])) for v in summary.get("search", {}).get("hypervolume") or [])
    searched = summary.get("search", {}).get("strategy", "grid") != "grid"
    check(m.count("hypervolume", "circle", "pt") == (history if searched else 0),
          f"{name}: hypervolume has {m.count('hypervolume', 'circle', 'pt')} points, expected "
          f"{history if searched else 0} (a grid has no search history)")

    check_designer_views(report, rows, ok, layers, spec, chosen, name, artefacts)

    # dse report rewrites the same report from the store alone.
    before = open(report, encoding="utf-8").read()
    os.remove(report)
    run([dse, "report", out])
    check(open(report, encoding="utf-8").read() == before, f"{name}: dse report differs from the sweep's report")


def roofline_layers(layers):
    """The layers the roofline plots: on the accelerator, with MACs, cycles and DRAM traffic."""
    dram = ["dram_input_read_bytes", "dram_weight_read_bytes", "dram_operand_read_bytes", "dram_kv_read_bytes",
            "dram_kv_write_bytes", "dram_psum_read_bytes", "dram_psum_write_bytes", "dram_output_write_bytes"]
    return [l for l in layers if not l.get("on_arm") and l["macs"] > 0 and l["cycles"] > 0 and
            sum(l.get(k) or 0 for k in dram) > 0]


def check_designer_views(report, rows, ok, layers, spec, chosen, name, artefacts):
    """Colour by an axis, a metric against an axis, two points side by side, the roofline."""
    axes = list(spec.get("axes", {}))
    plotted = [r for r in ok if num(r["cycles"]) and num(r["energy_total_pj"])]
    point_layers = [l for l in layers if l["point_id"] == chosen["point_id"]]
    if chosen["ok"] == "1" and point_layers:
        chosen_rows = [dict(l, on_arm=l.get("on_arm") == 1.0) for l in point_layers]
        check_roofline = len(roofline_layers(chosen_rows))
    else:
        check_roofline = 0
    other = next((r for r in ok if r["point_id"] != chosen["point_id"]), None)
    fragment = "x=cycles&y=energy_total_pj&xscale=log&yscale=linear&point=" + chosen["point_id"]
    if axes:
        fragment += "&color=" + axes[0] + "&axis=" + axes[0] + "&metric=cycles"
    if other:
        fragment += "&compare=" + other["point_id"]
    m = marks_of(render(report, fragment, name + "_views", artefacts))
    if axes:  # one mark per point in its axis value's group, on the Pareto plot and against the axis
        for value in spec["axes"][axes[0]]:
            expect = sum(1 for r in plotted if r[axes[0]] == cell_of(value))
            label = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
            got = m.count("pareto", "circle", "group=" + label)
            check(got == expect, f"{name}: {got} Pareto marks coloured as {axes[0]}={label}, expected {expect}")
        with_cycles = [r for r in ok if num(r["cycles"]) is not None]
        check(m.count("metric-axis", "circle", "pt") == len(with_cycles),
              f"{name}: metric-axis has {m.count('metric-axis', 'circle', 'pt')} points, expected {len(with_cycles)}")
    if other:
        check(m.rows.get("compare-totals", 0) > 0, f"{name}: no comparison of two points")
        a_layers = [l for l in layers if l["point_id"] == other["point_id"]]
        if a_layers and point_layers and other["network"] == chosen["network"]:
            check(m.rows.get("compare-layers") == len(point_layers),
                  f"{name}: compare-layers has {m.rows.get('compare-layers')} rows, expected {len(point_layers)}")
    check(m.count("roofline", "circle", "pt") == check_roofline,
          f"{name}: roofline has {m.count('roofline', 'circle', 'pt')} layers, expected {check_roofline}")


def check_trace(trace_file, result, name):
    trace = json.load(open(trace_file))
    events = trace["traceEvents"]
    clock = trace["otherData"]["clock_hz"]
    slices = [e for e in events if e.get("ph") == "X"]
    check(slices, f"{name}: no slice in the trace")
    tracks = {}
    for e in slices:
        for k in ("ts", "dur", "pid", "tid", "name"):
            check(k in e, f"{name}: a slice without {k}: {e}")
        check(e["dur"] >= 0, f"{name}: negative duration")
        start, cycles = e["args"]["start_cycle"], e["args"]["cycles"]
        check(abs(e["ts"] - start / clock * 1e6) <= 1e-9 * max(1, e["ts"]), f"{name}: ts is not start_cycle")
        tracks.setdefault((e["pid"], e["tid"]), []).append((start, start + cycles, e))
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    for key, spans in tracks.items():
        spans.sort(key=lambda s: s[0])
        for a, b in zip(spans, spans[1:]):
            check(b[0] >= a[1], f"{name}: slices overlap on {names.get(key)}: {a[2]['name']} and {b[2]['name']}")
    by_name = {v: k for k, v in names.items()}
    layer_spans = sorted(tracks.get(by_name["layers"], []), key=lambda s: s[0])
    layers = result["layers"]
    check(len(layer_spans) == played_layers(result),
          f"{name}: {len(layer_spans)} layer slices for {played_layers(result)} layers")
    array = tracks.get(by_name["array: folds"], [])
    # Per result row: its slices' cycles and the array's busy cycles in them (a decoding's decode/<layer> row
    # sums that layer's slice of every step).
    spans, busy = {}, {}
    rows = [re.sub(r"^decode[0-9]+/", "decode/", e["name"]) for _, _, e in layer_spans] if result.get("decoding") \
        else [l["name"] for l in layers]  # one slice per layer, in order (an ARM layer's is named "<layer> (ARM)")
    for (a, b, e), row in zip(layer_spans, rows):
        spans[row] = spans.get(row, 0) + b - a
        busy[row] = busy.get(row, 0) + sum(max(0, min(end, b) - max(start, a)) for start, end, _ in array)
    exact = True
    for l in layers:
        check(spans.get(l["name"]) == l["cycles"] - l["transfer_cycles"],
              f"{name}: layer {l['name']} slice is not its cycles")
        if l["kind"] in ("conv", "fc") and not l["on_arm"]:
            check(l["ideal_array_cycles"] <= busy.get(l["name"], 0) <= l["cycles"],
                  f"{name}: array busy {busy.get(l['name'])} in {l['name']} outside [ideal, cycles]")
            exact = exact and busy.get(l["name"]) == l["ideal_array_cycles"]
    return exact


def played_layers(result):
    """Layers the point played: a decoding keeps its decode layers summed over the steps (decode/<layer>)."""
    layers = result["layers"]
    if not result.get("decoding"):
        return len(layers)
    decode = sum(1 for l in layers if l["name"].startswith("decode/"))
    return len(layers) - decode + decode * result["decoding"]["decode_tokens"]


def test_point(dse, source, work, artefacts, config):
    name = "point_" + os.path.splitext(os.path.basename(config))[0]
    base = json.load(open(config))
    # The config is rewritten in the work folder: a network file beside it is named by its absolute path.
    beside = os.path.join(os.path.dirname(os.path.abspath(config)), base["network"])
    if os.path.isfile(beside):
        base["network"] = beside
    for variant in ("dram", "ideal"):
        cfg = json.loads(json.dumps(base))
        if variant == "ideal":
            cfg.setdefault("hardware", {})["memory"] = "ideal"
        out = os.path.join(work, name + "_" + variant)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        point_config = os.path.join(out, "point.json")
        json.dump(cfg, open(point_config, "w"))
        trace = os.path.join(out, "timeline.json")
        subprocess.run([dse, "run", "--config", point_config, "--out", out, "--timeline", trace], text=True,
                       capture_output=True)
        result = json.load(open(os.path.join(out, "result.json")))
        exact = check_trace(trace, result, name + "_" + variant)
        if variant == "ideal":
            check(exact, f"{name}: with ideal memory the array track is busy exactly the ideal array cycles")
            continue
        report = os.path.join(out, "report.html")
        check_offline(report, name)
        dom = render(report, "", name, artefacts)
        m = marks_of(dom)
        bandwidth = cfg.get("hardware", {}).get("dram_bandwidth_bytes_per_cycle", 16)
        check_layer_charts(m, result["layers"], bandwidth, name)
        check_area_chart(m, result.get("silicon"), name)
        check(m.count("timeline", "rect", "layer") == played_layers(result), f"{name}: timeline layer count")
        if result.get("decoding"):  # one point per decode step on each series
            steps = result["decoding"]["decode_tokens"]
            check(m.count("decode-cycles", "circle", "pt") == 3 * steps, f"{name}: decode cycles chart")
            check(m.count("decode-bytes", "circle", "pt") == 3 * steps, f"{name}: decode bytes chart")
        events = json.load(open(trace))["traceEvents"]
        # The trace's "layers" track is the timeline's top row of layer spans, not a lane.
        layer_track = {e["tid"] for e in events if e.get("ph") == "M" and e.get("name") == "thread_name" and
                       e.get("args", {}).get("name") == "layers"}
        tracks = {e["tid"] for e in events if e.get("ph") == "X"} - layer_track
        check(m.count("roofline", "circle", "pt") == len(roofline_layers(result["layers"])),
              f"{name}: roofline has {m.count('roofline', 'circle', 'pt')} layers")
        check(m.count("timeline", "rect", "lane") == len(tracks),
              f"{name}: timeline has {m.count('timeline', 'rect', 'lane')} tracks, expected {len(tracks)}")
        if result.get("soc"):
            check(m.count("placement", "rect", "place") == len(result["layers"]), f"{name}: placement")
        # dse report rebuilds the point's report, its timeline view from DIR/timeline.json.
        os.remove(report)
        run([dse, "report", out])
        m = marks_of(render(report, "", name + "_dse_report", artefacts))
        check(m.count("timeline", "rect", "lane") == len(tracks), f"{name}: dse report lost the timeline")


def main():
    dse, source, work, artefacts, kind, config = sys.argv[1:7]
    os.makedirs(work, exist_ok=True)
    os.makedirs(artefacts, exist_ok=True)
    (test_sweep if kind == "sweep" else test_point)(dse, source, work, artefacts, config)
    if failures:
        print(f"{len(failures)} failures", file=sys.stderr)
        return 1
    print("ok", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
