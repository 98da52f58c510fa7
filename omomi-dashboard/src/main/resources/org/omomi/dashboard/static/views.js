// Application views: blocks of data a RunView (Java, found with ServiceLoader) returns, drawn here.
"use strict";

async function loadView(run, view, container, params) {
  const q = new URLSearchParams(params || {}).toString();
  let v;
  try {
    v = await api("/api/runs/" + encodeURIComponent(run) + "/views/" + encodeURIComponent(view.id) + (q ? "?" + q : ""));
  } catch (e) {
    message(container, view.title + ": " + e.message, "error");
    return;
  }
  const body = el("div", { class: "view-body" });
  container.replaceChildren(body);
  v.blocks.forEach((b, i) => {
    const name = "view-" + view.id + "-" + i;
    if (b.title && b.type !== "picture") body.appendChild(el("h3", { text: b.title }));
    const box = el("div", { class: "chart" });
    body.appendChild(box);
    switch (b.type) {
      case "bars": barChart(box, name, b.labels, b.values, { valueLabel: b.value_label }); break;
      case "lines": lineChart(box, name, b.x, Object.entries(b.series).map(([label, values]) => ({ label, values })),
        { xLabel: b.x_label, yLabel: b.y_label }); break;
      case "points": pointChart(box, name, b.x, b.y, b.group.length ? b.group : b.x.map(() => ""), { xLabel: b.x_label, yLabel: b.y_label }); break;
      case "table": box.appendChild(el("table", { class: "data" },
        el("thead", {}, el("tr", {}, b.columns.map((c) => el("th", { text: c })))),
        el("tbody", {}, b.rows.map((r) => el("tr", {}, r.map((c) => el("td", { class: typeof c === "number" ? "num" : "", text: fmt(c) }))))))); break;
      case "picture": box.appendChild(el("figure", {}, el("img", { src: "/api/runs/" + encodeURIComponent(run) + "/files/" + b.file.split("/").map(encodeURIComponent).join("/"), alt: b.title }),
        el("figcaption", { text: b.title }))); box.className = "picture"; break;
      case "choice": {
        const s = el("select", { onchange: (e) => loadView(run, view, container, Object.assign({}, params, { [b.parameter]: e.target.value })) },
          b.options.map((o) => el("option", { value: o, selected: o === b.selected, text: o })));
        box.appendChild(el("label", {}, b.label + " ", s));
        break;
      }
      default: box.appendChild(el("p", { class: "note", text: b.text || "" }));
    }
  });
}

function loadViews(run, views) {
  const holder = document.getElementById("views");
  holder.replaceChildren();
  for (const v of views) {
    const box = el("div", { class: "view" }, el("p", { class: "note", text: "Loading…" }));
    holder.appendChild(el("section", { id: "view-" + v.id, class: "app-view" }, el("h2", { text: v.title }), box));
    loadView(run, v, box, {});
  }
}
