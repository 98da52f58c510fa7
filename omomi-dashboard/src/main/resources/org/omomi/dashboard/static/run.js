// One run's page: live curves (server-sent events), weights across epochs, the network, filters,
// the explanation viewer, the application views and the prediction API.
"use strict";

const runName = decodeURIComponent(location.pathname.split("/")[2] || "");
const base = "/api/runs/" + encodeURIComponent(runName);
const state = { desc: null, epochs: [], steps: [], maxEpoch: 0, maxStep: -1, loaded: false, queued: [], drawTimer: null, weightsShown: false };
const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ the run log

function ingest(e) {
  if (e.kind === "epoch") {
    if (e.epoch <= state.maxEpoch) return false;
    state.epochs.push(e);
    state.maxEpoch = e.epoch;
    state.maxStep = Math.max(state.maxStep, e.step);
    return true;
  }
  if (e.kind === "step") {
    if (e.step <= state.maxStep) return false;
    state.steps.push(e);
    state.maxStep = e.step;
    return true;
  }
  return false;
}

async function loadHistory() {
  const h = await api(base + "/history");
  state.epochs = [];
  state.steps = [];
  state.maxEpoch = 0;
  state.maxStep = -1;
  h.entries.forEach(ingest);
  state.loaded = true;
  state.queued.splice(0).forEach(ingest);
  status(h.status);
  drawAll();
}

function listen() {
  const source = new EventSource(base + "/events");
  let opened = false;
  source.addEventListener("open", () => {
    if (opened) loadHistory().catch(() => {}); // reconnected: what was missed is in the file
    opened = true;
  });
  source.addEventListener("entry", (m) => {
    const e = JSON.parse(m.data);
    if (!state.loaded) {
      state.queued.push(e);
    } else if (ingest(e)) {
      scheduleDraw();
    }
  });
  source.addEventListener("reset", () => loadHistory().catch(() => {}));
  source.addEventListener("status", async (m) => {
    status(JSON.parse(m.data).status);
    try {
      state.desc = await api(base); // the run started, ended or changed its files: what it is may have changed too
    } catch (e) {
      return; // the server is going away; the stream reconnects when it is back
    }
    summary();
    apiSection();
    if (state.desc.status !== "training") weightsSections();
  });
}

function scheduleDraw() {
  if (state.drawTimer) return;
  state.drawTimer = setTimeout(() => {
    state.drawTimer = null;
    drawAll();
  }, 200);
}

function status(s) {
  const b = $("status");
  if (b) {
    b.textContent = s;
    b.className = "status " + String(s).replace(/\s+/g, "-");
  }
}

// ------------------------------------------------------------------ header

function summary() {
  const d = state.desc;
  document.title = d.name + " – omomi dashboard";
  $("title").replaceChildren(document.createTextNode(d.name + " "), el("span", { id: "status", class: "status", text: d.status }));
  status(d.status);
  const facts = [["model", d.model], ["data", d.data], ["head", d.head ? d.head.kind + ", " + d.head.outputs + " output" + (d.head.outputs === 1 ? "" : "s") : null],
    ["inputs", d.inputs && d.inputs.count !== undefined ? d.inputs.count + " fields" : null], ["kind", d.kind]];
  // An application folder finished without metrics.json (a segmentation: summary.json) shows the numbers the list shows.
  const m = Object.keys(d.metrics_file || {}).length || d.status !== "finished" ? d.metrics_file || {} : d.metrics || {};
  const shown = Object.entries(m).filter(([k, v]) => typeof v === "number" || typeof v === "boolean" || (typeof v === "string" && k !== "format"));
  $("summary").replaceChildren(
    el("dl", { class: "facts" }, facts.filter(([, v]) => v).map(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])),
    shown.length ? el("div", { class: "metrics" }, shown.map(([k, v]) =>
      el("div", { class: "metric" }, el("span", { class: "key", text: k.replace(/_/g, " ") }),
        el("span", { class: "value", text: typeof v === "number" && /accuracy|auc|precision|recall|f1/.test(k) ? percent(v) : fmt(v) }))))
      : el("p", { class: "note", text: "No metrics.json yet: " + (d.status === "training" ? "training is in progress." : "the run has not finished.") }));
}

// ------------------------------------------------------------------ curves

function drawAll() {
  drawLoss();
  drawMetric();
  drawWeights();
}

function drawLoss() {
  const box = $("loss-chart");
  if (!state.steps.length && !state.epochs.length) {
    message(box, "No run log yet: the first points appear when training reports its first steps.");
    return;
  }
  const xs = [...new Set([...state.steps.map((s) => s.step), ...state.epochs.map((e) => e.step)])].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const batch = xs.map(() => null);
  const train = xs.map(() => null);
  const val = xs.map(() => null);
  state.steps.forEach((s) => (batch[at.get(s.step)] = s.loss));
  state.epochs.forEach((e) => {
    train[at.get(e.step)] = e.train ? e.train.loss : null;
    val[at.get(e.step)] = e.val ? e.val.loss : null;
  });
  const series = [];
  if (state.steps.length) series.push({ label: "batch loss", values: batch, color: "#9bbbd9", width: 1, points: false });
  series.push({ label: "train loss (epoch)", values: train, color: "#1f77b4", width: 2.2, points: true });
  if (val.some((v) => v !== null)) series.push({ label: "validation loss", values: val, color: "#d62728", width: 2.2, points: true });
  lineChart(box, "loss", xs, series, { title: "Loss", xLabel: "step", yLabel: "loss" });
}

function metricNames() {
  const names = new Set();
  state.epochs.forEach((e) => ["train", "val"].forEach((s) => Object.keys(e[s] || {}).forEach((k) => k !== "loss" && names.add(k))));
  return [...names];
}

function drawMetric() {
  const select = $("metric");
  const names = metricNames();
  const box = $("metric-chart");
  if (!names.length) {
    select.replaceChildren();
    message(box, "No metrics beside the loss yet.");
    return;
  }
  const current = select.value || (names.includes("accuracy") ? "accuracy" : names[0]);
  if ([...select.options].map((o) => o.value).join() !== names.join()) {
    select.replaceChildren(...names.map((n) => el("option", { value: n, text: n.replace(/_/g, " ") })));
  }
  select.value = names.includes(current) ? current : names[0];
  const m = select.value;
  const x = state.epochs.map((e) => e.epoch);
  const series = [];
  if (state.epochs.some((e) => e.train && e.train[m] !== undefined)) series.push({ label: "train " + m, values: state.epochs.map((e) => (e.train || {})[m] ?? null), color: "#1f77b4" });
  if (state.epochs.some((e) => e.val && e.val[m] !== undefined)) series.push({ label: "validation " + m, values: state.epochs.map((e) => (e.val || {})[m] ?? null), color: "#d62728" });
  lineChart(box, "metric", x, series, { title: m.replace(/_/g, " ") + " per epoch", xLabel: "epoch", yLabel: m });
}

// ------------------------------------------------------------------ weights

function paramNames() {
  const last = state.epochs[state.epochs.length - 1];
  return last && last.params ? Object.keys(last.params) : [];
}

function drawWeights() {
  const names = paramNames();
  const section = $("weights");
  if (!names.length) {
    message($("histogram-chart"), "Weight statistics appear after the first epoch.");
    ["percentile-chart", "grad-chart", "ratio-chart", "dead-chart"].forEach((id) => $(id).replaceChildren());
    return;
  }
  section.hidden = false;
  const select = $("param");
  if ([...select.options].map((o) => o.value).join() !== names.join()) {
    const keep = select.value;
    select.replaceChildren(...names.map((n) => el("option", { value: n, text: n + " " + JSON.stringify(state.epochs[state.epochs.length - 1].params[n].shape || []) })));
    select.value = names.includes(keep) ? keep : names.find((n) => n.endsWith("weight")) || names[0];
  }
  const slider = $("epoch-slider");
  const atEnd = Number(slider.value) >= Number(slider.max);
  slider.min = 1;
  slider.max = state.epochs.length;
  if (atEnd || Number(slider.value) > state.epochs.length) slider.value = state.epochs.length;
  drawHistogram();
  drawPercentiles();
  const x = state.epochs.map((e) => e.epoch);
  const perParam = (f) => names.map((n, i) => ({ label: n, values: state.epochs.map((e) => (e.params && e.params[n] ? f(e.params[n]) : null) ?? null), color: PALETTE[i % PALETTE.length] }));
  lineChart($("grad-chart"), "grad", x, perParam((p) => (p.grad ? p.grad.l2 : null)), { xLabel: "epoch", yLabel: "‖∇w‖", log: true });
  const ratios = perParam((p) => p.update_ratio);
  if (ratios.some((s) => s.values.some((v) => v > 0))) {
    lineChart($("ratio-chart"), "ratio", x, ratios, { xLabel: "epoch", yLabel: "‖Δw‖/‖w‖", log: true });
  } else {
    message($("ratio-chart"), "No update ratios in this run log (a full-batch fit records none).");
  }
  const acts = [...new Set(state.epochs.flatMap((e) => Object.keys(e.activations || {})))];
  if (acts.length) {
    lineChart($("dead-chart"), "dead", x, acts.map((a, i) => ({ label: "module " + a, values: state.epochs.map((e) => (e.activations && e.activations[a] ? e.activations[a].dead_fraction : null)), color: PALETTE[i % PALETTE.length] })),
      { xLabel: "epoch", yLabel: "dead share", yRange: [0, 1] });
  } else {
    message($("dead-chart"), "This model has no ReLU units, so none can die.");
  }
}

function drawHistogram() {
  const name = $("param").value;
  const which = $("which").value;
  const i = Number($("epoch-slider").value) - 1;
  const e = state.epochs[i];
  const p = e && e.params ? e.params[name] : null;
  const stats = p ? p[which] : null;
  $("epoch-label").textContent = e ? e.epoch + " of " + state.epochs.length : "";
  const box = $("histogram-chart");
  if (!stats || !stats.histogram || !stats.histogram.counts.length) {
    message(box, which === "grad" ? "No gradient recorded for " + name + " in this epoch." : "No histogram for " + name + ".");
    $("histogram-stats").textContent = "";
    return;
  }
  const h = stats.histogram;
  histogramChart(box, "histogram", h.lo, h.hi, h.counts, { title: (which === "grad" ? "Gradients of " : "Weights of ") + name + " after epoch " + e.epoch, xLabel: which });
  box.setAttribute("data-epoch", e.epoch);
  $("histogram-stats").textContent = `mean ${fmt(stats.mean)}, std ${fmt(stats.std)}, min ${fmt(stats.min)}, max ${fmt(stats.max)}, `
    + `‖·‖ ${fmt(stats.l2)}, zeros ${percent(stats.zero_fraction)}` + (h.nan || h.pos_inf || h.neg_inf ? `, NaN ${h.nan}, +∞ ${h.pos_inf}, −∞ ${h.neg_inf}` : "");
}

function drawPercentiles() {
  const name = $("param").value;
  const which = $("which").value;
  const keys = ["p2.3", "p15.9", "p50", "p84.1", "p97.7"];
  const x = state.epochs.map((e) => e.epoch);
  const values = keys.map((k) => state.epochs.map((e) => { const s = e.params && e.params[name] ? e.params[name][which] : null; return s && s.percentiles ? s.percentiles[k] : null; }));
  if (!values[2].some((v) => v !== null)) {
    message($("percentile-chart"), "No percentiles recorded for " + name + ".");
    return;
  }
  const colors = ["#9bbbd9", "#4f8fc6", "#1f3b57", "#4f8fc6", "#9bbbd9"];
  lineChart($("percentile-chart"), "percentiles", x, keys.map((k, i) => ({ label: k, values: values[i], color: colors[i], width: i === 2 ? 2.4 : 1 })), {
    title: "Percentile bands of " + name + (which === "grad" ? " gradients" : " weights") + " (median, ±1σ and ±2σ points)", xLabel: "epoch", yLabel: which,
    bands: [{ series: [5, 1], fill: "rgba(31,119,180,0.12)" }, { series: [4, 2], fill: "rgba(31,119,180,0.22)" }],
  });
}

// ------------------------------------------------------------------ network and filters

async function drawNetwork() {
  const net = await api(base + "/network");
  if (!net.available) return;
  $("network").hidden = false;
  const box = $("network-diagram");
  const layers = net.layers;
  const sizes = [layers[0].weight[0].length, ...layers.map((l) => l.weight.length)];
  const width = widthOf(box);
  const height = Math.max(220, 24 * Math.max(...sizes) + 40);
  const margin = 110;
  const X = (l) => margin + (l * (width - 2 * margin)) / (sizes.length - 1);
  const Y = (l, i) => 20 + ((i + 0.5) * (height - 40)) / sizes[l];
  let top = 0;
  layers.forEach((l) => l.weight.forEach((r) => r.forEach((w) => (top = Math.max(top, Math.abs(w))))));
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("data-chart", "network");
  const info = $("network-info");
  const nodeName = (l, i) => (l === 0 ? (net.inputs ? net.inputs[i] : "input " + i) : l === sizes.length - 1 && net.outputs ? net.outputs[i] : "layer " + layers[l - 1].name + " unit " + i);
  const edges = [];
  layers.forEach((layer, l) => layer.weight.forEach((row, o) => row.forEach((w, i) => edges.push({ l, o, i, w }))));
  edges.sort((a, b) => Math.abs(a.w) - Math.abs(b.w)); // strong edges drawn last, on top
  for (const e of edges) {
    if (!e.w) continue;
    const t = Math.abs(e.w) / (top || 1);
    const line = document.createElementNS(NS, "line");
    line.setAttribute("x1", X(e.l));
    line.setAttribute("y1", Y(e.l, e.i));
    line.setAttribute("x2", X(e.l + 1));
    line.setAttribute("y2", Y(e.l + 1, e.o));
    line.setAttribute("stroke", e.w > 0 ? "#d62728" : "#1f77b4");
    line.setAttribute("stroke-width", (0.6 + 6 * t).toFixed(2));
    line.setAttribute("stroke-opacity", (0.2 + 0.8 * t).toFixed(2));
    line.setAttribute("class", "edge");
    line.setAttribute("data-w", e.w);
    const text = `w = ${fmt(e.w)}: from ${nodeName(e.l, e.i)} to ${nodeName(e.l + 1, e.o)}`;
    const title = document.createElementNS(NS, "title");
    title.textContent = text;
    line.appendChild(title);
    line.addEventListener("mouseenter", () => (info.textContent = text));
    svg.appendChild(line);
  }
  sizes.forEach((n, l) => {
    for (let i = 0; i < n; i++) {
      const c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", X(l));
      c.setAttribute("cy", Y(l, i));
      c.setAttribute("r", 6);
      c.setAttribute("class", "neuron");
      let text = nodeName(l, i);
      if (l > 0) {
        const layer = layers[l - 1];
        const b = layer.bias ? layer.bias[i] : 0;
        text += `: z = Σ w·x + b over ${sizes[l - 1]} inputs, b = ${fmt(b)}` + (layer.activation ? `, then ${layer.activation}` : "");
      }
      const title = document.createElementNS(NS, "title");
      title.textContent = text;
      c.appendChild(title);
      c.addEventListener("mouseenter", () => (info.textContent = text));
      svg.appendChild(c);
      if (l === 0 || l === sizes.length - 1) {
        const label = document.createElementNS(NS, "text");
        label.setAttribute("x", l === 0 ? X(l) - 10 : X(l) + 10);
        label.setAttribute("y", Y(l, i) + 4);
        label.setAttribute("text-anchor", l === 0 ? "end" : "start");
        label.setAttribute("class", "node-label");
        label.textContent = String(nodeName(l, i)).slice(0, 16);
        svg.appendChild(label);
      }
    }
  });
  box.replaceChildren(svg);
  omomi.charts.network = { svg, values: edges.map((e) => e.w) };
}

function drawFilters() {
  $("filters").hidden = false;
  const img = el("img", { src: base + "/filters.png?" + Date.now(), alt: "filters of the first layer", "data-picture": "filters" });
  $("filters-picture").replaceChildren(img);
}

// ------------------------------------------------------------------ explanation viewer

async function explainer() {
  const d = state.desc;
  const section = $("explain");
  section.hidden = false;
  const images = d.explain === "images";
  $("explain-how").textContent = images
    ? "Pick a test image. The viewer shows the prediction, and where the model looked: Grad-CAM (convolutional models) and Integrated Gradients (red pixels raise the class's score, blue ones lower it; the baseline is a black image)."
    : "Pick a row of the data file. The viewer shows the prediction and each feature's Integrated Gradients attribution (from the all-zero row: the training mean of standardized columns).";
  const target = $("target");
  const classes = d.head && d.head.classes ? d.head.classes : [];
  if (d.head && d.head.kind === "multiclass") {
    target.replaceChildren(el("option", { value: "", text: "predicted" }), ...classes.map((c, i) => el("option", { value: String(i), text: i + ": " + c })));
  } else {
    target.parentElement.hidden = true;
  }
  let ex;
  try {
    ex = await api(base + "/examples?count=" + (images ? 24 : 48));
  } catch (e) {
    message($("examples"), e.message, "error");
    return;
  }
  const index = $("example-index");
  index.max = ex.total - 1;
  $("index-label").firstChild.textContent = images ? "Test image (0–" + (ex.total - 1) + ") " : "Row (0–" + (ex.total - 1) + ") ";
  const prefix = images ? "test:" : "row:";
  if (images) {
    $("examples").replaceChildren(...ex.examples.map((e) => el("img", { src: e.thumbnail, class: "thumb", title: e.input + ": " + e.label, alt: e.label, "data-input": e.input,
      onclick: () => { index.value = e.input.slice(prefix.length); explainOne(); } })));
  } else {
    $("examples").replaceChildren(el("select", { id: "row-select", onchange: (ev) => { index.value = ev.target.value; explainOne(); } },
      ex.examples.map((e) => el("option", { value: e.input.slice(prefix.length), text: e.input + " (" + e.label + "): " + e.text }))));
  }
  $("explain-go").onclick = explainOne;
  target.onchange = explainOne;
  explainOne();
}

async function explainOne() {
  const images = state.desc.explain === "images";
  const input = (images ? "test:" : "row:") + Number($("example-index").value || 0);
  const target = $("target").value;
  const out = $("explanation");
  out.setAttribute("data-state", "loading");
  let r;
  try {
    r = await api(base + "/explain?input=" + encodeURIComponent(input) + (target ? "&target=" + encodeURIComponent(target) : ""));
  } catch (e) {
    message(out, e.message, "error");
    out.setAttribute("data-state", "error");
    return;
  }
  document.querySelectorAll(".thumb").forEach((t) => t.classList.toggle("chosen", t.dataset.input === input));
  const p = r.prediction;
  const said = p.label !== undefined ? `predicted ${p.label}` + (p.probabilities ? ` (${percent(p.probabilities[p.class])})` : "") : `predicted value ${fmt(p.value)}`;
  const parts = [el("p", { class: "prediction", text: `${r.input}: ${said}; true label ${r.label}. Explaining ${r.target_label}.` })];
  if (p.probabilities) {
    const box = el("div", { class: "chart" });
    parts.push(el("h3", { text: "Class probabilities" }), box);
    out.replaceChildren(...parts);
    barChart(box, "probabilities", r.classes.length === p.probabilities.length ? r.classes : p.probabilities.map((_, i) => "class " + i), p.probabilities, { highlight: p.class, valueLabel: "probability" });
  }
  if (r.pictures) {
    parts.push(el("div", { class: "pictures" }, r.pictures.map((pic) => el("figure", {},
      el("img", { src: pic.png, alt: pic.title, "data-method": pic.method }),
      el("figcaption", { text: pic.title + (pic.delta !== undefined ? ` — Σ attributions ${fmt(pic.sum)}, F(x) − F(baseline) ${fmt(pic.f_x - pic.f_baseline)}, δ ${fmt(pic.delta)}` : "") })))));
  }
  if (r.attributions) {
    const box = el("div", { class: "chart" });
    const a = r.attributions;
    parts.push(el("h3", { text: "Integrated Gradients per feature (+ raises F, − lowers it)" }),
      el("p", { class: "note", text: `F(x) ${fmt(a.f_x)}, F(baseline) ${fmt(a.f_baseline)}, Σ attributions ${fmt(a.sum)}, δ ${fmt(a.delta)}` }), box,
      el("table", { class: "data" }, el("tbody", {}, Object.entries(r.row).map(([k, v]) => el("tr", {}, el("th", { text: k }), el("td", { text: v }))))));
    out.replaceChildren(...parts);
    const order = a.names.map((_, i) => i).sort((i, j) => Math.abs(a.values[j]) - Math.abs(a.values[i]));
    barChart(box, "attributions", order.map((i) => a.names[i]), order.map((i) => a.values[i]), { valueLabel: "attribution" });
  }
  out.replaceChildren(...parts);
  out.setAttribute("data-state", "shown");
  out.setAttribute("data-input", r.input);
}

// ------------------------------------------------------------------ the API

function apiSection() {
  const d = state.desc;
  const url = location.origin + base + "/predict";
  const inputs = d.inputs || {};
  const fields = inputs.fields || [];
  const example = inputs.image ? '{"rows": [[' + fields.slice(0, 3).map(() => "0").join(", ") + ", … " + fields.length + " pixels in [0, 1]]]}"
    : '{"rows": [{' + fields.slice(0, 4).map((f) => JSON.stringify(f) + ": …").join(", ") + (fields.length > 4 ? ", …" : "") + "}]}";
  $("api-text").replaceChildren(
    el("p", { text: `GET ${location.origin}${base} describes the inputs: ${fields.length} fields` + (fields.length ? " (" + fields.slice(0, 6).join(", ") + (fields.length > 6 ? ", …" : "") + ")" : "") + ". " + (inputs.how || "") }),
    el("pre", { text: `curl -s -X POST '${url}' -H 'Content-Type: application/json' \\\n     -d '${example}'` }),
    el("p", { class: "note", text: "Add ?explain=ig for Integrated Gradients attributions of each row (and &target=CLASS)." + (d.has_weights ? "" : " The run has no weights yet: predictions answer 409 until training ends.") }));
}

// ------------------------------------------------------------------ start

async function weightsSections() {
  const d = state.desc;
  if (!d.has_weights || state.weightsShown) return;
  state.weightsShown = true;
  if (d.pictures && d.pictures.network) drawNetwork().catch((e) => message($("network-diagram"), e.message, "error"));
  if (d.pictures && d.pictures.filters) drawFilters();
  if (d.explain) explainer();
  apiSection();
}

async function compareMenu() {
  const list = await api("/api/runs");
  const s = $("compare-with");
  list.runs.filter((r) => r.name !== runName).forEach((r) => s.appendChild(el("option", { value: r.name, text: r.name })));
  s.onchange = () => s.value && (location.href = "/compare?runs=" + encodeURIComponent(runName) + "," + encodeURIComponent(s.value));
  $("tour-link").hidden = !list.tour;
}

async function start() {
  try {
    state.desc = await api(base);
  } catch (e) {
    message($("summary"), e.message, "error");
    return;
  }
  summary();
  listen();
  await loadHistory();
  $("param").onchange = () => { drawHistogram(); drawPercentiles(); };
  $("which").onchange = () => { drawHistogram(); drawPercentiles(); };
  $("epoch-slider").oninput = drawHistogram;
  $("metric").onchange = drawMetric;
  apiSection();
  weightsSections();
  loadViews(runName, state.desc.views || []);
  compareMenu();
  window.addEventListener("resize", () => { Object.values(omomi.charts).forEach((u) => u.setSize && u.setSize({ width: widthOf(u.root.parentNode), height: u.height })); });
}

start();
