// DeepChip DSE report: draws the data in #dse-data as hand-written SVG. No library, no request: the page
// works offline. Every chart is an <svg class="chart" id="..."> whose marks have a class per kind (pt, cell,
// seg, bar, busy, place, ...), so that a test can count them. Location hash parameters select views:
// #x=cycles&y=energy_total_pj&xscale=log&yscale=linear&color=<axis>&point=<id>&compare=<id>&network=<name>
// &axis=<axis>&metric=<metric>&axisscale=log.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("dse-data").textContent);
  const root = document.getElementById("report");
  const params = new URLSearchParams(location.hash.slice(1));
  const errors = [];
  window.addEventListener("error", (e) => errors.push(String(e.message)));

  const {h, s, tip, fill, fmt, si, PALETTE, makeScale, W, frame, scatter, stackedBars, lineChart, dataTable, select, section} = DseCharts;
  const {MAXIMIZE, METRIC_LABEL, shown, label, valueLabel, colourGroups, scaleOptions} = DseViews;


  // ---- per-layer views (a sweep's selected point and `dse run`) ----
  const ENERGY = [["energy_mac_pj", "MACs"], ["energy_pe_forward_pj", "PE-to-PE"],
    ["energy_pe_register_pj", "PE registers"], ["energy_vector_pj", "vector unit"], ["energy_sram_input_pj", "input SRAM"],
    ["energy_sram_weight_pj", "weight SRAM"], ["energy_sram_output_pj", "output SRAM"],
    ["energy_dram_pj", "DRAM"], ["energy_arm_pj", "ARM"], ["energy_static_pj", "static"]];
  const DRAM = [["dram_input_read_bytes", "inputs read"], ["dram_weight_read_bytes", "weights read"],
    ["dram_psum_read_bytes", "partial sums read"], ["dram_psum_write_bytes", "partial sums written"],
    ["dram_output_write_bytes", "outputs written"]];

  // Cycle attribution of a layer (explorer/README.md "Report"): an ARM layer's cycles are its ARM time and its
  // transfers; an accelerator layer's are its ideal array cycles, the ARM<->FPGA transfers before it, and
  // its stall cycles, attributed first to the weight decoder (decoder_stall_cycles), then to partial-sum
  // traffic (its DRAM bytes at the configured bandwidth), the rest to DRAM (inputs, weights, write-back).
  function cycleParts(l, bandwidth) {
    const transfer = l.transfer_cycles || 0;
    if (l.on_arm) return { ideal: 0, decoder: 0, psum: 0, dram: 0, transfer, arm: l.cycles - transfer };
    const stall = Math.max(0, l.stall_cycles);
    const decoder = Math.min(l.decoder_stall_cycles || 0, stall);
    const psumBytes = (l.dram_psum_read_bytes || 0) + (l.dram_psum_write_bytes || 0);
    const psum = Math.min(stall - decoder, Math.ceil(psumBytes / bandwidth));
    return { ideal: l.ideal_array_cycles, decoder, psum, dram: stall - decoder - psum, transfer, arm: 0 };
  }

  function layerViews(layers, config, soc) {
    const names = layers.map((l) => l.name);
    const bw = (config && config.hardware && config.hardware.dram_bandwidth_bytes_per_cycle) || 16;
    const parts = layers.map((l) => cycleParts(l, bw));
    const cyc = [["ideal", "ideal array cycles"], ["dram", "DRAM stalls"], ["decoder", "decoder stalls"],
      ["psum", "partial-sum traffic"], ["transfer", "ARM<->FPGA transfers"], ["arm", "on the ARM cores"]]
      .filter(([k]) => parts.some((p) => p[k] > 0));
    const charts = [
      h("div", {}, h("h3", {}, "Cycles per layer"),
        stackedBars("layer-cycles", names, cyc.map(([k, n]) => ({ name: n, values: parts.map((p) => p[k]) })), "cycles")),
      h("div", {}, h("h3", {}, "Energy per layer by component"),
        stackedBars("layer-energy", names, ENERGY.filter(([k]) => layers.some((l) => l[k] > 0))
          .map(([k, n]) => ({ name: n, values: layers.map((l) => l[k] / 1e6) })), "uJ")),
      h("div", {}, h("h3", {}, "DRAM bytes per layer and operand"),
        stackedBars("layer-dram", names, DRAM.filter(([k]) => layers.some((l) => l[k] > 0))
          .map(([k, n]) => ({ name: n, values: layers.map((l) => l[k]) })), "bytes")),
    ];
    const roof = DseViews.roofline(layers, config);
    if (roof) charts.push(roof);
    if (soc) charts.push(h("div", {}, h("h3", {}, `Placement on ${soc.device} (${soc.arm}, strategy ${soc.strategy})`),
      placement(layers), h("h3", {}, "FPGA resources used against the device"), resources(soc)));
    return h("div", { class: "grid2" }, charts);
  }

  // A standalone accelerator's area by component (configs/README.md "Area and power"), one bar each, and its power.
  const AREA = [["area_pe_array_mm2", "PE array"], ["area_sram_input_mm2", "input SRAM"],
    ["area_sram_weight_mm2", "weight SRAM"], ["area_sram_output_mm2", "output SRAM"],
    ["area_vector_unit_mm2", "vector unit"], ["area_huffman_decoder_mm2", "Huffman decoder"],
    ["area_dram_interface_mm2", "DRAM interface"]];
  function siliconView(si) {
    const parts = AREA.filter(([k]) => si[k] > 0);
    const rowH = 24, hgt = parts.length * rowH + 20;
    const svg = s("svg", { class: "chart", id: "area-breakdown", viewBox: `0 0 ${W} ${hgt}`, width: W, height: hgt });
    parts.forEach(([k, name], i) => {
      const y = 10 + i * rowH, frac = si[k] / si.area_mm2;
      svg.append(s("text", { x: 120, y: y + 14, "text-anchor": "end" }, name),
        s("rect", { x: 130, y, width: Math.max(0.5, 380 * frac), height: 16, class: "bar area" },
          tip(`${name}: ${fmt(si[k])} mm2 (${(100 * frac).toFixed(1)}%)`)),
        s("text", { x: 520, y: y + 13 }, `${fmt(si[k])} mm2 (${(100 * frac).toFixed(1)}%)`));
    });
    return h("div", {}, h("h3", {}, `Area ${fmt(si.area_mm2)} mm2 by component; power ${fmt(si.power_w * 1e3)} mW ` +
      `(dynamic ${fmt(si.power_dynamic_w * 1e3)}, static ${fmt(si.power_static_w * 1e3)})`), svg);
  }

  function placement(layers) {
    const n = Math.max(1, layers.length), w = (W - 20) / n;
    const svg = s("svg", { class: "chart", id: "placement", viewBox: `0 0 ${W} 70`, width: W, height: 70 });
    layers.forEach((l, i) => svg.append(s("rect", { x: 10 + i * w, y: 10, width: Math.max(1, w - 1), height: 30,
      class: "place " + (l.on_arm ? "arm" : "fpga") }, tip(`${l.name}: ${l.on_arm ? "ARM" : "FPGA"}`))));
    svg.append(s("text", { x: 10, y: 60, class: "label" }, "each layer in order: ARM (orange) or fabric (blue)"));
    return svg;
  }

  function resources(soc) {
    const keys = Object.keys(soc.available || {});
    const rowH = 24, hgt = keys.length * rowH + 20;
    const svg = s("svg", { class: "chart", id: "resources", viewBox: `0 0 ${W} ${hgt}`, width: W, height: hgt });
    keys.forEach((k, i) => {
      const avail = soc.available[k], used = soc.used[k] || 0, y = 10 + i * rowH;
      const frac = avail > 0 ? Math.min(1, used / avail) : 0;
      svg.append(s("text", { x: 80, y: y + 14, "text-anchor": "end" }, k),
        s("rect", { x: 90, y, width: 420, height: 16, class: "res-avail" }),
        s("rect", { x: 90, y, width: Math.max(0.5, 420 * frac), height: 16, class: "bar res-used" + (used > avail ? " over" : "") },
          tip(`${k}: ${used} of ${avail}`)),
        s("text", { x: 520, y: y + 13 }, `${fmt(used)} / ${fmt(avail)} (${(100 * used / Math.max(1, avail)).toFixed(1)}%)`));
    });
    return svg;
  }

  // A column's tooltip: its doc and unit as the statistics and the config keys declare them (as in
  // configs/schema.json's descriptions).
  function docOf(key) {
    const docs = DATA.columns || {};
    const d = docs[key] || docs[key.split(":").pop()];  // a per-layer axis "conv1:weight_bits": its setting's
    return d ? d.doc + (d.unit ? ` [${d.unit}]` : "") : undefined;
  }

  function layerTable(layers) {
    const cols = [{ key: "name", label: "layer" }, { key: "kind", label: "kind" }].concat(
      ["cycles", "ideal_array_cycles", "stall_cycles", "decoder_stall_cycles", "utilization", "macs",
        "energy_total_pj", "weight_bits_stored", "on_arm"].filter((k) => layers.length && k in layers[0])
        .map((k) => ({ key: k, label: k, num: true, doc: docOf(k) })));
    return dataTable("layers-table", cols, layers);
  }

  // ---- the sweep page ----
  function eligible(p) { return p.ok && p.constraints_ok && (!p.verified || p.golden_match); }

  // The points no other eligible point of the same network beats on both metrics.
  function front2d(points, xk, yk) {
    const sx = MAXIMIZE.has(xk) ? -1 : 1, sy = MAXIMIZE.has(yk) ? -1 : 1;
    const front = new Set();
    const cand = points.filter((p) => eligible(p) && Number.isFinite(p.metrics[xk]) && Number.isFinite(p.metrics[yk]));
    for (const p of cand) {
      const px = sx * p.metrics[xk], py = sy * p.metrics[yk];
      const beaten = cand.some((q) => q !== p && q.network === p.network && sx * q.metrics[xk] <= px &&
        sy * q.metrics[yk] <= py && (sx * q.metrics[xk] < px || sy * q.metrics[yk] < py));
      if (!beaten) front.add(p);
    }
    return front;
  }

  function pointTitle(p, extra) {
    const ax = DATA.summary.axes.map((a, i) => `${a.name}=${valueLabel(p.axes[i])}`).join(", ");
    return `${p.network} ${ax}\ncycles ${fmt(p.metrics.cycles)}, energy ${fmt(shown("energy_total_pj", p.metrics.energy_total_pj))} uJ` +
      (p.metrics.top1 !== undefined ? `, top-1 ${fmt(p.metrics.top1)}` : "") + (extra ? "\n" + extra : "") +
      "\n(click for its layers)";
  }

  function sweepPage() {
    const S = DATA.summary, P = DATA.points;
    P.forEach((p, i) => { p.index = i; });
    const networks = S.networks;
    const color = (net) => PALETTE[networks.indexOf(net) % PALETTE.length];
    const axisNames = S.axes.map((a) => a.name);
    const metricKeys = Object.keys(METRIC_LABEL).filter((k) => P.some((p) => p.ok && Number.isFinite(p.metrics[k])));
    const objectiveMetrics = S.objectives.map((o) => S.objective_columns[o]).filter((k) => metricKeys.includes(k));
    const state = {
      x: params.get("x") || objectiveMetrics[0] || "cycles",
      y: params.get("y") || objectiveMetrics[1] || "energy_total_pj",
      selected: null,
      heatMetric: params.get("heat") || "cycles",
      heatNetwork: params.get("network") || networks[0],
      heatFixed: {},
      colourBy: axisNames.includes(params.get("color")) ? params.get("color") : "network",
      xscale: params.get("xscale") || "auto",
      yscale: params.get("yscale") || "auto",
      axis: axisNames.includes(params.get("axis")) ? params.get("axis") : axisNames[0],
      axisMetric: params.get("metric") || objectiveMetrics[0] || "cycles",
      axisScale: params.get("axisscale") || "auto",
      pinned: null,
    };
    const byId = new Map(P.map((p) => [p.id, p]));
    const selectedBox = h("div", { id: "selected" });

    root.append(h("h1", {}, "DeepChip DSE sweep: " + S.title));
    root.append(section("Summary", h("dl", { class: "summary" },
      [["networks", networks.join(", ")],
        ["axes", S.axes.map((a) => `${a.name} [${a.values.map(valueLabel).join(", ")}]`).join("; ") || "none"],
        ["objectives", S.objectives.join(", ")],
        ["points", `${S.points}: ${S.ok} ok, ${S.failed} failed, ${S.constraint_violating} violate a constraint, ` +
          `${S.verified} verified with numerics (verify ${S.verify})` + (S.golden_mismatch ? `, ${S.golden_mismatch} differ from golden` : "")],
        ["search", DATA.search && DATA.search.strategy ? DATA.search.strategy : "grid"],
        ["revision", S.revision],
        ["worker time", `${fmt(S.worker_seconds)} s (every stored point's worker, summed)`]]
        .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))));

    // Pareto plot for two metrics chosen on the page.
    const paretoBox = h("div", {});
    const metricOptions = metricKeys.map((k) => ({ value: k, label: label(k) }));
    function drawPareto() {
      const pts = P.filter((p) => p.ok && Number.isFinite(p.metrics[state.x]) && Number.isFinite(p.metrics[state.y]));
      const front = front2d(pts, state.x, state.y);
      const groups = colourGroups(S, state.colourBy);
      const marks = pts.map((p) => ({ id: p.id, x: shown(state.x, p.metrics[state.x]), y: shown(state.y, p.metrics[state.y]),
        cls: "pt" + (front.has(p) ? " front" : "") + (eligible(p) ? "" : " ineligible"), color: groups.colour(p),
        group: groups.of(p), title: pointTitle(p, front.has(p) ? "on this plot's front" : ""), onclick: () => selectPoint(p) }));
      // Each network's front as a line (in the network's colour, or grey when colour shows an axis).
      const lines = networks.map((net) => ({ color: groups.byNetwork ? color(net) : "#888",
        points: [...front].filter((p) => p.network === net)
          .map((p) => [shown(state.x, p.metrics[state.x]), shown(state.y, p.metrics[state.y])]).sort((a, b) => a[0] - b[0]) }))
        .filter((l) => l.points.length > 1);
      const redraw = (key) => (v) => { state[key] = v; drawPareto(); };
      fill(paretoBox,
        h("div", { class: "controls" }, select("x", metricOptions, state.x, redraw("x")),
          select("y", metricOptions, state.y, redraw("y")),
          select("colour by", ["network"].concat(axisNames).map((n) => ({ value: n, label: n })), state.colourBy,
            redraw("colourBy")),
          select("x scale", scaleOptions, state.xscale, redraw("xscale")),
          select("y scale", scaleOptions, state.yscale, redraw("yscale"))),
        scatter("pareto", marks, label(state.x), label(state.y), { lines, xscale: state.xscale, yscale: state.yscale }),
        groups.legend,
        h("p", { class: "note" }, "large marks: the front of these two metrics per network; faint: every other point; " +
          "click a point for its layers; auto scales turn logarithmic past 100x"));
    }
    root.append(section("Pareto front", paretoBox));
    drawPareto();

    // Heat map over array rows x columns, per network and a chosen value of every other axis.
    const heatBox = h("div", {});
    const otherAxes = S.axes.map((a, i) => ({ ...a, i })).filter((a) => !(a.section === "hardware" &&
      (a.name === "array_rows" || a.name === "array_cols")));
    for (const a of otherAxes) state.heatFixed[a.i] = JSON.stringify(a.values[0]);
    function drawHeat() {
      const pts = P.filter((p) => p.ok && p.network === state.heatNetwork &&
        otherAxes.every((a) => JSON.stringify(p.axes[a.i]) === state.heatFixed[a.i]));
      const rows = [...new Set(pts.map((p) => p.rows))].sort((a, b) => a - b);
      const cols = [...new Set(pts.map((p) => p.cols))].sort((a, b) => a - b);
      const key = state.heatMetric;
      const vals = pts.map((p) => shown(key, p.metrics[key]));
      const lo = Math.min(...vals), hi = Math.max(...vals);
      const cw = Math.min(90, (W - 120) / Math.max(1, cols.length)), ch = Math.min(50, 260 / Math.max(1, rows.length));
      const hgt = rows.length * ch + 70;
      const svg = s("svg", { class: "chart", id: "heatmap", viewBox: `0 0 ${W} ${hgt}`, width: W, height: hgt });
      cols.forEach((c, j) => svg.append(s("text", { x: 100 + j * cw + cw / 2, y: 20, "text-anchor": "middle" }, c)));
      rows.forEach((r, i) => svg.append(s("text", { x: 94, y: 30 + i * ch + ch / 2 + 4, "text-anchor": "end" }, r)));
      svg.append(s("text", { x: 100, y: hgt - 10, class: "label" }, "columns across, rows down; darker: " +
        (MAXIMIZE.has(key) ? "higher" : "lower") + " " + label(key)));
      for (const p of pts) {
        const i = rows.indexOf(p.rows), j = cols.indexOf(p.cols), v = shown(key, p.metrics[key]);
        let t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
        if (!MAXIMIZE.has(key)) t = 1 - t;
        svg.append(s("rect", { x: 100 + j * cw, y: 30 + i * ch, width: cw - 2, height: ch - 2, class: "cell",
          fill: `rgba(78,121,167,${(0.1 + 0.9 * t).toFixed(3)})`, onclick: () => selectPoint(p) },
        tip(`${p.rows} x ${p.cols}: ${label(key)} ${fmt(v)}`)),
        s("text", { x: 100 + j * cw + cw / 2, y: 30 + i * ch + ch / 2 + 4, "text-anchor": "middle", class: "cell-label" }, si(v)));
      }
      fill(heatBox, h("div", { class: "controls" },
        select("metric", ["cycles", "utilization", "energy_total_pj", "stall_cycles"].filter((k) => metricKeys.includes(k))
          .map((k) => ({ value: k, label: label(k) })), key, (v) => { state.heatMetric = v; drawHeat(); }),
        select("network", networks.map((n) => ({ value: n, label: n })), state.heatNetwork, (v) => { state.heatNetwork = v; drawHeat(); }),
        otherAxes.map((a) => select(a.name, a.values.map((v) => ({ value: JSON.stringify(v), label: valueLabel(v) })),
          state.heatFixed[a.i], (v) => { state.heatFixed[a.i] = v; drawHeat(); }))),
      pts.length ? svg : h("p", {}, "no ok point with these values"));
    }
    root.append(section("Array shape heat map", heatBox));
    drawHeat();

    // A metric against the values of one axis (every point at each value; each network's best joined).
    if (axisNames.length) {
      const axisBox = h("div", {});
      const drawAxis = () => fill(axisBox, h("div", { class: "controls" },
        select("axis", axisNames.map((n) => ({ value: n, label: n })), state.axis, (v) => { state.axis = v; drawAxis(); }),
        select("metric", metricOptions, state.axisMetric, (v) => { state.axisMetric = v; drawAxis(); }),
        select("y scale", scaleOptions, state.axisScale, (v) => { state.axisScale = v; drawAxis(); })),
      DseViews.metricAgainstAxis(S, P, state.axis, state.axisMetric, state.axisScale, (p) => selectPoint(p)),
      h("div", { class: "legend" }, networks.map((n) => h("span", {}, h("i", { style: `background:${color(n)}` }), n))));
      root.append(section("Metric against an axis", axisBox));
      drawAxis();
    }

    root.append(section("Selected point", selectedBox));
    const compareBox = h("div", { id: "compare" });
    root.append(section("Two points side by side", compareBox));
    const layersOf = (p) => (DATA.layers[String(p.index)] || []).map((row) => {
      const l = { name: row[0], kind: row[1] };
      DATA.layer_fields.forEach((f, k) => { l[f] = row[k + 2]; });
      return l;
    });
    function drawComparison() {
      const a = state.pinned, b = state.selected;
      fill(compareBox, a && b && a !== b ? DseViews.comparison(a, b, layersOf) : h("p", { class: "note" },
        a ? `A is ${a.id}: select another point (in a chart or the table) to compare it with A.` :
          "Pin the selected point as A (button above), then select another point to see both side by side."));
    }
    function selectPoint(p) {
      state.selected = p;
      const layers = layersOf(p);
      const soc = DATA.soc[String(p.index)];
      fill(selectedBox,
        h("p", {}, h("b", {}, p.network), " ", p.id, p.ok ? "" : " (failed: " + p.reason + ")", " ",
          h("button", { id: "pin", onclick: () => { state.pinned = p; drawComparison(); } }, "pin as A for comparison")),
        h("dl", { class: "summary" }, Object.entries(p.metrics).map(([k, v]) => [h("dt", {}, label(k)), h("dd", {}, fmt(shown(k, v)))])),
        DATA.silicon[String(p.index)] ? siliconView(DATA.silicon[String(p.index)]) : null,
        h("details", {}, h("summary", {}, "effective config (rerun it with dse run --config)"),
          h("pre", {}, JSON.stringify(p.config, null, 2))),
        layers.length ? layerViews(layers, p.config, soc) :
          h("p", { class: "note" }, p.ok ? "Per-layer stats of this large sweep are kept for the front, verified and " +
            "best-within-budget points; rerun this point with dse run for its own report." : ""));
      drawComparison();
    }
    state.pinned = byId.get(params.get("compare")) || null;
    const first = byId.get(params.get("point")) || P.find((p) => p.pareto) || P.find((p) => p.ok);
    if (first) selectPoint(first); else selectedBox.append(h("p", {}, "no point finished"));

    // Accuracy against compression and cycles, with the budgets of best_within_accuracy_drop.
    if (P.some((p) => p.ok && p.metrics.top1 !== undefined)) {
      const acc = P.filter((p) => p.ok && p.metrics.top1 !== undefined);
      const best = new Set();
      for (const b of DATA.best_within_accuracy_drop || [])
        for (const k of ["most_compressed", "fastest"]) if (b[k]) best.add(b[k].point_id);
      const hlines = (DATA.best_within_accuracy_drop || []).map((b) => ({ y: b.reference_top1 - b.max_accuracy_drop,
        label: `${b.network}: ${(100 * b.max_accuracy_drop).toFixed(1)} pt budget` }));
      const mk = (xk) => acc.filter((p) => Number.isFinite(p.metrics[xk])).map((p) => ({ id: p.id, x: p.metrics[xk],
        y: p.metrics.top1, cls: "pt" + (best.has(p.id) ? " front best" : ""), color: color(p.network),
        title: pointTitle(p, best.has(p.id) ? "best within an accuracy budget" : ""), onclick: () => selectPoint(p) }));
      root.append(section("Accuracy", h("div", { class: "grid2" },
        h("div", {}, h("h3", {}, "top-1 accuracy against weight compression"),
          scatter("accuracy-compression", mk("compression_vs_fp32"), "compression vs fp32", "top-1", { hlines })),
        h("div", {}, h("h3", {}, "top-1 accuracy against cycles"),
          scatter("accuracy-cycles", mk("cycles"), "cycles", "top-1", { hlines }))),
        h("p", { class: "note" }, "dashed lines: each budget of best_within_accuracy_drop below the reference accuracy; " +
          "large marks: the most compressed and the fastest point within a budget")));
    }

    // Search: the front's hypervolume as the search went (a grid has no search to follow).
    const strategy = (DATA.search && DATA.search.strategy) || "grid";
    const hv = (strategy !== "grid" && DATA.search.hypervolume) || [];
    if (hv.length) {
      const series = hv.map((v) => ({ name: v.network,
        points: (v.generations || []).map((e) => [e.evaluated, e.hypervolume]) })).filter((sr) => sr.points.length);
      if (series.length)
        root.append(section("Search: hypervolume per " + (DATA.search.strategy === "nsga2" ? "generation" : "population"),
          lineChart("hypervolume", series, "points evaluated", "normalised hypervolume")));
    }

    // Every point: a sortable, filterable table; failed points with their reasons.
    const columns = [{ key: "network", label: "network" }].concat(
      S.axes.map((a, i) => ({ key: "axis" + i, label: a.name, doc: docOf(a.name) })),
      [{ key: "status", label: "status" }, { key: "pareto", label: "pareto" }],
      metricKeys.map((k) => ({ key: k, label: label(k), num: true, doc: docOf(k) })),
      [{ key: "id", label: "point id" }]);
    const rows = P.map((p) => {
      const r = { id: p.id, network: p.network, pareto: p.pareto ? "yes" : "", _p: p,
        status: !p.ok ? "failed" : !p.constraints_ok ? "violates constraint" : p.verified ? (p.golden_match ? "verified" : "differs from golden") : "ok",
        _cls: p.pareto ? "front" : (p.ok ? "" : "failed") };
      p.axes.forEach((v, i) => { r["axis" + i] = valueLabel(v); });
      if (p.ok) for (const k of metricKeys) r[k] = shown(k, p.metrics[k]);  // a failed point has no stats
      return r;
    });
    root.append(section("All points", dataTable("points-table", columns, rows, (r) => {
      selectPoint(r._p); selectedBox.scrollIntoView();
    })));
    const failed = P.filter((p) => !p.ok);
    root.append(section(`Failed points (${failed.length})`, failed.length ?
      h("ul", { id: "failed" }, failed.map((p) => h("li", {}, h("code", {}, p.network + " " + p.axes.map(valueLabel).join(" ")),
        ": ", p.reason))) : h("p", {}, "none")));
  }

  // ---- the point page ----
  function pointPage() {
    const r = DATA.result, t = r.total;
    root.append(h("h1", {}, "DeepChip DSE point: " + DATA.title));
    const acc = r.accuracy;
    root.append(section("Summary", h("dl", { class: "summary" }, [
      ["status", r.ok ? (r.verified ? (r.golden_match ? "ok, bit-exact with golden" : "ok, DIFFERS from golden") : "ok (timing level, not executed)") : "not ok: " + r.reason],
      ["cycles", fmt(t.cycles)], ["seconds", fmt(r.seconds)], ["utilization", fmt(t.utilization)],
      ["energy (uJ)", fmt(t.energy_total_pj / 1e6)], ["weight storage (bits)", fmt(t.weight_bits_stored)],
      ["compression vs fp32", fmt(t.compression_vs_fp32)],
      ["top-1 accuracy", acc ? `${fmt(acc.top1)} on ${acc.images} ${acc.dataset} images (float ${fmt(acc.float_top1)})` : "no dataset"],
      ["revision", r.git_revision || ""]].map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))));
    if (r.silicon) root.append(section("Area and power", siliconView(r.silicon)));
    if (r.decoding) root.append(section("Decoding", decodingView(r.decoding)));
    if (r.layers && r.layers.length) root.append(section("Layers", layerViews(r.layers, DATA.config, r.soc)));
    if (DATA.timeline) root.append(section("Timeline", timelineView(DATA.timeline)));
    if (r.layers && r.layers.length) root.append(section("Per-layer table", layerTable(r.layers)));
    root.append(section("Effective config", h("pre", {}, JSON.stringify(DATA.config, null, 2))));
  }

  // A decoding (sim/README.md "Generative decoding"): its phases in figures, then each decode step's cycles beside
  // its memory bound and its DRAM traffic by operand (the layers view below sums the steps per layer).
  function decodingView(d) {
    const steps = d.steps.cycles.map((_, i) => i);
    const series = (key, name) => ({ name, points: steps.map((i) => [i, d.steps[key][i]]) });
    const facts = [
      ["prompt x batch", `${d.prompt_tokens} x ${d.batch}`], ["decode steps", String(d.decode_tokens)],
      ["prefill cycles", fmt(d.prefill_cycles)], ["time to first token (s)", fmt(d.time_to_first_token_s)],
      ["cycles per decode step", fmt(d.decode_cycles_per_step)], ["decode tokens/s", fmt(d.decode_tokens_per_s)],
      ["energy per token (uJ)", fmt(d.decode_energy_per_token_pj / 1e6)],
      ["steps / memory bound (closest)", fmt(d.decode_bound_ratio_min)]];
    const charts = steps.length ? [
      lineChart("decode-cycles", [series("cycles", "step cycles"), series("memory_bound_cycles", "memory bound"),
        series("stall_cycles", "stall cycles")], "decode step", "cycles"),
      lineChart("decode-bytes", [series("dram_weight_read_bytes", "weights"),
        series("dram_kv_read_bytes", "KV cache read"), series("dram_other_bytes", "other")], "decode step",
        "DRAM bytes")] : [];
    return [h("dl", { class: "summary" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])), ...charts];
  }

  // The compact timeline: per track its busy fraction in equal time bins, the layers above (the trace's own
  // "layers" track is that row), and a legend of the layers' colours.
  function timelineView(full) {
    const tl = { ...full, tracks: full.tracks.filter((t) => t.name !== "layers") };
    const left = 170, width = W + 260 - left - 10, rowH = 18;
    const hgt = (tl.tracks.length + 1) * rowH + 40, total = W + 260;
    const svg = s("svg", { class: "chart", id: "timeline", viewBox: `0 0 ${total} ${hgt}`, width: total, height: hgt });
    const x = (c) => left + c / Math.max(1, tl.end_cycle) * width;
    tl.layers.forEach((l, i) => svg.append(s("rect", { x: x(l[1]), y: 4, width: Math.max(0.5, x(l[2]) - x(l[1])), height: rowH - 4,
      class: "layer", fill: PALETTE[i % PALETTE.length] }, tip(`${l[0]}: cycles ${fmt(l[1])} to ${fmt(l[2])}`))));
    svg.append(s("text", { x: left - 6, y: rowH - 2, "text-anchor": "end" }, "layers"));
    const bw = width / tl.bins;
    tl.tracks.forEach((tr, k) => {
      const y = (k + 1) * rowH + 4;
      svg.append(s("text", { x: left - 6, y: y + rowH - 6, "text-anchor": "end" }, tr.name,
        tip(`${tr.slices} slices, busy ${fmt(tr.busy_cycles)} cycles`)));
      svg.append(s("rect", { x: left, y, width, height: rowH - 4, class: "lane" }));
      tr.busy.forEach((f, b) => {
        if (f > 0) svg.append(s("rect", { x: left + b * bw, y, width: Math.max(0.5, bw), height: rowH - 4, class: "busy",
          "fill-opacity": (0.15 + 0.85 * f).toFixed(3) }, tip(`${tr.name}: ${(100 * f).toFixed(0)}% busy`)));
      });
    });
    svg.append(s("text", { x: left, y: hgt - 8, class: "label" },
      `0 to ${fmt(tl.end_cycle)} cycles (${fmt(tl.end_cycle / tl.clock_hz * 1e3)} ms); darker: busier` +
      (tl.truncated ? "; the slices stop where the timeline's slice limit was reached" : "")));
    const legend = h("div", { class: "legend", id: "timeline-legend" }, tl.layers.length <= 60 ?
      tl.layers.map((l, i) => h("span", {}, h("i", { style: `background:${PALETTE[i % PALETTE.length]}` }), l[0])) :
      h("span", {}, `${tl.layers.length} layers in ten colours, in order; hover a span for its name`));
    return [svg, legend, h("p", { class: "note" }, "The full trace (one slice per fold and transfer) is the file dse run " +
      "--timeline FILE.json writes: open it in ui.perfetto.dev (Open trace file) or chrome://tracing.")];
  }

  try {
    if (DATA.kind === "sweep") sweepPage(); else pointPage();
  } catch (e) {
    errors.push(String(e && e.stack || e));
    root.append(h("pre", { class: "error" }, "report error: " + e));
  }
  document.body.setAttribute("data-rendered", errors.length ? "error" : "ok");
  document.body.setAttribute("data-render-ms", performance.now().toFixed(1));
})();
