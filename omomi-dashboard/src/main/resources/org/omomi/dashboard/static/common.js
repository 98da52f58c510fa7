// omomi dashboard: helpers shared by the pages. No framework; every element is built with el(),
// which sets text, never HTML, so nothing a run folder holds can become markup.
"use strict";

const omomi = (window.omomi = window.omomi || { charts: {}, errors: [] });
window.addEventListener("error", (e) => omomi.errors.push(String(e.message)));

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return e;
}

async function api(path, options) {
  const r = await fetch(path, options);
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    throw new Error(path + ": " + r.status + " (not JSON)");
  }
  if (!r.ok) throw new Error(body && body.error ? body.error : path + ": " + r.status);
  return body;
}

function fmt(v, digits) {
  if (v === null || v === undefined || (typeof v === "number" && !isFinite(v))) return "–";
  if (typeof v !== "number") return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString("en-US");
  const a = Math.abs(v);
  if (a >= 1000) return v.toLocaleString("en-US", { maximumFractionDigits: 0 });
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return v.toPrecision(digits || 4).replace(/\.?0+$/, "");
}

function percent(v) {
  return v === null || v === undefined ? "–" : (100 * v).toFixed(1) + "%";
}

function when(ms) {
  if (!ms) return "–";
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function message(container, text, kind) {
  container.replaceChildren(el("p", { class: "note " + (kind || ""), text }));
}

/** The width a chart gets inside its container. */
function widthOf(container) {
  return Math.max(280, Math.min(container.clientWidth || 600, 1100) - 8);
}

/**
 * A uPlot line chart registered as omomi.charts[name]. series: [{label, values, color, dash, points}];
 * x: the shared x values. opts: {title, xLabel, yLabel, log, height, bands, spanGaps}.
 */
function lineChart(container, name, x, series, opts) {
  opts = opts || {};
  const s = [{ label: opts.xLabel || "x" }];
  series.forEach((d, i) => {
    s.push({
      label: d.label,
      stroke: d.color || PALETTE[i % PALETTE.length],
      width: d.width || 1.6,
      dash: d.dash,
      fill: d.fill,
      spanGaps: opts.spanGaps !== false,
      points: { show: d.points !== undefined ? d.points : x.length < 40, size: 5 },
      value: (u, v) => fmt(v),
    });
  });
  const data = [x.slice(), ...series.map((d) => d.values.map((v) => (v === undefined || (opts.log && !(v > 0)) ? null : v)))];
  const config = {
    title: opts.title,
    width: widthOf(container),
    height: opts.height || 240,
    series: s,
    bands: opts.bands,
    scales: { x: { time: false }, y: opts.log ? { distr: 3 } : opts.yRange ? { range: opts.yRange } : {} },
    axes: [Object.assign({ label: opts.xLabel, size: 40 }, opts.xLabel === "epoch" ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : {}),
      { label: opts.yLabel, size: 60, values: (u, vals) => vals.map((v) => fmt(v, 3)) }],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
  };
  const old = omomi.charts[name];
  if (old && old.root && old.root.parentNode === container && old.series.length === s.length) {
    old.setData(data); // same series: keep the user's zoom and the element
    return old;
  }
  if (old && old.destroy) old.destroy();
  container.replaceChildren();
  const u = new uPlot(config, data, container);
  u.root.setAttribute("data-chart", name);
  omomi.charts[name] = u;
  return u;
}

/** Bars of a histogram (bin centres x, counts y) as a uPlot chart. */
function histogramChart(container, name, lo, hi, counts, opts) {
  const n = counts.length;
  const width = n > 0 ? (hi - lo) / n : 1;
  const x = counts.map((_, i) => lo + width * (i + 0.5));
  const bars = uPlot.paths.bars({ size: [0.95, Infinity], align: 0 });
  const config = {
    title: opts.title,
    width: widthOf(container),
    height: opts.height || 220,
    series: [{ label: "weight" }, { label: "count", stroke: "#1f77b4", fill: "rgba(31,119,180,0.45)", paths: bars, points: { show: false }, value: (u, v) => fmt(v) }],
    scales: { x: { time: false, range: [lo - width, hi + width] }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.05] } },
    axes: [{ label: opts.xLabel || "value", size: 40, values: (u, vals) => vals.map((v) => fmt(v, 2)) }, { label: "count", size: 60 }],
    legend: { live: true },
  };
  const old = omomi.charts[name];
  if (old && old.destroy) old.destroy();
  container.replaceChildren();
  const u = new uPlot(config, [x, counts.slice()], container);
  u.root.setAttribute("data-chart", name);
  omomi.charts[name] = u;
  return u;
}

/** Horizontal bars drawn on a canvas, registered as omomi.charts[name] = {canvas, values}. */
function barChart(container, name, labels, values, opts) {
  opts = opts || {};
  const rowH = 20;
  const labelW = Math.min(220, 12 + 7 * Math.max(4, ...labels.map((l) => String(l).length)));
  const width = widthOf(container);
  const height = Math.max(40, rowH * labels.length + 30);
  const ratio = window.devicePixelRatio || 1;
  const c = el("canvas", { class: "bars", "data-chart": name });
  c.width = width * ratio;
  c.height = height * ratio;
  c.style.width = width + "px";
  c.style.height = height + "px";
  const g = c.getContext("2d");
  g.scale(ratio, ratio);
  g.font = "12px sans-serif";
  const finite = values.filter((v) => v !== null && isFinite(v));
  const signed = finite.some((v) => v < 0);
  const top = Math.max(1e-12, ...finite.map((v) => Math.abs(v)));
  const plotW = width - labelW - 70;
  const zero = labelW + (signed ? plotW / 2 : 0);
  const scale = (signed ? plotW / 2 : plotW) / top;
  labels.forEach((label, i) => {
    const y = 10 + i * rowH;
    const v = values[i];
    g.fillStyle = "#333";
    g.textAlign = "right";
    g.textBaseline = "middle";
    g.fillText(String(label).slice(0, 32), labelW - 8, y + rowH / 2 - 2);
    if (v === null || !isFinite(v)) return;
    const w = v * scale;
    g.fillStyle = opts.highlight === i ? "#d62728" : signed ? (v >= 0 ? "#d62728" : "#1f77b4") : "#1f77b4";
    g.fillRect(w >= 0 ? zero : zero + w, y + 3, Math.max(1, Math.abs(w)), rowH - 8);
    g.fillStyle = "#333";
    g.textAlign = "left";
    g.fillText(fmt(v, 3), (w >= 0 ? zero + w : zero) + 4, y + rowH / 2 - 2);
  });
  g.strokeStyle = "#999";
  g.beginPath();
  g.moveTo(zero + 0.5, 6);
  g.lineTo(zero + 0.5, height - 16);
  g.stroke();
  if (opts.valueLabel) {
    g.fillStyle = "#555";
    g.textAlign = "center";
    g.fillText(opts.valueLabel, labelW + plotW / 2, height - 8);
  }
  container.replaceChildren(c);
  omomi.charts[name] = { canvas: c, values: values.slice() };
  return c;
}

/** A scatter plot on a canvas: one colour per group. */
function pointChart(container, name, xs, ys, groups, opts) {
  opts = opts || {};
  const width = widthOf(container);
  const height = 320;
  const ratio = window.devicePixelRatio || 1;
  const c = el("canvas", { class: "points", "data-chart": name });
  c.width = width * ratio;
  c.height = height * ratio;
  c.style.width = width + "px";
  c.style.height = height + "px";
  const g = c.getContext("2d");
  g.scale(ratio, ratio);
  const pad = 40;
  const fx = xs.filter(isFinite);
  const fy = ys.filter(isFinite);
  const [x0, x1] = [Math.min(...fx), Math.max(...fx)];
  const [y0, y1] = [Math.min(...fy), Math.max(...fy)];
  const sx = (v) => pad + ((v - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
  const sy = (v) => height - pad - ((v - y0) / (y1 - y0 || 1)) * (height - 2 * pad);
  const names = [...new Set(groups)];
  g.strokeStyle = "#999";
  g.strokeRect(pad, pad / 2, width - 2 * pad, height - 1.5 * pad);
  xs.forEach((x, i) => {
    if (!isFinite(x) || !isFinite(ys[i])) return;
    g.fillStyle = PALETTE[Math.max(0, names.indexOf(groups[i])) % PALETTE.length];
    g.beginPath();
    g.arc(sx(x), sy(ys[i]), 3, 0, 2 * Math.PI);
    g.fill();
  });
  g.fillStyle = "#333";
  g.font = "12px sans-serif";
  g.textAlign = "center";
  if (opts.xLabel) g.fillText(opts.xLabel, width / 2, height - 6);
  if (opts.yLabel) {
    g.save();
    g.translate(12, height / 2);
    g.rotate(-Math.PI / 2);
    g.fillText(opts.yLabel, 0, 0);
    g.restore();
  }
  names.forEach((n, i) => {
    g.fillStyle = PALETTE[i % PALETTE.length];
    g.fillRect(width - pad - 90, pad / 2 + 8 + 16 * i, 10, 10);
    g.fillStyle = "#333";
    g.textAlign = "left";
    g.fillText(String(n).slice(0, 14), width - pad - 76, pad / 2 + 17 + 16 * i);
  });
  container.replaceChildren(c);
  omomi.charts[name] = { canvas: c, values: xs.slice() };
  return c;
}
