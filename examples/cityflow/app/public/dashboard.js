// CityFlow dashboard page: loads `data` (relative, so the page works under any prefix), draws SVG
// charts and a table, and reloads when the server says over the `live` WebSocket that metrics changed.
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const W = 560;
  const H = 220;
  const M = { top: 14, right: 44, bottom: 26, left: 56 };
  const number = new Intl.NumberFormat("en-GB");
  const compact = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 });
  const state = { data: null, selected: null, pinned: false, live: false };

  function el(tag, attrs, parent, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  /** Rounds a maximum up to a readable axis end (1, 2 or 5 times a power of ten). */
  function niceMax(value) {
    if (!(value > 0)) return 1;
    const p = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 5, 10].map((f) => f * p).find((v) => v >= value);
  }

  const shortDate = (d) => new Date(`${d}T12:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", day: "2-digit", month: "2-digit", timeZone: "UTC" });

  /** Bars for one series, an optional line for a second one on its own right-hand scale. */
  function barLineChart(container, { labels, bars, line, color, lineColor, onPick }) {
    container.textContent = "";
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img" }, container);
    const iw = W - M.left - M.right;
    const ih = H - M.top - M.bottom;
    const max = niceMax(Math.max(0, ...bars));
    for (let i = 0; i <= 4; i++) {
      const y = M.top + ih - (ih * i) / 4;
      el("line", { x1: M.left, x2: M.left + iw, y1: y, y2: y, stroke: "#e3e8ee" }, svg);
      el("text", { x: M.left - 6, y: y + 4, "text-anchor": "end" }, svg, compact.format((max * i) / 4));
    }
    const step = iw / Math.max(labels.length, 1);
    labels.forEach((label, i) => {
      const h = (ih * (bars[i] ?? 0)) / max;
      const bw = Math.min(step * 0.64, 64); // one day alone should not fill the chart
      const bar = el(
        "rect",
        { class: "bar", x: M.left + i * step + (step - bw) / 2, y: M.top + ih - h, width: bw, height: Math.max(h, 0), fill: color, rx: 2 },
        svg,
      );
      el("title", {}, bar, `${label}: ${number.format(bars[i] ?? 0)}`);
      if (onPick) bar.addEventListener("click", () => onPick(i));
      el("text", { x: M.left + i * step + step / 2, y: H - 8, "text-anchor": "middle" }, svg, shortDate(label));
    });
    if (line?.some((v) => v !== null && v !== undefined)) {
      const lmax = niceMax(Math.max(0, ...line.filter((v) => v !== null)));
      const points = line.map((v, i) => (v === null || v === undefined ? null : [M.left + i * step + step / 2, M.top + ih - (ih * v) / lmax]));
      const d = points
        .filter(Boolean)
        .map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`)
        .join(" ");
      el("path", { class: "line", d, fill: "none", stroke: lineColor, "stroke-width": 2.5 }, svg);
      for (const p of points.filter(Boolean)) el("circle", { cx: p[0], cy: p[1], r: 3.5, fill: lineColor }, svg);
      el("text", { x: M.left + iw + 6, y: M.top + 4 }, svg, compact.format(lmax));
      el("text", { x: M.left + iw + 6, y: M.top + ih + 4 }, svg, "0");
    }
    if (labels.length === 0) el("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, svg, "no data yet: run the processor");
  }

  /** Horizontal bars, one per entry, largest first. */
  function hbarChart(container, entries, color) {
    container.textContent = "";
    const rows = entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 12);
    const rowH = 16;
    const height = Math.max(H, M.top + rows.length * rowH + 10);
    const svg = el("svg", { viewBox: `0 0 ${W} ${height}`, role: "img" }, container);
    const max = niceMax(Math.max(0, ...rows.map((r) => r[1])));
    const iw = W - 120 - 40;
    rows.forEach(([name, value], i) => {
      const y = M.top + i * rowH;
      el("text", { x: 110, y: y + 11, "text-anchor": "end" }, svg, name);
      const bar = el("rect", { class: "bar", x: 116, y, width: Math.max((iw * value) / max, 1), height: rowH - 4, fill: color, rx: 2 }, svg);
      el("title", {}, bar, `${name}: ${value}`);
      el("text", { x: 120 + (iw * value) / max, y: y + 11 }, svg, String(value));
    });
    if (rows.length === 0) el("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, svg, "no roadworks active");
  }

  function byDate(items) {
    return new Map((items ?? []).map((m) => [m.date, m]));
  }

  function render() {
    const { types, reports } = state.data;
    const maps = Object.fromEntries(Object.entries(types).map(([t, items]) => [t, byDate(items)]));
    const dates = [...new Set(Object.values(types).flatMap((items) => items.map((m) => m.date)))].sort();
    // The latest day is shown until the user picks one; a new day then becomes the one shown.
    if (!state.pinned || !dates.includes(state.selected)) state.selected = dates.at(-1) ?? null;
    const pick = (i) => select(dates[i]);
    const v = (type, date, key) => maps[type]?.get(date)?.values?.[key] ?? null;

    barLineChart(document.getElementById("chart-traffic"), {
      labels: dates,
      bars: dates.map((d) => v("traffic", d, "total_flow") ?? 0),
      line: dates.map((d) => v("traffic", d, "mean_occupancy")),
      color: "var(--flow)",
      lineColor: "var(--occ)",
      onPick: pick,
    });
    barLineChart(document.getElementById("chart-bikes"), {
      labels: dates,
      bars: dates.map((d) => v("bikes", d, "total_count") ?? 0),
      color: "var(--bike)",
      onPick: pick,
    });
    barLineChart(document.getElementById("chart-comptages"), {
      labels: dates,
      bars: dates.map((d) => v("comptages", d, "points_reporting") ?? 0),
      line: dates.map((d) => v("comptages", d, "completeness_pct")),
      color: "#7c5cd6",
      lineColor: "var(--occ)",
      onPick: pick,
    });
    document.getElementById("district-day").textContent = state.selected ? shortDate(state.selected) : "no day yet";
    hbarChart(document.getElementById("chart-chantiers"), Object.entries(v("chantiers", state.selected, "by_district") ?? {}), "var(--work)");

    const latest = state.selected;
    const kpis = [
      [number.format(v("traffic", latest, "total_flow") ?? 0), "vehicles counted"],
      [`${v("traffic", latest, "mean_occupancy") ?? "–"} %`, "mean road occupancy"],
      [number.format(v("bikes", latest, "total_count") ?? 0), "bicycles counted"],
      [String(v("chantiers", latest, "active") ?? 0), "roadworks active"],
    ];
    document.getElementById("kpis").innerHTML = kpis
      .map(([b, s]) => `<div class="kpi"><b>${b}</b><small>${s}${latest ? ` · ${shortDate(latest)}` : ""}</small></div>`)
      .join("");

    const hasReport = new Set((reports ?? []).map((r) => r.date));
    const tbody = document.querySelector("#table tbody");
    tbody.textContent = "";
    if (dates.length === 0)
      tbody.innerHTML = '<tr><td colspan="11" class="empty">No metrics yet: run the processor (cairn run processor -- 2025-11-04).</td></tr>';
    for (const d of [...dates].reverse()) {
      const tr = document.createElement("tr");
      if (d === state.selected) tr.className = "selected";
      const cells = [
        [d, "text"],
        [number.format(v("traffic", d, "total_flow") ?? 0)],
        [`${v("traffic", d, "mean_occupancy") ?? "–"} %`],
        [v("traffic", d, "peak_hour") === null ? "–" : `${String(v("traffic", d, "peak_hour")).padStart(2, "0")}:00`],
        [number.format(v("bikes", d, "total_count") ?? 0)],
        [v("bikes", d, "busiest_counter") ?? "–", "text"],
        [`${v("comptages", d, "points_reporting") ?? 0} / ${v("comptages", d, "points_known") ?? 0}`],
        [`${v("comptages", d, "completeness_pct") ?? "–"} %`],
        [String(v("chantiers", d, "active") ?? 0)],
        [String(v("chantiers", d, "road_closures") ?? 0)],
      ];
      for (const [text, cls] of cells) {
        const td = document.createElement("td");
        td.textContent = text;
        if (cls) td.className = cls;
        tr.appendChild(td);
      }
      const link = document.createElement("td");
      if (hasReport.has(d)) {
        const a = document.createElement("a");
        a.href = `reports/${d}`;
        a.textContent = "CSV";
        link.appendChild(a);
      } else link.textContent = "–";
      tr.appendChild(link);
      tr.addEventListener("click", () => select(d));
      tbody.appendChild(tr);
    }
  }

  function select(date) {
    state.selected = date;
    state.pinned = true;
    render();
  }

  function setStatus(live, text) {
    const status = document.getElementById("status");
    status.dataset.live = String(live);
    status.querySelector("span").textContent = text;
  }

  async function load() {
    const res = await fetch("data", { cache: "no-store" });
    if (!res.ok) {
      setStatus(false, `API unavailable (${res.status}), retrying`);
      return;
    }
    state.data = await res.json();
    render();
    document.body.dataset.loaded = "true";
    setStatus(state.live === true, `${state.live ? "live" : "offline"} · updated ${new Date().toLocaleTimeString("en-GB")}`);
  }

  function connect() {
    const url = new URL("live", location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url);
    ws.onopen = () => {
      state.live = true;
    };
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.event === "hello" || message.event === "metrics") load().catch(() => setStatus(false, "API unavailable, retrying"));
    };
    ws.onclose = () => {
      state.live = false;
      setStatus(false, "reconnecting…");
      setTimeout(connect, 3000);
    };
  }

  load().catch(() => setStatus(false, "API unavailable, retrying"));
  connect();
})();
