// The run list: a sortable table of every run with its key metrics, refreshed every few seconds.
"use strict";

const COLUMNS = [
  { key: "name", title: "run", get: (r) => r.name },
  { key: "status", title: "status", get: (r) => r.status },
  { key: "model", title: "model", get: (r) => r.model },
  { key: "data", title: "data", get: (r) => r.data },
  { key: "epochs", title: "epochs", get: (r) => r.metrics.epochs, num: true },
  { key: "train_loss", title: "train loss", get: (r) => r.metrics.train_loss, num: true },
  { key: "val_loss", title: "val loss", get: (r) => r.metrics.val_loss, num: true },
  { key: "accuracy", title: "accuracy", get: (r) => accuracy(r).value, num: true, show: (r) => {
      const a = accuracy(r);
      return a.value === undefined ? "–" : percent(a.value) + " " + a.split;
    } },
  { key: "speed", title: "samples/s", get: (r) => r.metrics.train_samples_per_second, num: true, show: (r) => fmt(r.metrics.train_samples_per_second && Math.round(r.metrics.train_samples_per_second)) },
  { key: "updated", title: "updated", get: (r) => r.updated, num: true, show: (r) => when(r.updated) },
];

function accuracy(r) {
  for (const s of ["test", "val", "train"]) {
    const v = r.metrics[s + "_accuracy"];
    if (v !== undefined && v !== null) return { value: v, split: s };
  }
  for (const s of ["test", "val"]) {
    const v = r.metrics[s + "_roc_auc"];
    if (v !== undefined && v !== null) return { value: v, split: s + " AUC" };
  }
  return { value: undefined, split: "" };
}

const state = { runs: [], sort: "updated", descending: true, ticked: new Set() };

function sorted() {
  const col = COLUMNS.find((c) => c.key === state.sort);
  const dir = state.descending ? -1 : 1;
  return state.runs.slice().sort((a, b) => {
    const x = col.get(a);
    const y = col.get(b);
    if (x === y) return 0;
    if (x === undefined || x === null) return 1;
    if (y === undefined || y === null) return -1;
    return (col.num ? x - y : String(x).localeCompare(String(y))) * dir;
  });
}

function render() {
  const head = el("tr", {}, el("th", { class: "tick" }, ""), COLUMNS.map((c) =>
    el("th", { "data-sort": c.key, class: (c.num ? "num " : "") + (state.sort === c.key ? (state.descending ? "down" : "up") : ""),
      onclick: () => {
        state.descending = state.sort === c.key ? !state.descending : c.num === true;
        state.sort = c.key;
        render();
      } }, c.title)));
  const rows = sorted().map((r) => el("tr", { "data-run": r.name },
    el("td", { class: "tick" }, el("input", { type: "checkbox", checked: state.ticked.has(r.name), "aria-label": "compare " + r.name,
      onchange: (e) => { e.target.checked ? state.ticked.add(r.name) : state.ticked.delete(r.name); toolbar(); } })),
    COLUMNS.map((c) => el("td", { class: c.num ? "num" : "" },
      c.key === "name" ? el("a", { href: "/runs/" + encodeURIComponent(r.name), text: r.name })
        : c.key === "status" ? el("span", { class: "status " + String(r.status).replace(/\s+/g, "-"), text: r.status })
        : c.show ? c.show(r) : c.num ? fmt(c.get(r)) : c.get(r) || "–"))));
  const table = el("table", { id: "run-table", class: "runs" }, el("thead", {}, head), el("tbody", {}, rows));
  const box = document.getElementById("runs");
  box.replaceChildren(state.runs.length ? table : el("p", { class: "note", text: "No run folders yet. Train one: ./omomi train --data fashion-mnist --out runs/mlp" }));
  toolbar();
}

function toolbar() {
  const ticked = [...state.ticked].filter((n) => state.runs.some((r) => r.name === n));
  const b = document.getElementById("compare");
  b.disabled = ticked.length !== 2;
  document.getElementById("count").textContent = state.runs.length + " run" + (state.runs.length === 1 ? "" : "s")
    + (ticked.length ? ", " + ticked.length + " ticked" : "");
}

async function load() {
  try {
    const list = await api("/api/runs");
    state.runs = list.runs.map((r) => Object.assign({ metrics: {} }, r));
    document.getElementById("tour-link").hidden = !list.tour;
    render();
  } catch (e) {
    message(document.getElementById("runs"), "Cannot read the runs: " + e.message, "error");
  }
}

document.getElementById("compare").addEventListener("click", () => {
  const ticked = [...state.ticked].filter((n) => state.runs.some((r) => r.name === n));
  location.href = "/compare?runs=" + ticked.map(encodeURIComponent).join(",");
});
load();
setInterval(load, 5000);
