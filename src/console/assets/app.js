// The console's page script: no framework, no build step. Each page reads the JSON API, then follows
// the server-sent events. Text is always put in as text (never as HTML), except the diagram's SVG,
// which the console itself drew.

const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";
const content = document.getElementById("content");
const live = document.getElementById("live");

/** An element with attributes (on* are listeners) and children (strings become text). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

async function api(path) {
  const answer = await fetch(path, { headers: { accept: "application/json" } });
  const body = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(body.error ?? `${answer.status}`);
  return body;
}

async function post(path, body = {}) {
  const answer = await fetch(path, { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": csrf }, body: JSON.stringify(body) });
  const result = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(result.error ?? `${answer.status}`);
  return result;
}

function show(...nodes) {
  content.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined));
  content.removeAttribute("aria-busy");
}

function failure(error) {
  return el("p", { class: "error", role: "alert" }, String(error.message ?? error));
}

const time = (iso) => (iso ? new Date(iso).toLocaleString() : "—");
const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "—");
const mb = (bytes) => (bytes === null || bytes === undefined ? "—" : `${(bytes / 1048576).toFixed(1)} MB`);
const pct = (n) => (n === null || n === undefined ? "—" : `${n.toFixed(1)} %`);
const usd = (n) => (n === null ? "not priced" : `$${n.toFixed(2)}`);

function table(caption, headers, rows) {
  return el(
    "table",
    {},
    el("caption", {}, caption),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        headers.map((h) => el("th", { scope: "col" }, h)),
      ),
    ),
    el("tbody", {}, rows),
  );
}

/** A small line chart of values over time, with a text alternative. */
function spark(values, label, format) {
  const w = 160;
  const h = 32;
  const known = values.filter((v) => typeof v === "number");
  const max = Math.max(1, ...known);
  const points = values.map((v, i) => `${((i / Math.max(1, values.length - 1)) * w).toFixed(1)},${(h - ((v ?? 0) / max) * (h - 2) - 1).toFixed(1)}`);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${label}: last ${format(known.at(-1))}, peak ${format(known.length ? Math.max(...known) : null)}`);
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", points.join(" "));
  line.setAttribute("class", "spark");
  svg.append(line);
  return svg;
}

/** Calls `reload` when the server says something changed, at most every 500 ms. */
function follow(events, reload) {
  let timer = null;
  const later = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      reload().catch(() => {});
    }, 500);
  };
  for (const name of events) stream.addEventListener(name, later);
}

const stream = new EventSource("/api/events");
stream.addEventListener("open", () => {
  live.textContent = "live";
  live.dataset.state = "live";
});
stream.addEventListener("error", () => {
  live.textContent = "reconnecting…";
  live.dataset.state = "down";
});
let updates = 0;
stream.addEventListener("services", () => {
  updates++;
  document.body.dataset.updates = String(updates);
});

// ---------------------------------------------------------------------------------------- Overview
async function overview() {
  const data = await api("/api/overview");
  const picture = el("figure", { class: "diagram" });
  picture.innerHTML = data.diagram;
  picture.append(el("figcaption", {}, `${data.stack} (${data.environment}), coloured by state${data.url ? ` · ${data.url}` : ""}`));
  const paint = (services, resources, jobs) => {
    for (const s of services) {
      const states = s.states ?? s.replicas?.map((r) => r.state) ?? [];
      const state =
        states.length === 0
          ? "stopped"
          : states.every((x) => x === "healthy" || x === "running")
            ? "up"
            : states.some((x) => x === "healthy" || x === "running")
              ? "partial"
              : "down";
      picture.querySelector(`g.box[data-id="service:${CSS.escape(s.name)}"]`)?.setAttribute("data-state", state);
    }
    for (const r of resources) picture.querySelector(`g.box[data-id="resource:${CSS.escape(r.name)}"]`)?.setAttribute("data-state", r.healthy ? "up" : "down");
    for (const j of jobs) {
      const state = j.running ? "partial" : j.last === "failed" || j.last === "timeout" ? "down" : "up";
      picture.querySelector(`g.box[data-id="job:${CSS.escape(j.name)}"]`)?.setAttribute("data-state", state);
    }
  };
  paint(data.services, data.resources, data.jobs);
  stream.addEventListener("services", (event) => {
    const report = JSON.parse(event.data);
    paint(
      report.services,
      report.resources,
      report.jobs.map((j) => ({ name: j.name, running: j.running, last: j.lastRun?.status ?? null })),
    );
  });
  const legend = el(
    "p",
    { class: "legend" },
    ["up", "partial", "down"].map((s) => el("span", { class: "key", "data-state": s }, s)),
  );
  const costs = table(
    "Monthly cost of each environment (USD, from the price catalog)",
    ["Environment", "Target", "Per month"],
    data.costs.map((c) =>
      el("tr", {}, el("td", {}, c.environment), el("td", {}, c.target), el("td", { class: "num" }, `${usd(c.monthlyUsd)}${c.complete ? "" : " (incomplete)"}`)),
    ),
  );
  const alarms = data.alarms.length
    ? table(
        "Alarms",
        ["Alarm", "Service", "State", "Since"],
        data.alarms.map((a) =>
          el("tr", {}, el("td", {}, a.text), el("td", {}, a.service ?? "all"), el("td", {}, a.state ?? "not evaluated"), el("td", {}, time(a.since))),
        ),
      )
    : el("p", {}, "No alarms in the stack file.");
  const problems = data.problems.length
    ? el(
        "ul",
        { class: "problems" },
        data.problems.map((p) => el("li", {}, `${p.name}: ${p.message}`)),
      )
    : null;
  show(picture, legend, problems, el("section", { class: "columns" }, costs, alarms));
}

// ---------------------------------------------------------------------------------------- Services
async function services() {
  const render = async () => {
    const data = await api("/api/services");
    const blocks = data.services.map((s) =>
      el(
        "section",
        { class: "service", "aria-labelledby": `svc-${s.name}` },
        el("h2", { id: `svc-${s.name}` }, s.name),
        el("p", { class: "address" }, s.address ? `address ${s.address}` : "", s.urls.length ? ` · ${s.urls.join(", ")}` : ""),
        table(
          `Replicas of ${s.name}`,
          ["Replica", "State", "Health", "Pid", "Port", "Restarts", "CPU", "Memory", "Health history", "Actions"],
          s.replicas.map((r) =>
            el(
              "tr",
              { "data-replica": r.id },
              el("th", { scope: "row" }, r.id),
              el("td", { class: "state", "data-state": r.state }, r.state, r.cause ? el("small", {}, ` ${r.cause}`) : null),
              el("td", {}, r.health ?? "—"),
              el("td", { class: "pid num" }, r.pid ?? "—"),
              el("td", { class: "num" }, r.port ?? "—"),
              el("td", { class: "num" }, r.restarts),
              el(
                "td",
                {},
                pct(r.cpu),
                spark(
                  r.samples.map((x) => x.cpu),
                  `CPU of ${r.id}`,
                  pct,
                ),
              ),
              el(
                "td",
                {},
                mb(r.memoryBytes),
                spark(
                  r.samples.map((x) => x.memoryBytes),
                  `Memory of ${r.id}`,
                  mb,
                ),
              ),
              el(
                "td",
                {},
                el(
                  "ol",
                  { class: "changes" },
                  r.changes.slice(-5).map((c) => el("li", {}, `${clock(c.time)} ${c.state}${c.health ? ` (${c.health})` : ""}`)),
                ),
              ),
              el(
                "td",
                { class: "actions" },
                ["restart", "stop", "start"].map((action) =>
                  el(
                    "button",
                    {
                      type: "button",
                      "aria-label": `${action} ${r.id}`,
                      onclick: (event) => act(event.currentTarget, `/api/replicas/${encodeURIComponent(r.id)}/${action}`),
                    },
                    action,
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
    const reload = el("button", { type: "button", onclick: (event) => act(event.currentTarget, "/api/reload") }, "Reload the stack");
    show(el("p", {}, reload, el("span", { id: "action-status", role: "status" })), ...blocks);
  };
  await render();
  follow(["services"], render);
}

async function act(button, path) {
  const status = document.getElementById("action-status") ?? live;
  button.disabled = true;
  try {
    await post(path);
    status.textContent = `${button.textContent}: done`;
  } catch (error) {
    status.textContent = `${button.textContent}: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

// -------------------------------------------------------------------------------------------- Logs
const LEVELS = ["error", "warn", "info", "debug"];

/** One log line: time, where it came from, its text, and its trace when it names one (the Logs page and a trace's lines). */
function logRow(line) {
  return el(
    "li",
    { "data-level": line.level, "data-service": line.service },
    el("time", { datetime: line.time }, clock(line.time)),
    el("span", { class: "source" }, line.source),
    el("span", { class: "text" }, line.text),
    line.traceId ? el("a", { href: `/traces?id=${line.traceId}`, class: "trace-link" }, "trace") : null,
  );
}
const KEEP = 1000;

async function logs() {
  const params = new URLSearchParams(location.search);
  const filter = { service: params.get("service") ?? "", level: params.get("level") ?? "", text: params.get("text") ?? "" };
  let paused = false;
  let held = [];
  const list = el("ol", { class: "log", "aria-live": "off", "aria-label": "Log lines" });
  const service = el("select", { id: "f-service", name: "service" }, el("option", { value: "" }, "all"));
  const level = el(
    "select",
    { id: "f-level", name: "level" },
    el("option", { value: "" }, "all"),
    LEVELS.map((l) => el("option", { value: l }, `${l} and above`)),
  );
  const text = el("input", { id: "f-text", name: "text", type: "search", value: filter.text, autocomplete: "off" });
  const pause = el("button", { type: "button", "aria-pressed": "false" }, "Pause");
  const count = el("span", { role: "status", class: "count" });
  const matches = (line) =>
    (!filter.service || line.service === filter.service || line.source === filter.service) &&
    (!filter.level || LEVELS.indexOf(line.level) <= LEVELS.indexOf(filter.level)) &&
    (!filter.text || line.text.toLowerCase().includes(filter.text.toLowerCase()));
  const append = (lines) => {
    list.append(...lines.map(logRow));
    while (list.childElementCount > KEEP) list.firstElementChild?.remove();
    count.textContent = `${list.childElementCount} lines${paused ? `, ${held.length} waiting` : ""}`;
  };
  const load = async () => {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
    history.replaceState(null, "", `/logs${query.size ? `?${query}` : ""}`);
    const data = await api(`/api/logs?${query}&limit=${KEEP}`);
    const names = data.services;
    service.replaceChildren(el("option", { value: "" }, "all"), ...names.map((n) => el("option", { value: n }, n)));
    service.value = filter.service;
    level.value = filter.level;
    list.replaceChildren();
    append(data.lines);
  };
  const form = el(
    "form",
    { class: "filters", role: "search", onsubmit: (event) => event.preventDefault() },
    el("label", { for: "f-service" }, "Service"),
    service,
    el("label", { for: "f-level" }, "Level"),
    level,
    el("label", { for: "f-text" }, "Text"),
    text,
    pause,
    count,
  );
  service.addEventListener("change", () => {
    filter.service = service.value;
    load();
  });
  level.addEventListener("change", () => {
    filter.level = level.value;
    load();
  });
  let typing = null;
  text.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      filter.text = text.value;
      load();
    }, 250);
  });
  pause.addEventListener("click", () => {
    paused = !paused;
    pause.textContent = paused ? "Resume" : "Pause";
    pause.setAttribute("aria-pressed", String(paused));
    if (!paused) {
      append(held);
      held = [];
    }
  });
  stream.addEventListener("log", (event) => {
    const line = JSON.parse(event.data);
    if (!matches(line)) return;
    if (paused) {
      held.push(line);
      if (held.length > KEEP) held.shift();
      count.textContent = `${list.childElementCount} lines, ${held.length} waiting`;
    } else append([line]);
  });
  show(form, list);
  await load();
}

// -------------------------------------------------------------------------------------------- Jobs
async function jobs() {
  const render = async () => {
    const data = await api("/api/jobs");
    if (!data.jobs.length) return show(el("p", {}, "No jobs in this stack."));
    const duration = (r) => (r.endedAt ? `${((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s` : "running");
    const blocks = data.jobs.map((j) =>
      el(
        "section",
        { class: "job", "aria-labelledby": `job-${j.name}` },
        el("h2", { id: `job-${j.name}` }, j.name),
        el(
          "p",
          {},
          j.schedule ? `schedule ${j.schedule}${j.timezone ? ` (${j.timezone})` : ""} · next run ${time(j.nextRun)}` : "run by hand only",
          ` · ${j.running} running · `,
          el(
            "button",
            { type: "button", "aria-label": `run ${j.name} now`, onclick: (event) => act(event.currentTarget, `/api/jobs/${encodeURIComponent(j.name)}/run`) },
            "Run now",
          ),
        ),
        j.runs.length
          ? table(
              `Runs of ${j.name}`,
              ["Run", "Started", "Duration", "Status", "Exit code", "Log"],
              j.runs.map((r) =>
                el(
                  "tr",
                  { "data-run": r.id },
                  el("th", { scope: "row" }, r.id),
                  el("td", {}, time(r.startedAt)),
                  el("td", { class: "num" }, duration(r)),
                  el("td", { "data-state": r.status }, r.status),
                  el("td", { class: "num" }, r.exitCode ?? "—"),
                  el("td", {}, el("a", { href: `/api/runs/${encodeURIComponent(r.id)}/log`, target: "_blank", rel: "noopener" }, "log")),
                ),
              ),
            )
          : el("p", {}, "No run yet."),
      ),
    );
    show(el("span", { id: "action-status", role: "status" }), ...blocks);
  };
  await render();
  follow(["services"], render);
}

// -------------------------------------------------------------------------------------------- Data
async function data() {
  const { stores } = await api("/api/data");
  if (!stores.length) return show(el("p", {}, "No local data store in this stack."));
  const panel = el("div", { class: "panel" });
  const buttons = stores.map((s) =>
    el("button", { type: "button", "data-store": s.name, onclick: () => open(s).catch((e) => panel.replaceChildren(failure(e))) }, `${s.name} (${s.type})`),
  );
  const open = async (store) => {
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.store === store.name));
    const base = `/api/data/${store.type}/${encodeURIComponent(store.name)}`;
    if (store.type === "bucket") {
      const prefix = el("input", { id: "d-prefix", type: "search", autocomplete: "off" });
      const out = el("div");
      const list = async () => {
        const page = await api(`${base}?prefix=${encodeURIComponent(prefix.value)}`);
        out.replaceChildren(
          table(
            `Objects in ${page.bucket}${page.next ? " (first page)" : ""}`,
            ["Key", "Size", "Modified", ""],
            page.objects.map((o) =>
              el(
                "tr",
                {},
                el("th", { scope: "row" }, o.key),
                el("td", { class: "num" }, o.size),
                el("td", {}, time(o.modified)),
                el("td", {}, el("a", { href: `${base}/object?key=${encodeURIComponent(o.key)}`, download: o.key.split("/").pop() }, "download")),
              ),
            ),
          ),
        );
      };
      panel.replaceChildren(form([el("label", { for: "d-prefix" }, "Prefix"), prefix], "List", list), out);
      return list();
    }
    if (store.type === "table") {
      const hash = el("input", { id: "d-hash", type: "search", autocomplete: "off" });
      const out = el("div");
      const read = async () => {
        const page = await api(`${base}${hash.value ? `?hash=${encodeURIComponent(hash.value)}` : ""}`);
        const columns = [...new Set(page.items.flatMap((i) => Object.keys(i)))];
        out.replaceChildren(
          table(
            `${hash.value ? "Query" : "Scan"} of ${page.table} (key ${page.key.hash}${page.key.range ? `, ${page.key.range}` : ""})`,
            columns,
            page.items.map((i) =>
              el(
                "tr",
                {},
                columns.map((c) => el("td", {}, i[c] === undefined ? "" : typeof i[c] === "object" ? JSON.stringify(i[c]) : String(i[c]))),
              ),
            ),
          ),
        );
      };
      panel.replaceChildren(form([el("label", { for: "d-hash" }, "Hash key value (empty: scan)"), hash], "Read", read), out);
      return read();
    }
    if (store.type === "postgres") {
      const { tables } = await api(base);
      const sql = el("textarea", { id: "d-sql", rows: 4, cols: 80 }, tables[0] ? `SELECT * FROM ${tables[0].schema}.${tables[0].table}` : "SELECT 1");
      const out = el("div");
      const run = async () => {
        const result = await post(`${base}/query`, { sql: sql.value });
        out.replaceChildren(
          table(
            `Result${result.truncated ? " (first rows only)" : ""}`,
            result.columns,
            result.rows.map((r) =>
              el(
                "tr",
                {},
                r.map((v) => el("td", {}, v === null ? "NULL" : String(v))),
              ),
            ),
          ),
        );
      };
      panel.replaceChildren(
        table(
          "Tables",
          ["Table", "Rows"],
          tables.map((t) => el("tr", {}, el("th", { scope: "row" }, `${t.schema}.${t.table}`), el("td", { class: "num" }, t.rows ?? "—"))),
        ),
        form([el("label", { for: "d-sql" }, "Read-only query"), sql], "Run", run),
        out,
      );
      return;
    }
    if (store.type === "redis") {
      const pattern = el("input", { id: "d-pattern", type: "search", value: "*", autocomplete: "off" });
      const out = el("div");
      const scan = async () => {
        const page = await api(`${base}?pattern=${encodeURIComponent(pattern.value)}`);
        out.replaceChildren(
          table(
            `Keys${page.complete ? "" : " (first ones only)"}`,
            ["Key", "Type"],
            page.keys.map((k) => el("tr", {}, el("th", { scope: "row" }, k.key), el("td", {}, k.type))),
          ),
        );
      };
      panel.replaceChildren(form([el("label", { for: "d-pattern" }, "Pattern"), pattern], "Scan", scan), out);
      return scan();
    }
  };
  show(el("nav", { class: "stores", "aria-label": "Data stores" }, buttons), panel);
  await open(stores[0]);
}

// ---------------------------------------------------------------------------------------- Requests
async function requests() {
  const ms = (n) => (n === null || n === undefined ? "—" : `${n.toFixed(1)} ms`);
  const traffic = (caption, rows, first) =>
    table(
      caption,
      [first, "Requests", "Per second", "p50", "p95", "p99", "2xx", "4xx", "5xx"],
      rows.map((r) =>
        el(
          "tr",
          {},
          el("th", { scope: "row" }, first === "Route" ? `${r.route} → ${r.service}` : r.service),
          el("td", { class: "num" }, r.requests),
          el("td", { class: "num" }, r.perSecond.toFixed(2)),
          el("td", { class: "num" }, ms(r.p50)),
          el("td", { class: "num" }, ms(r.p95)),
          el("td", { class: "num" }, ms(r.p99)),
          el("td", { class: "num" }, r.classes["2xx"]),
          el("td", { class: "num" }, r.classes["4xx"]),
          el("td", { class: "num" }, r.classes["5xx"]),
        ),
      ),
    );
  const render = async () => {
    const data = await api("/api/requests");
    show(
      traffic(`Per route, last ${Math.round(data.window.seconds)} s`, data.window.routes, "Route"),
      traffic(`Per service, last ${Math.round(data.window.seconds)} s`, data.window.services, "Service"),
      table(
        data.unlisted > 0
          ? `Last requests: every traced or failed one (past ${data.newTracesPerSecond} new traces a second, ` +
              `the others are counted above, not listed: ${data.unlisted} so far)`
          : "Last requests",
        ["Time", "Request id", "Method", "Path", "Status", "Duration", "Replica", "Trace"],
        data.last.map((r) =>
          el(
            "tr",
            { "data-request": r.id },
            el("td", {}, clock(new Date(r.start).toISOString())),
            el("td", {}, r.id),
            el("td", {}, r.method),
            el("td", {}, r.path),
            el("td", { class: "num" }, r.status),
            el("td", { class: "num" }, ms(r.durationMs)),
            el("td", {}, r.replica ?? "—"),
            el("td", {}, r.traceId ? el("a", { href: `/traces?id=${r.traceId}` }, "trace") : "—"),
          ),
        ),
      ),
    );
  };
  await render();
  follow(["services"], render);
}

// ------------------------------------------------------------------------------------------ Traces
async function traces() {
  const params = new URLSearchParams(location.search);
  const id = params.get("id");
  if (id) {
    const render = async () => showTrace(await api(`/api/traces/${encodeURIComponent(id)}`));
    await render();
    // Spans come from processes a moment after the request: the page follows until they are in.
    return follow(["services"], render);
  }
  // The filters live in the page's URL (a reload keeps them) and go to the server as they are.
  const filter = { service: params.get("service") ?? "", q: params.get("q") ?? "", minMs: params.get("minMs") ?? "" };
  const service = el("select", { id: "t-service", name: "service" }, el("option", { value: "" }, "all"));
  const text = el("input", { id: "t-q", name: "q", type: "search", value: filter.q, autocomplete: "off", maxlength: "256" });
  const minMs = el("input", { id: "t-min", name: "minMs", type: "number", min: "0", step: "any", inputmode: "decimal", value: filter.minMs });
  const count = el("span", { role: "status", class: "count" });
  const list = el("div", { class: "trace-list" });
  let shown = null;
  const form = el(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter traces", onsubmit: (event) => event.preventDefault() },
    el("label", { for: "t-service" }, "Service"),
    service,
    el("label", { for: "t-q" }, "Root span or path"),
    text,
    el("label", { for: "t-min" }, "Min duration (ms)"),
    minMs,
    count,
  );
  // The status is spoken by screen readers: it changes only when its text does.
  const say = (text) => {
    if (count.textContent !== text) count.textContent = text;
  };
  let asked = 0;
  const render = async () => {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
    history.replaceState(null, "", `/traces${query.size ? `?${query}` : ""}`);
    const mine = ++asked;
    let data;
    try {
      data = await api(`/api/traces${query.size ? `?${query}` : ""}`);
    } catch (error) {
      if (mine !== asked) return;
      say(error.message);
      list.replaceChildren();
      return;
    }
    // An answer to an older question (the filters changed meanwhile) is dropped.
    if (mine !== asked) return;
    const names = data.services.includes(filter.service) || !filter.service ? data.services : [...data.services, filter.service];
    // Options are replaced only when they change, so a choice being made with the keyboard is not reset.
    if (names.join("\n") !== shown) {
      shown = names.join("\n");
      service.replaceChildren(el("option", { value: "" }, "all"), ...names.map((n) => el("option", { value: n }, n)));
    }
    service.value = filter.service;
    const filtered = filter.service || filter.q || filter.minMs;
    say(filtered ? `${data.matched} of ${data.held} traces match` : `${data.held} traces`);
    list.replaceChildren(
      data.traces.length
        ? table(
            data.matched > data.traces.length ? `Latest traces (newest ${data.traces.length})` : "Latest traces",
            ["Trace", "Name", "Path", "Services", "Spans", "Duration"],
            data.traces.map((t) =>
              el(
                "tr",
                { "data-trace": t.traceId },
                el("th", { scope: "row" }, el("a", { href: `/traces?id=${t.traceId}` }, t.traceId.slice(0, 12))),
                el("td", {}, t.name),
                el("td", {}, t.path ?? "—"),
                el("td", {}, t.services.join(", ")),
                el("td", { class: "num" }, t.spans),
                el("td", { class: "num" }, `${t.durationMs.toFixed(1)} ms`),
              ),
            ),
          )
        : el("p", {}, filtered ? "No trace matches these filters." : "No trace yet: requests through the gateway start one."),
    );
  };
  service.addEventListener("change", () => {
    filter.service = service.value;
    render();
  });
  let typing = null;
  const later = (apply) => () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      apply();
      render();
    }, 250);
  };
  text.addEventListener(
    "input",
    later(() => {
      filter.q = text.value;
    }),
  );
  minMs.addEventListener(
    "input",
    later(() => {
      // A number field reads "" while what is typed is not a number yet.
      filter.minMs = minMs.validity.valid ? minMs.value : filter.minMs;
    }),
  );
  show(form, list);
  await render();
  follow(["services"], render);
}

const SPAN_KINDS = ["", "internal", "server", "client", "producer", "consumer"];
/** A colour per service, in order of appearance (the gateway's always the same). */
const SERVICE_COLOURS = ["#1f5fbf", "#2e7d32", "#8e24aa", "#00838f", "#b26a00", "#5d4037"];

/** One trace: its spans as a waterfall in tree order, a span's attributes on demand, the request's log lines. */
function showTrace(data) {
  const start = Math.min(...data.spans.map((s) => s.start));
  const end = Math.max(...data.spans.map((s) => s.start + s.durationMs));
  const total = Math.max(end - start, 0.001);
  const services = [...new Set(data.spans.map((s) => s.service))];
  const colour = (service) =>
    service === "cairn-gateway" ? "#5a6475" : SERVICE_COLOURS[services.filter((x) => x !== "cairn-gateway").indexOf(service) % SERVICE_COLOURS.length];
  const details = el("section", { class: "span-details", "aria-live": "polite" });
  const select = (s, button) => {
    for (const b of content.querySelectorAll("button.span-name")) b.setAttribute("aria-pressed", String(b === button));
    const entries = Object.entries(s.attributes);
    details.replaceChildren(
      el("h2", {}, `${s.service} · ${s.name}`),
      el(
        "dl",
        {},
        el("dt", {}, "span id"),
        el("dd", {}, s.spanId),
        el("dt", {}, "parent"),
        el("dd", {}, s.parentSpanId ?? "none (root)"),
        el("dt", {}, "kind"),
        el("dd", {}, SPAN_KINDS[s.kind] || "unspecified"),
        el("dt", {}, "status"),
        el("dd", {}, s.statusCode === 2 ? `error${s.statusMessage ? `: ${s.statusMessage}` : ""}` : s.statusCode === 1 ? "ok" : "unset"),
        entries.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]),
      ),
    );
  };
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => el("span", { style: `left:${(f * 100).toFixed(0)}%` }, `${(f * total).toFixed(f === 0 ? 0 : 1)} ms`));
  const rows = data.spans.map((s) => {
    const button = el("button", { type: "button", class: "span-name", "aria-pressed": "false" }, s.name || "(no name)");
    button.addEventListener("click", () => select(s, button));
    return el(
      "tr",
      { "data-span": s.spanId, "data-parent": s.parentSpanId ?? "", "data-service": s.service, "data-depth": s.depth },
      el("th", { scope: "row" }, el("span", { class: "swatch", style: `background:${colour(s.service)}` }), s.service),
      el(
        "td",
        { class: "span-cell", style: `padding-left:${0.4 + s.depth * 1.2}rem` },
        s.depth > 0 ? el("span", { class: "elbow", "aria-hidden": "true" }, "└ ") : null,
        button,
      ),
      el("td", { class: "num" }, `+${(s.start - start).toFixed(1)} ms`),
      el("td", { class: "num" }, `${s.durationMs.toFixed(1)} ms`),
      el(
        "td",
        { class: "waterfall" },
        el("span", {
          class: s.statusCode === 2 ? "bar error" : "bar",
          title: `${s.name}: ${s.durationMs.toFixed(1)} ms`,
          style: `margin-left:${(((s.start - start) / total) * 100).toFixed(2)}%;width:${Math.max(0.5, (s.durationMs / total) * 100).toFixed(2)}%${s.statusCode === 2 ? "" : `;background:${colour(s.service)}`}`,
        }),
      ),
    );
  });
  const spansTable = el(
    "table",
    { class: "trace" },
    el("caption", {}, `Spans (${data.spans.length}), parents above their children`),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        ["Service", "Span", "Start", "Duration"].map((h) => el("th", { scope: "col" }, h)),
        el("th", { scope: "col", class: "waterfall" }, el("span", { class: "ticks" }, ticks)),
      ),
    ),
    el("tbody", {}, rows),
  );
  show(
    el("p", {}, el("a", { href: "/traces" }, "All traces"), ` · trace ${data.traceId} · ${(end - start).toFixed(1)} ms · ${services.join(", ")}`),
    spansTable,
    details,
    el("h2", {}, `Log lines of this request (${data.logs.length})`),
    data.logs.length
      ? el("ol", { class: "log trace-log", "aria-label": "Log lines of this request" }, data.logs.map(logRow))
      : el("p", {}, "No line names this trace: a process joins its lines to the trace by writing trace_id=<id>."),
  );
  const first = content.querySelector("button.span-name");
  if (first) select(data.spans[0], first);
}

// ----------------------------------------------------------------------------------------- Metrics
/** The latest point of each series processes send over OTLP, by service; filters kept in the URL. */
async function metrics() {
  const params = new URLSearchParams(location.search);
  const filter = { service: params.get("service") ?? "", name: params.get("name") ?? "" };
  const num = (n) => (typeof n === "number" ? (Number.isInteger(n) ? String(n) : n.toPrecision(6).replace(/\.?0+$/, "")) : (n ?? "—"));
  const attrs = (a) =>
    Object.entries(a)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ") || "—";
  // A delta series is shown as the total of the intervals the console received.
  const temporality = (s) => (s.temporality === "delta" ? "delta, added up here" : s.temporality);
  const kindOf = (s) =>
    s.kind === "sum" ? `${s.monotonic ? "counter" : "up-down sum"}, ${temporality(s)}` : s.kind === "gauge" ? "gauge" : `histogram, ${temporality(s)}`;
  const shown = (s) =>
    s.histogram ? `count ${num(s.histogram.count)} · sum ${num(s.histogram.sum)} · p50 ${num(s.histogram.p50)} · p95 ${num(s.histogram.p95)}` : num(s.value);
  const results = el("div", { id: "metric-results" });
  const serviceSelect = el("select", { id: "metric-service", name: "service" });
  const nameInput = el("input", { id: "metric-name", name: "name", type: "search", value: filter.name, placeholder: "part of a metric name" });
  const apply = () => {
    filter.service = serviceSelect.value;
    filter.name = nameInput.value;
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== ""));
    history.replaceState(null, "", `${location.pathname}${query.size ? `?${query}` : ""}`);
    return render();
  };
  serviceSelect.addEventListener("change", () => void apply().catch(() => {}));
  const render = async () => {
    const data = await api("/api/metrics");
    // Rebuilt only when the services change, so a keyboard user moving through the list keeps their place.
    if (serviceSelect.dataset.services !== data.services.join("\n")) {
      serviceSelect.dataset.services = data.services.join("\n");
      serviceSelect.replaceChildren(
        el("option", { value: "" }, "all services"),
        ...data.services.map((s) => el("option", { value: s, selected: s === filter.service }, s)),
      );
    }
    const wanted = data.series.filter((s) => (!filter.service || s.service === filter.service) && (!filter.name || s.name.includes(filter.name)));
    const byService = new Map();
    for (const s of wanted) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
    const dropped = data.dropped.map((d) => `${d.count} dropped: ${d.reason}`).join(" · ");
    results.replaceChildren(
      el(
        "p",
        {},
        `${data.series.length} of at most ${data.capacity} series kept, the latest point of each (${data.received} points received)`,
        dropped ? ` · ${dropped}` : "",
      ),
      ...(byService.size
        ? [...byService].map(([service, rows]) =>
            table(
              `Metrics of ${service}`,
              ["Metric", "Attributes", "Kind", "Value", "Unit", "Time"],
              rows.map((s) =>
                el(
                  "tr",
                  { "data-metric": s.name },
                  el("th", { scope: "row" }, s.name),
                  el("td", {}, attrs(s.attributes)),
                  el("td", {}, kindOf(s)),
                  el("td", { class: "num" }, shown(s)),
                  el("td", {}, s.unit || "—"),
                  el("td", {}, s.time === null ? "—" : clock(new Date(s.time).toISOString())),
                ),
              ),
            ),
          )
        : [
            el(
              "p",
              {},
              data.series.length ? "No series matches these filters." : "No metric yet: a process sends them with an OpenTelemetry SDK's OTLP metric exporter.",
            ),
          ]),
    );
  };
  show(
    form([el("label", { for: "metric-service" }, "Service "), serviceSelect, el("label", { for: "metric-name" }, " Metric "), nameInput, " "], "Filter", apply),
    results,
  );
  await render();
  follow(["services"], render);
}

/** A form with its fields and one submit button; errors show inside it. */
function form(fields, label, submit) {
  const status = el("span", { role: "status" });
  return el(
    "form",
    {
      class: "query",
      onsubmit: (event) => {
        event.preventDefault();
        status.textContent = "";
        submit().catch((error) => {
          status.textContent = error.message;
        });
      },
    },
    fields,
    el("button", { type: "submit" }, label),
    status,
  );
}

const PAGES = { overview, services, logs, requests, traces, metrics, jobs, data };
(PAGES[document.body.dataset.page] ?? overview)().catch((error) => show(failure(error)));
