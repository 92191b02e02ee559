// DeepChip DSE report: the views a designer compares designs with (report.js lays them out). Metric names
// and units, colour groups by any axis, a metric against an axis, two points side by side, a per-layer
// roofline. Energies are shown in uJ everywhere (the console's unit); the data keep pJ.
"use strict";
const DseViews = (function () {
  const {h, s, fmt, PALETTE, scatter, dataTable} = DseCharts;

  const MAXIMIZE = new Set(["top1", "utilization", "compression_vs_fp32", "speedup_vs_int8_dense", "throughput_per_s",
    "throughput_per_s_per_mm2"]);
  const METRIC_LABEL = { cycles: "cycles", seconds: "seconds", energy_total_pj: "energy (uJ)",
    utilization: "utilization", stall_cycles: "stall cycles", weight_bits_stored: "weight storage (bits)",
    compression_vs_fp32: "compression vs fp32", dram_bytes: "DRAM bytes", macs: "MACs", top1: "top-1 accuracy",
    accuracy_drop: "accuracy drop", speedup_vs_int8_dense: "speed-up vs int8 dense", array_luts: "array LUTs",
    area_mm2: "area (mm2)", power_w: "power (W)", power_static_w: "static power (W)", latency_ms: "latency (ms)",
    throughput_per_s: "throughput (1/s)", edp_pj_s: "energy-delay (uJ s)", throughput_per_s_per_mm2: "throughput per mm2",
    fpga_utilization: "FPGA utilization" };
  // Metrics kept in pJ by the data and shown in uJ.
  const IN_UJ = new Set(["energy_total_pj", "edp_pj_s"]);
  const shown = (key, v) => (IN_UJ.has(key) && Number.isFinite(v) ? v / 1e6 : v);
  const label = (key) => METRIC_LABEL[key] || key;

  // An axis value as a person writes it: "ws", 32, [1, 2].
  const valueLabel = (v) => (typeof v === "string" ? v : JSON.stringify(v));

  // The colour groups of a set of points: by network or by one axis (its values in the order written).
  function colourGroups(summary, by) {
    const i = summary.axes.findIndex((a) => a.name === by);
    const names = i < 0 ? summary.networks : summary.axes[i].values.map(valueLabel);
    const of = (p) => (i < 0 ? p.network : valueLabel(p.axes[i]));
    const colour = (p) => PALETTE[Math.max(0, names.indexOf(of(p))) % PALETTE.length];
    const legend = h("div", { class: "legend", id: "colour-legend" }, names.map((n, k) =>
      h("span", {}, h("i", { style: `background:${PALETTE[k % PALETTE.length]}` }), n)));
    return { of, colour, legend, byNetwork: i < 0 };
  }

  const scaleOptions = ["auto", "linear", "log"].map((v) => ({ value: v, label: v }));

  // Every ok point's metric against the values of one axis, coloured by network, with each network's best
  // value per axis value joined: how sensitive the metric is to that axis.
  function metricAgainstAxis(summary, points, axisName, metric, yscale, onclick) {
    const i = summary.axes.findIndex((a) => a.name === axisName);
    const values = summary.axes[i].values.map(valueLabel);
    const networks = summary.networks, colour = (n) => PALETTE[networks.indexOf(n) % PALETTE.length];
    const ok = points.filter((p) => p.ok && Number.isFinite(p.metrics[metric]));
    const marks = ok.map((p) => ({ id: p.id, x: values.indexOf(valueLabel(p.axes[i])), y: shown(metric, p.metrics[metric]),
      cls: "pt", color: colour(p.network), group: p.network, onclick: () => onclick(p),
      title: `${p.network} ${axisName}=${valueLabel(p.axes[i])}: ${label(metric)} ${fmt(shown(metric, p.metrics[metric]))}` }));
    const better = MAXIMIZE.has(metric) ? Math.max : Math.min;
    const lines = networks.map((n) => ({ color: colour(n), points: values.map((v, x) => {
      const ys = marks.filter((m) => m.group === n && m.x === x).map((m) => m.y);
      return ys.length ? [x, better(...ys)] : null;
    }).filter((pt) => pt) })).filter((l) => l.points.length > 1);
    return scatter("metric-axis", marks, axisName, label(metric), { xCategories: values, yscale, lines });
  }

  // Two points side by side: every metric of either, and per layer (same network) cycles and energy.
  function comparison(a, b, layersOf) {
    const keys = Object.keys(METRIC_LABEL).filter((k) => Number.isFinite(a.metrics[k]) || Number.isFinite(b.metrics[k]));
    const ratio = (x, y) => (Number.isFinite(x) && Number.isFinite(y) && x !== 0 ? y / x : undefined);
    const totals = keys.map((k) => ({ metric: label(k), a: shown(k, a.metrics[k]), b: shown(k, b.metrics[k]),
      ratio: ratio(a.metrics[k], b.metrics[k]) }));
    const parts = [h("p", {}, `A: ${a.network} ${a.id}; B: ${b.network} ${b.id} (B/A: the ratio)`),
      dataTable("compare-totals", [{ key: "metric", label: "metric" }, { key: "a", label: "A", num: true },
        { key: "b", label: "B", num: true }, { key: "ratio", label: "B/A", num: true }], totals)];
    const la = layersOf(a), lb = layersOf(b);
    if (a.network === b.network && la.length && la.length === lb.length) {
      const rows = la.map((l, k) => ({ layer: l.name, cycles_a: l.cycles, cycles_b: lb[k].cycles,
        energy_a: l.energy_total_pj / 1e6, energy_b: lb[k].energy_total_pj / 1e6 }));
      parts.push(h("h3", {}, "Per layer"), dataTable("compare-layers", [{ key: "layer", label: "layer" },
        { key: "cycles_a", label: "cycles A", num: true }, { key: "cycles_b", label: "cycles B", num: true },
        { key: "energy_a", label: "energy A (uJ)", num: true }, { key: "energy_b", label: "energy B (uJ)", num: true }], rows));
    } else {
      parts.push(h("p", { class: "note" }, "Per-layer comparison: needs both points' layers of one network " +
        "(a large sweep keeps them for the front and verified points)."));
    }
    return parts;
  }

  const DRAM_KEYS = ["dram_input_read_bytes", "dram_weight_read_bytes", "dram_operand_read_bytes",
    "dram_kv_read_bytes", "dram_kv_write_bytes", "dram_psum_read_bytes", "dram_psum_write_bytes",
    "dram_output_write_bytes"];

  // The roofline of the array: operations (2 per MAC) per DRAM byte against operations per cycle, under
  // the array's peak (2 R C per cycle) and the DRAM bandwidth (bytes per cycle x intensity). A layer of the
  // accelerator with MACs and DRAM traffic is one mark; one that moves no DRAM byte has no intensity.
  function roofline(layers, config) {
    const hw = (config && config.hardware) || {};
    const peak = 2 * (hw.array_rows || 0) * (hw.array_cols || 0), bw = hw.dram_bandwidth_bytes_per_cycle || 0;
    const plotted = layers.filter((l) => !l.on_arm && l.macs > 0 && l.cycles > 0 &&
      DRAM_KEYS.reduce((t, k) => t + (l[k] || 0), 0) > 0);
    if (!plotted.length || peak <= 0 || bw <= 0) return null;
    const marks = plotted.map((l, k) => {
      const bytes = DRAM_KEYS.reduce((t, key) => t + (l[key] || 0), 0);
      const x = 2 * l.macs / bytes, y = 2 * l.macs / l.cycles, roof = Math.min(peak, bw * x);
      return { x, y, cls: "pt", color: PALETTE[k % PALETTE.length], group: l.name,
        title: `${l.name}: ${fmt(x)} ops/byte, ${fmt(y)} ops/cycle (${(100 * y / roof).toFixed(0)}% of its roof, ` +
          `${bw * x < peak ? "memory" : "compute"} bound)` };
    });
    const xs = marks.map((m) => m.x), lo = Math.min(...xs, peak / bw) / 2, hi = Math.max(...xs, peak / bw) * 2;
    const roofLine = { color: "#444", points: [[lo, bw * lo], [peak / bw, peak], [hi, peak]] };
    return h("div", {}, h("h3", {}, `Roofline: peak ${fmt(peak)} ops/cycle, DRAM ${fmt(bw)} bytes/cycle`),
      scatter("roofline", marks, "operations per DRAM byte", "operations per cycle",
        { xscale: "log", yscale: "log", lines: [roofLine] }));
  }

  return { MAXIMIZE, METRIC_LABEL, shown, label, valueLabel, colourGroups, scaleOptions, metricAgainstAxis, comparison,
    roofline };
})();
