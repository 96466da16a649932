/**
 * The guides of the four reference architectures carry every fact of their architecture
 * (shared/architectures.md and the teams' own documents): ports, security groups or firewall rules,
 * schedules, health settings, scaling, and the cost of each phase with Cairn's figures (computed here
 * by the cost module, as `cairn cost` prints them). One test per example lists its facts.
 */
import { describe, expect, it } from "vitest";
import { costsOf } from "./guide.js";
import { wordsFor } from "./i18n/words.js";
import { renderMarkdown } from "./render-markdown.js";
import { exampleGuide, exampleStacks, shippedBook } from "./test-support.js";

/** The Markdown guide with wrapped lines joined again and non-breaking spaces as spaces, to search in. */
async function guideText(name: string, lang: "en" | "fr" = "en"): Promise<string> {
  const md = renderMarkdown((await exampleGuide(name, lang)).document, "Contents");
  return md
    .replace(/\n {2,3}(?=\S)(?!- )/g, " ")
    .replace(/\n(?=[^\n|#`\-\s\d])/g, " ")
    .replace(/[\u00a0\u202f]/g, " ");
}

/** The facts the text lacks. */
function missing(text: string, facts: readonly string[]): string[] {
  return facts.filter((f) => !text.includes(f));
}

/** Each environment's monthly total on each option it is priced on, as the guide writes it. */
async function phaseRows(name: string, lang: "en" | "fr"): Promise<string[]> {
  const w = wordsFor(lang);
  const book = shippedBook();
  const rows: string[] = [];
  for (const stack of await exampleStacks(name))
    for (const c of costsOf(stack, book)) rows.push(`| \`${c.environment}\` | \`${c.option}\` | ${w.usd(c.total).replace(/[\u00a0\u202f]/g, " ")} |`);
  return rows;
}

describe("the guides carry their architecture's facts", () => {
  it("A. Mangetamain: one dashboard on 8501 on a t3.medium, open to the world, SSH from the admin only", async () => {
    const md = await guideText("mangetamain");
    expect(
      missing(md, [
        "| `dashboard` | service | `node app/dashboard.mjs` | `8501` | 1.5 vCPU · 3 GiB | 1 replica | health /\\_stcore/health every 30s; timeout 5s, healthy after 2, unhealthy after 3, grace 20s |",
        "| the machine | 8501 | TCP | anywhere | dashboard |",
        "| the machine | 22 | TCP | 198.51.100.7/32 | admin SSH |",
        "| the machine | all others | TCP/UDP | anywhere | refused |",
        "Machine: 1 × `t3.medium`",
        "Region: `eu-west-3`",
        "a 20 GB disk",
        "`dashboard`: restart always, 10s after a failure; 20s to stop cleanly.",
        "No reverse proxy: the service's own port is public (`8501`).",
      ]),
    ).toEqual([]);
    expect(missing(md, await phaseRows("mangetamain", "en"))).toEqual([]);
  });

  it("B. CityFlow: API on 5001 and dashboard on 8501 behind nginx on 80/443, the processor daily at 02:00 Paris time", async () => {
    const md = await guideText("cityflow");
    expect(
      missing(md, [
        "| api.cityflow.example.org | `/` | `api` |",
        "| dashboard.cityflow.example.org | `/` | `dashboard` | WebSocket |",
        "| the machine | 443 | TCP | anywhere | public entry (edge) |",
        "| the machine | 80 | TCP | anywhere | public entry (edge) |",
        "| the machine | 22 | TCP | 198.51.100.7/32 | admin SSH |",
        "| the machine | 5001, 5002, 8501, 8502 | TCP | 127.0.0.1 | replicas and data stores, loopback only |",
        "| `processor` | every day at 02:00 | `0 2 * * *` | `*-*-* 02:00:00 Europe/Paris` | Europe/Paris | a missed run is caught up; stopped after 30m; 2 retries; never two runs at once |",
        "health /health every 10s; timeout 3s, healthy after 2, unhealthy after 3",
        "`api`: restart always, 10s after a failure",
        "`dashboard`: restart always, 10s after a failure",
        "| `metrics` | key-value table (DynamoDB API) | managed by the cloud |",
        "`metrics`: key metric\\_type / date",
        "`report-index`: key date / —",
        "| `reports` | object storage (S3 API) · versioned | managed by the cloud | — | object versioning |",
        "Machine: 1 × `t3.medium`",
        "Machine: 1 × `t3.large`",
        "| 1 x t3.medium (systemd: every process) |",
        "5000, 5001, 5002, 5432, 5601, 6379, 8000, 8080, 8443, 8501, 8502, 9200, 11211, 27017 are closed",
      ]),
    ).toEqual([]);
    expect(missing(md, await phaseRows("cityflow", "en"))).toEqual([]);
  });

  it("C. Harena: three APIs behind one port with path routes, external stores reached through secrets named only", async () => {
    const md = await guideText("harena");
    expect(
      missing(md, [
        "| any host | `/api/user` | `user-service` |",
        "| any host | `/api/search` | `search-service` |",
        "| any host | `/api/conversation` | `conversation-service` |",
        "| any host | `/health` | `user-service` |",
        "| `DATABASE_URL` | `DATABASE_URL` | connection string of the existing PostgreSQL server |",
        "| `BONSAI_URL` | `BONSAI_URL` |",
        "| `SECRET_KEY` | `SECRET_KEY` | JWT signing key (HS256) |",
        "| `LLM_API_KEY` | `LLM_API_KEY` |",
        "| `db` | external postgres, not managed by the stack |",
        "| `search` | external elasticsearch, not managed by the stack |",
        "| `user-service` | service | `python3 app/service.py user` | `8000` | 0.5 vCPU · 1 GiB |",
        "| group of the load balancer | 443 | TCP | anywhere | public entry (edge) |",
        "| group of the load balancer | 80 | TCP | anywhere | public entry (edge) |",
        "| group of search-service | 8000 | TCP | group of conversation-service | service to service |",
        "| group of user-service | 8000 | TCP | group of conversation-service | service to service |",
        "rate limit 300/min per client",
        "Machine: 1 × `t3.medium`",
      ]),
    ).toEqual([]);
    expect(md).not.toMatch(/PASSWORD@|\bsk-[A-Za-z0-9]{6}/);
    expect(missing(md, await phaseRows("harena", "en"))).toEqual([]);
  });

  it("D. ForestGuard: Fargate 2 to 10 tasks behind an ALB, the security-group chain, RDS Multi-AZ, Redis, alarms, three phases", async () => {
    const md = await guideText("forestguard");
    expect(
      missing(md, [
        "health /healthz every 30s; timeout 5s, healthy after 2, unhealthy after 3, grace 1m",
        "2 to 10 replicas (desired 3) · CPU 70% and memory 80%",
        "scale-out cooldown 1m, scale-in cooldown 5m",
        "sticky sessions 1h",
        "| group of the load balancer | 443 | TCP | anywhere | public entry (edge) |",
        "| group of the load balancer | 80 | TCP | anywhere | public entry (edge) |",
        "| group of dashboard | 8501 | TCP | group of the load balancer | from the load balancer |",
        "| group of db | 5432 | TCP | group of dashboard | database access |",
        "| group of cache | 6379 | TCP | group of dashboard | cache access |",
        "| `db` | PostgreSQL 15 + postgis | managed by the cloud | 100 GB · `db.t3.medium` | every day at 03:00, kept 7 days | encrypted at rest and in transit | `dashboard` |",
        "`db`: 100 GB · Multi-AZ · 1 read replica",
        // The team's RDS windows.
        "maintenance window sun 04:00-05:00 UTC",
        "| `cache` | Redis 7 · 3 GB | managed by the cloud | 3 GB · `cache.t3.medium` |",
        "`cache`: allkeys-lru · 1 replica",
        "`geojson`: 30 days → infrequent access, 90 days → Glacier",
        "`backups`: 30 days → deleted",
        "| `cpu > 80% for 5m` | CPU \\> 80 % for 5m |",
        "| `memory > 90% for 5m` | memory \\> 90 % for 5m |",
        "| `error_rate > 5% for 2m` | error rate (5xx) \\> 5 % for 2m |",
        "| `p95 > 3s for 5m` | 95th percentile response time \\> 3s for 5m |",
        "WAF: sqli, xss, geo",
        "The edge accepts 443, 80/tcp from anywhere.",
        "Traffic is encrypted with TLS; plain HTTP is redirected to HTTPS.",
        "| Cloudflare Pro | plan (from the file) | 1 | month | 20 | $20.00 |",
        "| Datadog | plan (from the file) | 1 | month | 45 | $45.00 |",
        "| Sentry | plan (from the file) | 1 | month | 26 | $26.00 |",
      ]),
    ).toEqual([]);
    expect(missing(md, await phaseRows("forestguard", "en"))).toEqual([]);
  });

  it("writes the same facts in French, with French numbers and money", async () => {
    const md = await guideText("forestguard", "fr");
    expect(
      missing(md, [
        "| groupe de db | 5432 | TCP | groupe de dashboard | accès à la base |",
        "santé /healthz toutes les 30 s",
        "2 à 10 réplicas (souhaité : 3) · CPU à 70 % et mémoire à 80 %",
        "chaque jour à 03:00, gardées 7 jours",
        "fenêtre de maintenance sun 04:00-05:00 UTC",
      ]),
    ).toEqual([]);
    expect(missing(md, await phaseRows("forestguard", "fr"))).toEqual([]);
    expect(md).toMatch(/\| `production` \| `aws` \| \d{3},\d{2} \$US \|/u);
  });
});
