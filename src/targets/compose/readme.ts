/** The README of the compose output. Pure. */
import type { Stack } from "../../model/types.js";
import { filesSection, notesSection, readmeHeader, table } from "../common/readme.js";
import type { GeneratedFile, TargetNote } from "../types.js";
import type { ComposeLayout } from "./layout.js";
import type { EnvKey } from "./values.js";

function describe(path: string): string {
  if (path === "compose.yaml") return "the services, data stores and the nginx proxy";
  if (path === ".env.example") return "names of the secrets and passwords: copy to `.env` and fill";
  if (path.startsWith("nginx/")) return "nginx site, mounted into the nginx container";
  if (path.startsWith("postgres/")) return "PostgreSQL extensions, run when the database is created";
  if (path.endsWith(".timer")) return "host timer of a job";
  if (path.startsWith("systemd/")) return "host unit that runs a job with `docker compose run`";
  return "";
}

export function composeReadme(
  stack: Stack,
  files: readonly GeneratedFile[],
  keys: readonly EnvKey[],
  warnings: readonly TargetNote[],
  outDir: string | undefined,
  layout: ComposeLayout,
): string {
  const rows = keys.map((k) => [`\`${k.name}\``, k.optional ? "optional" : "required", k.description]);
  const lines = [
    ...readmeHeader(`${stack.name} with Docker Compose`, stack.name, stack.environment.name, "compose", outDir),
    ...filesSection(files, describe),
    "## Deploy",
    "",
    `1. On a machine with Docker and the compose plugin, put the project in \`/opt/${stack.name}\` and this folder in \`${layout.deployDir}\``,
    "   (the compose file refers to the project by a relative path for builds and mounts).",
    "2. `cp .env.example .env`, fill it (see below), `chmod 600 .env`.",
    "3. `docker compose up -d --build`; `docker compose ps` shows the health of each container.",
    stack.jobs.length
      ? "4. Jobs: `sudo install -m 644 systemd/* /etc/systemd/system/ && sudo systemctl daemon-reload && sudo systemctl enable --now " +
        stack.jobs.map((j) => `${stack.name}-${j.name}.timer`).join(" ") +
        "`."
      : "",
    "",
    "## Secrets and where they go",
    "",
    "Every secret is a name in `.env` beside compose.yaml; the compose file refers to it (`${NAME:?...}`) and never holds a value.",
    "",
    ...(rows.length ? table(["name", "", "what"], rows) : ["This stack has no secrets."]),
    "",
    "## Update",
    "",
    "`docker compose pull && docker compose up -d --build`: compose replaces changed containers. Services with several replicas are",
    "replaced together; nginx retries another replica on a failed connection, but expect a short interruption.",
    "",
    "## Roll back",
    "",
    "Set the previous image tags (or check out the previous project and this folder as built from the previous stack file), then",
    "`docker compose up -d`. Data stays in the named volumes.",
    "",
    "## Logs",
    "",
    "`docker compose logs -f [service]`: every container, nginx included (its access log goes to its output).",
    "",
    "## Jobs",
    "",
    "Jobs are compose services in the `jobs` profile (not started by `up`), run by host systemd timers with `docker compose run --rm`:",
    "compose has no scheduler, and a timer catches up a missed run (`Persistent=`), stops a run past its timeout and never overlaps",
    "runs, without one more container running all day. `systemctl list-timers` shows the next runs.",
    "",
    ...notesSection(warnings),
  ];
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
