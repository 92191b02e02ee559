// The report's drawing kit, used by report.js (inlined before it): DOM and SVG helpers, number formats,
// scales, and the chart kinds (scatter, stacked bars, lines), tables and selectors. Hand-written SVG, no
// library. Every chart is an <svg class="chart" id="..."> whose marks have a class per kind.
"use strict";
const DseCharts = (function () {
  const SVGNS = "http://www.w3.org/2000/svg";

  // ---- DOM helpers ----
  function h(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
    }
    for (const k of kids.flat(Infinity)) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  function s(tag, attrs, ...kids) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null) e.setAttribute(k, v);
    }
    for (const k of kids.flat(Infinity)) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  function tip(text) { return s("title", {}, text); }
  // Replaces an element's content (nested arrays of nodes flattened, as h() does).
  function fill(e, ...kids) { e.replaceChildren(...kids.flat(Infinity).filter((k) => k !== null && k !== undefined)); }

  // ---- numbers ----
  function fmt(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return "";
    if (typeof v !== "number") return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(3);
    if (Number.isInteger(v)) return v.toLocaleString("en-US");
    return v.toPrecision(4);
  }
  function si(v) {
    const a = Math.abs(v);
    for (const [d, u] of [[1e15, "P"], [1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]])
      if (a >= d) return +(v / d).toPrecision(3) + u;
    return +v.toPrecision(3) + "";
  }
  const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac"];

  // A scale over [lo, hi]. mode "linear" (or true), "log" (when every value is positive; linear otherwise),
  // or "auto": log when every value is positive and they span over two decades.
  function makeScale(values, r0, r1, mode) {
    const v = values.filter((x) => Number.isFinite(x));
    let lo = Math.min(...v), hi = Math.max(...v);
    if (!v.length) { lo = 0; hi = 1; }
    const linear = mode === true || mode === "linear";
    const log = !linear && lo > 0 && (mode === "log" || hi / lo > 100);
    if (lo === hi) { const d = lo === 0 ? 1 : Math.abs(lo) * 0.1; lo -= d; hi += d; }
    if (log) {
      const l0 = Math.log10(lo), l1 = Math.log10(hi), pad = (l1 - l0) * 0.05;
      const a = l0 - pad, b = l1 + pad;
      const f = (x) => r0 + (Math.log10(x) - a) / (b - a) * (r1 - r0);
      const ticks = [];
      for (let e = Math.floor(a); e <= Math.ceil(b); e++) if (e >= a && e <= b) ticks.push(Math.pow(10, e));
      if (ticks.length < 2) ticks.push(lo, hi);
      f.ticks = ticks; f.log = true;
      return f;
    }
    const pad = (hi - lo) * 0.05;
    const a = lo - pad, b = hi + pad;
    const f = (x) => r0 + (x - a) / (b - a) * (r1 - r0);
    const step = Math.pow(10, Math.floor(Math.log10((b - a) / 5)));
    const mult = [1, 2, 5, 10].find((m) => (b - a) / (step * m) <= 6) || 10;
    const ticks = [];
    for (let t = Math.ceil(a / (step * mult)) * step * mult; t <= b; t += step * mult) ticks.push(+t.toPrecision(12));
    f.ticks = ticks; f.log = false;
    return f;
  }

  // Named positions (an axis's values) spread evenly over [r0, r1]; ticks are their indices.
  function categoryScale(names, r0, r1) {
    const step = (r1 - r0) / Math.max(1, names.length);
    const f = (i) => r0 + (i + 0.5) * step;
    f.ticks = names.map((_, i) => i); f.labels = names; f.log = false;
    return f;
  }

  // ---- charts ----
  const W = 640, H = 360, M = { l: 70, r: 16, t: 16, b: 46 };

  function frame(id, xs, ys, xLabel, yLabel) {
    const svg = s("svg", { class: "chart", id, viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img" });
    const g = s("g", { class: "axes" });
    for (const t of xs.ticks) {
      const x = xs(t);
      g.append(s("line", { x1: x, x2: x, y1: M.t, y2: H - M.b, class: "grid" }),
        s("text", { x, y: H - M.b + 16, "text-anchor": "middle" }, xs.labels ? xs.labels[t] : si(t)));
    }
    for (const t of ys.ticks) {
      const y = ys(t);
      g.append(s("line", { x1: M.l, x2: W - M.r, y1: y, y2: y, class: "grid" }),
        s("text", { x: M.l - 6, y: y + 4, "text-anchor": "end" }, si(t)));
    }
    g.append(s("text", { x: (M.l + W - M.r) / 2, y: H - 8, "text-anchor": "middle", class: "label" },
      xLabel + (xs.log ? " (log)" : "")));
    g.append(s("text", { x: 14, y: (M.t + H - M.b) / 2, "text-anchor": "middle", class: "label",
      transform: `rotate(-90 14 ${(M.t + H - M.b) / 2})` }, yLabel + (ys.log ? " (log)" : "")));
    svg.append(g);
    return svg;
  }

  // points: [{x, y, cls, title, color, group, onclick}]; opts: lines [{points: [[x, y]], color}], hlines
  // [{y, label}], xscale and yscale (makeScale's modes), xCategories (x is an index into these names).
  function scatter(id, points, xLabel, yLabel, opts) {
    opts = opts || {};
    const hv = (opts.hlines || []).map((l) => l.y);
    const lineValues = (k) => (opts.lines || []).flatMap((l) => l.points.map((p) => p[k]));
    const xs = opts.xCategories ? categoryScale(opts.xCategories, M.l, W - M.r)
      : makeScale(points.map((p) => p.x).concat(lineValues(0)), M.l, W - M.r, opts.xscale);
    const ys = makeScale(points.map((p) => p.y).concat(hv, lineValues(1)), H - M.b, M.t, opts.yscale);
    const svg = frame(id, xs, ys, xLabel, yLabel);
    (opts.hlines || []).forEach((l, i) => {
      const y = ys(l.y);  // labels staggered: budgets of several networks lie close together
      svg.append(s("line", { x1: M.l, x2: W - M.r, y1: y, y2: y, class: "budget" }, tip(l.label)),
        s("text", { x: W - M.r - 4 - (i % 3) * 180, y: y - 4, "text-anchor": "end", class: "budget-label" }, l.label));
    });
    for (const line of opts.lines || []) {
      const d = line.points.map((p, i) => (i ? "L" : "M") + xs(p[0]).toFixed(1) + " " + ys(p[1]).toFixed(1)).join("");
      svg.append(s("path", { d, class: "front-line", stroke: line.color }));
    }
    const marks = s("g", { class: "marks" });
    // Faint points first, highlighted ones on top.
    const sorted = points.slice().sort((a, b) => (a.cls.includes("front") ? 1 : 0) - (b.cls.includes("front") ? 1 : 0));
    for (const p of sorted) {
      const c = s("circle", { cx: xs(p.x).toFixed(1), cy: ys(p.y).toFixed(1), r: p.cls.includes("front") ? 5 : 3.5,
        class: p.cls, fill: p.color, "data-id": p.id || "", "data-group": p.group ?? "" }, tip(p.title));
      if (p.onclick) c.addEventListener("click", p.onclick);
      marks.append(c);
    }
    svg.append(marks);
    return svg;
  }

  // categories: names along x; series: [{name, values}] stacked.
  function stackedBars(id, categories, series, yLabel) {
    const totals = categories.map((_, i) => series.reduce((a, sr) => a + Math.max(0, sr.values[i] || 0), 0));
    const ys = makeScale([0].concat(totals), H - M.b, M.t, true);
    // Room below the plot for the longest label at 45 degrees (9 px text, about 5.6 px a character), so
    // that ResNet-50's "layer4.2.conv3" is not cut by the chart's edge; the plot keeps its height.
    const label = (cat) => (cat.length > 16 ? "…" + cat.slice(-15) : cat);
    const longest = Math.max(0, ...categories.map((c) => label(c).length));
    const height = H - M.b + Math.max(M.b, 18 + Math.ceil(0.71 * 5.6 * longest));
    const svg = s("svg", { class: "chart", id, viewBox: `0 0 ${W} ${height}`, width: W, height, role: "img" });
    const g = s("g", { class: "axes" });
    for (const t of ys.ticks) {
      if (t < 0) continue;
      const y = ys(t);
      g.append(s("line", { x1: M.l, x2: W - M.r, y1: y, y2: y, class: "grid" }),
        s("text", { x: M.l - 6, y: y + 4, "text-anchor": "end" }, si(t)));
    }
    g.append(s("text", { x: 14, y: (M.t + H - M.b) / 2, "text-anchor": "middle", class: "label",
      transform: `rotate(-90 14 ${(M.t + H - M.b) / 2})` }, yLabel));
    svg.append(g);
    const n = Math.max(1, categories.length);
    const bw = (W - M.l - M.r) / n;
    const marks = s("g", { class: "marks" });
    categories.forEach((cat, i) => {
      let acc = 0;
      const x = M.l + i * bw + bw * 0.1;
      series.forEach((sr, k) => {
        const v = Math.max(0, sr.values[i] || 0);
        if (v <= 0) return;
        const y0 = ys(acc), y1 = ys(acc + v);
        acc += v;
        marks.append(s("rect", { x: x.toFixed(1), y: y1.toFixed(1), width: (bw * 0.8).toFixed(1),
          height: Math.max(0.5, y0 - y1).toFixed(1), class: "seg", fill: PALETTE[k % PALETTE.length] },
        tip(`${cat}: ${sr.name} ${fmt(v)}`)));
      });
      // A label every 11 px at least (ResNet-50 has 70-odd layers), cut to 16 characters (the bar's
      // tooltip has the whole name).
      if (i % Math.ceil(11 / bw) === 0)
        marks.append(s("text", { x: x + bw * 0.4, y: H - M.b + 12, class: "cat", "text-anchor": "end",
          transform: `rotate(-45 ${x + bw * 0.4} ${H - M.b + 12})` }, label(cat), tip(cat)));
    });
    svg.append(marks);
    const legend = h("div", { class: "legend" }, series.map((sr, k) =>
      h("span", {}, h("i", { style: `background:${PALETTE[k % PALETTE.length]}` }), sr.name)));
    return h("div", { class: "chart-box" }, svg, legend);
  }

  function lineChart(id, series, xLabel, yLabel) {
    const all = series.flatMap((sr) => sr.points);
    const xs = makeScale(all.map((p) => p[0]), M.l, W - M.r, true);
    const ys = makeScale(all.map((p) => p[1]), H - M.b, M.t, true);
    const svg = frame(id, xs, ys, xLabel, yLabel);
    const marks = s("g", { class: "marks" });
    series.forEach((sr, k) => {
      const color = PALETTE[k % PALETTE.length];
      const d = sr.points.map((p, i) => (i ? "L" : "M") + xs(p[0]).toFixed(1) + " " + ys(p[1]).toFixed(1)).join("");
      marks.append(s("path", { d, class: "series", stroke: color }));
      for (const p of sr.points)
        marks.append(s("circle", { cx: xs(p[0]), cy: ys(p[1]), r: 3, class: "pt", fill: color },
          tip(`${sr.name}: ${p[0]} -> ${fmt(p[1])}`)));
    });
    svg.append(marks);
    const legend = h("div", { class: "legend" }, series.map((sr, k) =>
      h("span", {}, h("i", { style: `background:${PALETTE[k % PALETTE.length]}` }), sr.name)));
    return h("div", { class: "chart-box" }, svg, legend);
  }

  // A sortable, filterable table. columns: [{key, label, num, doc}] (doc: the header's tooltip); rows:
  // objects; onclick(row).
  function dataTable(id, columns, rows, onclick) {
    let sortKey = null, dir = 1;
    const tbody = h("tbody");
    const filter = h("input", { type: "search", placeholder: "filter rows (text in any cell)", class: "filter" });
    const count = h("span", { class: "count" });
    function render() {
      const q = filter.value.trim().toLowerCase();
      let shown = rows.filter((r) => !q || columns.some((c) => String(r[c.key] ?? "").toLowerCase().includes(q)));
      if (sortKey) {
        const col = columns.find((c) => c.key === sortKey);
        shown = shown.slice().sort((a, b) => {
          const x = a[sortKey], y = b[sortKey];
          if (col.num) return ((x ?? -Infinity) - (y ?? -Infinity)) * dir;
          return String(x ?? "").localeCompare(String(y ?? "")) * dir;
        });
      }
      tbody.replaceChildren(...shown.map((r) => {
        const tr = h("tr", { class: r._cls || "" }, columns.map((c) => h("td", { class: c.num ? "num" : "" },
          c.num ? fmt(r[c.key]) : String(r[c.key] ?? ""))));
        if (onclick) tr.addEventListener("click", () => onclick(r));
        return tr;
      }));
      count.textContent = `${shown.length} of ${rows.length} rows`;
    }
    const head = h("tr", {}, columns.map((c) => h("th", { title: c.doc, onclick: () => {
      dir = sortKey === c.key ? -dir : 1; sortKey = c.key; render();
    } }, c.label)));
    filter.addEventListener("input", render);
    render();
    return h("div", { class: "table-box" }, h("div", {}, filter, " ", count),
      h("table", { id, class: "data" }, h("thead", {}, head), tbody));
  }

  function select(label, options, value, onchange) {
    const sel = h("select", { onchange: (e) => onchange(e.target.value) },
      options.map((o) => h("option", { value: o.value, selected: String(o.value) === String(value) }, o.label)));
    return h("label", { class: "control" }, label + " ", sel);
  }
  function section(title, ...kids) { return h("section", {}, h("h2", {}, title), ...kids); }

  return {h, s, tip, fill, fmt, si, PALETTE, makeScale, W, frame, scatter, stackedBars, lineChart, dataTable, select, section};
})();
