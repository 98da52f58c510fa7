// Two runs' curves on one chart, per epoch.
"use strict";

const picked = (new URLSearchParams(location.search).get("runs") || "").split(",").filter((s) => s);
const histories = {};

async function epochsOf(run) {
  if (!histories[run]) {
    const h = await api("/api/runs/" + encodeURIComponent(run) + "/history");
    histories[run] = h.entries.filter((e) => e.kind === "epoch");
  }
  return histories[run];
}

async function draw() {
  const a = document.getElementById("run-a").value;
  const b = document.getElementById("run-b").value;
  history.replaceState(null, "", "/compare?runs=" + [a, b].map(encodeURIComponent).join(","));
  let ea, eb;
  try {
    [ea, eb] = await Promise.all([epochsOf(a), epochsOf(b)]);
  } catch (e) {
    message(document.getElementById("compare-loss"), e.message, "error");
    return;
  }
  const n = Math.max(ea.length, eb.length);
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const at = (epochs, split, key) => x.map((k) => { const e = epochs.find((r) => r.epoch === k); return e && e[split] && e[split][key] !== undefined ? e[split][key] : null; });
  const series = (key) => [
    { label: a + " train", values: at(ea, "train", key), color: PALETTE[0], dash: [6, 4] },
    { label: a + " validation", values: at(ea, "val", key), color: PALETTE[0] },
    { label: b + " train", values: at(eb, "train", key), color: PALETTE[1], dash: [6, 4] },
    { label: b + " validation", values: at(eb, "val", key), color: PALETTE[1] },
  ].filter((s) => s.values.some((v) => v !== null));
  lineChart(document.getElementById("compare-loss"), "compare-loss", x, series("loss"), { title: "Loss: " + a + " and " + b, xLabel: "epoch", yLabel: "loss" });
  const names = [...new Set([...ea, ...eb].flatMap((e) => [...Object.keys(e.train || {}), ...Object.keys(e.val || {})]).filter((k) => k !== "loss"))];
  const select = document.getElementById("compare-metric");
  const keep = select.value;
  select.replaceChildren(...names.map((k) => el("option", { value: k, text: k.replace(/_/g, " ") })));
  select.value = names.includes(keep) ? keep : names.includes("accuracy") ? "accuracy" : names[0] || "";
  if (select.value) {
    lineChart(document.getElementById("compare-metric-chart"), "compare-metric", x, series(select.value), { title: select.value.replace(/_/g, " "), xLabel: "epoch", yLabel: select.value });
  } else {
    message(document.getElementById("compare-metric-chart"), "Neither run has a metric beside the loss.");
  }
}

async function start() {
  const list = await api("/api/runs");
  const names = list.runs.map((r) => r.name);
  ["run-a", "run-b"].forEach((id, i) => {
    const s = document.getElementById(id);
    s.replaceChildren(...names.map((n) => el("option", { value: n, text: n })));
    s.value = names.includes(picked[i]) ? picked[i] : names[Math.min(i, names.length - 1)] || "";
    s.onchange = draw;
  });
  document.getElementById("compare-metric").onchange = draw;
  if (names.length) draw();
  else message(document.getElementById("compare-loss"), "No runs to compare.");
}

start();
