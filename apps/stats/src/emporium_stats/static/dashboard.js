// The store statistics dashboard: fetches each view's JSON with the view pass and draws it.
(function () {
  "use strict";
  const panels = document.getElementById("panels");
  if (!panels) return;
  const PASS = panels.dataset.pass;
  const W = JSON.parse(document.getElementById("words").textContent);
  const form = document.getElementById("range");
  const startInput = document.getElementById("start");
  const endInput = document.getElementById("end");
  const loaded = {};
  const charts = [];
  let mapReady = null;

  function isoDaysBefore(iso, days) {
    const d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() - days);
    return d.toISOString().slice(0, 10);
  }
  if (!startInput.value) startInput.value = isoDaysBefore(endInput.value, 6);

  function query() {
    const q = new URLSearchParams({ start: startInput.value, end: endInput.value, tz: panels.dataset.tz, lang: panels.dataset.lang });
    const shop = document.getElementById("shop-filter");
    if (shop && shop.value) q.set("shop", shop.value);
    return q;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function label(key) { return W[key] || key; }

  const PERCENT = new Set(["bounce_rate", "conversion_rate", "conversion"]);
  const HIDDEN = new Set(["map_name", "page_id"]);

  function fmt(value, key) {
    if (value === null || value === undefined) return "–";
    let text = typeof value === "number" && !Number.isInteger(value) ? value.toFixed(1) : String(value);
    if (PERCENT.has(key)) text += "%";
    return text;
  }

  function table(name, rows, panel) {
    const box = el("div", { class: "table-box", "data-table": name });
    const head = el("div", { class: "table-head" });
    head.append(el("h3", {}, label(name)));
    const q = query(); q.set("pass", PASS);
    head.append(el("a", { href: "/export/" + name + ".csv?" + q.toString(), download: "" }, label("export")));
    box.append(head);
    if (!rows.length) {
      box.append(el("p", { class: "empty" }, W.empty));
    } else {
      const t = el("table");
      const tr = el("tr");
      const keys = Object.keys(rows[0]).filter((k) => !HIDDEN.has(k));
      keys.forEach((k) => tr.append(el("th", {}, label(k))));
      const thead = el("thead");
      thead.append(tr);
      t.append(thead);
      const body = el("tbody");
      rows.forEach((row) => {
        const r = el("tr");
        keys.forEach((k) => r.append(el("td", {}, fmt(row[k], k))));
        body.append(r);
      });
      t.append(body);
      box.append(t);
    }
    panel.append(box);
  }

  function chart(panel, option, name) {
    const box = el("div", { class: "chart", "data-chart": name });
    panel.append(box);
    const c = echarts.init(box);
    c.setOption(option);
    charts.push(c);
    return c;
  }

  function kpis(panel, current, previous, change) {
    const grid = el("dl", { class: "kpis" });
    Object.keys(current).forEach((key) => {
      const cell = el("div", { "data-kpi": key });
      cell.append(el("dt", {}, label(key)));
      cell.append(el("dd", {}, fmt(current[key], key)));
      if (previous) {
        const delta = change[key];
        const text = delta === null ? "–" : (delta > 0 ? "+" : "") + delta.toFixed(1) + "%";
        const trend = delta > 0 ? "up" : delta < 0 ? "down" : "";
        cell.append(el("small", { class: trend, title: W.compare }, fmt(previous[key], key) + " · " + text));
      }
      grid.append(cell);
    });
    panel.append(grid);
  }

  function line(series, keys) {
    return {
      tooltip: { trigger: "axis" },
      legend: { data: keys.map(label) },
      xAxis: { type: "category", data: series.map((p) => p.bucket) },
      yAxis: { type: "value" },
      series: keys.map((k) => ({ name: label(k), type: "line", smooth: true, data: series.map((p) => p[k]) })),
    };
  }

  function bars(rows, nameKey, valueKey) {
    const top = rows.slice(0, 10).reverse();
    return {
      tooltip: {}, grid: { left: 160 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: top.map((r) => String(r[nameKey]).slice(0, 24)) },
      series: [{ type: "bar", name: label(valueKey), data: top.map((r) => r[valueKey]) }],
    };
  }

  function loadMap() {
    if (!mapReady) {
      mapReady = fetch("/assets/china.json").then((r) => r.json()).then((geo) => echarts.registerMap("china", geo));
    }
    return mapReady;
  }

  const draw = {
    overview(panel, d) {
      kpis(panel, d.current, d.previous, d.change);
      chart(panel, line(d.daily, ["page_views", "visitors", "visits"]), "overview-daily");
    },
    realtime(panel, d) {
      kpis(panel, d.counts, null, null);
      table("live_feed", d.feed, panel);
    },
    items(panel, d) {
      chart(panel, bars(d.most_viewed, "title", "views"), "most-viewed");
      table("items", d.items, panel);
      table("unattended", d.unattended, panel);
    },
    pages(panel, d) {
      kpis(panel, { shop_home: d.shop_home }, null, null);
      chart(panel, bars(d.keywords, "keyword", "count"), "keywords");
      table("categories", d.categories, panel);
      table("keywords", d.keywords, panel);
    },
    regions(panel, d) {
      const box = chart(panel, { title: { text: label("map") } }, "region-map");
      loadMap().then(() => {
        const values = d.provinces.map((r) => ({ name: r.map_name, value: r.visitors }));
        const max = Math.max(1, ...values.map((v) => v.value));
        box.setOption({
          tooltip: { trigger: "item" },
          visualMap: { min: 0, max: max, left: "left", calculable: true },
          series: [{ type: "map", map: "china", name: label("visitors"), data: values }],
        });
      });
      table("provinces", d.provinces, panel);
      table("cities", d.cities, panel);
    },
    sources(panel, d) {
      chart(panel, {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: d.sources.map((r) => ({ name: r.source, value: r.visits })) }],
      }, "sources-pie");
      table("sources", d.sources, panel);
      table("referrers", d.referrers, panel);
      table("campaigns", d.campaigns, panel);
    },
    trends(panel, d) {
      chart(panel, line(d.hourly, ["page_views", "visitors"]), "trend-hourly");
      chart(panel, line(d.daily, ["page_views", "visitors", "visits", "orders"]), "trend-daily");
      table("hourly", d.hourly, panel);
      table("daily", d.daily, panel);
    },
  };

  async function load(view) {
    const panel = document.getElementById("panel-" + view);
    const answer = await fetch("/data/" + view + "?" + query().toString(), { headers: { "X-View-Pass": PASS } });
    const data = await answer.json();
    panel.replaceChildren();
    if (!answer.ok) {
      panel.append(el("p", { class: "error", role: "alert" }, data.error));
      return;
    }
    draw[view](panel, data);
    panel.dataset.loaded = "true";
    loaded[view] = true;
  }

  function show(view) {
    document.querySelectorAll("[role=tab]").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.view === view)));
    document.querySelectorAll(".panel").forEach((p) => { p.hidden = p.dataset.view !== view; });
    if (!loaded[view]) load(view);
    charts.forEach((c) => c.resize());
  }

  document.querySelectorAll("[role=tab]").forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    Object.keys(loaded).forEach((k) => delete loaded[k]);
    const current = document.querySelector("[role=tab][aria-selected=true]").dataset.view;
    show(current);
  });
  // The mall edition's brand forms: create a brand, or join one with its code, then reopen.
  document.querySelectorAll(".brand-form").forEach((brandForm) => {
    brandForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      const answer = await fetch("/brand", { method: "POST", body: new FormData(brandForm) });
      const data = await answer.json();
      if (!answer.ok) {
        brandForm.append(el("p", { class: "error", role: "alert" }, data.error));
        return;
      }
      window.location.href = "/app?pass=" + encodeURIComponent(PASS) + "&lang=" + panels.dataset.lang;
    });
  });
  // Real time refreshes itself while it is on screen.
  setInterval(() => {
    const rt = document.getElementById("panel-realtime");
    if (rt && !rt.hidden && !document.hidden) load("realtime");
  }, 15000);
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  show(document.querySelector("[role=tab]").dataset.view);
})();
