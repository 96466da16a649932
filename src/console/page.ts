/** The HTML shell of every console page; the script fills it from the JSON API and the event stream. */

export const PAGES = [
  { path: "/", id: "overview", title: "Overview" },
  { path: "/services", id: "services", title: "Services" },
  { path: "/logs", id: "logs", title: "Logs" },
  { path: "/requests", id: "requests", title: "Requests" },
  { path: "/traces", id: "traces", title: "Traces" },
  // Not `/metrics`: that is the Prometheus text the console serves to local scrapers.
  { path: "/app-metrics", id: "metrics", title: "Metrics" },
  { path: "/jobs", id: "jobs", title: "Jobs" },
  { path: "/data", id: "data", title: "Data" },
] as const;

export type PageId = (typeof PAGES)[number]["id"];

/** Allows only the console's own script and style (inline style attributes for the diagram's SVG). */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page for `id`, carrying the session's CSRF token for the script's POSTs. */
export function renderPage(id: PageId, stack: string, environment: string, csrf: string): string {
  const page = PAGES.find((p) => p.id === id) ?? PAGES[0];
  const nav = PAGES.map((p) => `<a href="${p.path}"${p.id === id ? ' aria-current="page"' : ""}>${p.title}</a>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrf)}">
<title>${escapeHtml(page.title)} · ${escapeHtml(stack)} (${escapeHtml(environment)}) · Cairn</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body data-page="${page.id}">
<header><strong>${escapeHtml(stack)}</strong> <span class="env">${escapeHtml(environment)}</span><nav aria-label="Console pages">${nav}</nav><span id="live" role="status" aria-live="polite">connecting…</span></header>
<main id="main" tabindex="-1"><h1>${escapeHtml(page.title)}</h1><div id="content" aria-busy="true">loading…</div></main>
</body>
</html>
`;
}
