/**
 * What verify asks a host over SSH, as one POSIX shell script, and how its answer is read: units
 * and timers from `systemctl show`, free space from `df -P`, loopback health checks with curl. Pure:
 * values are single-quoted for the shell, and the answer is parsed without trusting its shape.
 */
import type { RemoteExpectations } from "./types.js";

/** A word for the shell, single-quoted. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const SECTIONS = ["services", "timers", "disk", "health"] as const;
type Section = (typeof SECTIONS)[number];
const MARK = "@@cairn-verify:";

/** The script: read-only, no root needed; timestamps in UTC and messages in English, so the answer parses. */
export function remoteScript(expected: RemoteExpectations): string {
  const lines = ["export LC_ALL=C TZ=UTC SYSTEMD_PAGER='' SYSTEMD_COLORS=0", `echo '${MARK}services'`];
  const patterns = expected.services.map((s) => shellQuote(s.pattern)).join(" ");
  if (patterns) lines.push(`systemctl show --property=Id,LoadState,ActiveState,SubState,UnitFileState -- ${patterns} 2>&1`);
  lines.push(`echo '${MARK}timers'`);
  const timers = expected.timers.map((t) => shellQuote(t.unit)).join(" ");
  if (timers) lines.push(`systemctl show --property=Id,LoadState,ActiveState,UnitFileState,NextElapseUSecRealtime -- ${timers} 2>&1`);
  lines.push(`echo '${MARK}disk'`, `df -P -k -- ${expected.disks.map(shellQuote).join(" ")} 2>/dev/null`, `echo '${MARK}health'`);
  const asked = new Set<string>();
  for (const h of expected.health)
    for (const port of h.ports) {
      // Answers are read by port: a port asked twice (two paths) keeps its first path's answer.
      if (asked.has(String(port))) continue;
      asked.add(String(port));
      const url = shellQuote(`http://127.0.0.1:${port}${h.path}`);
      lines.push(
        `printf '%s ' ${port}; if command -v curl >/dev/null 2>&1; then curl -s -o /dev/null -w '%{http_code}\\n' --max-time 5 ${url} || true; else echo none; fi`,
      );
    }
  lines.push("exit 0");
  return `${lines.join("\n")}\n`;
}

/** One `systemctl show` block: its properties. */
export type UnitProperties = Readonly<Record<string, string>>;

export interface RemoteAnswer {
  readonly services: readonly UnitProperties[];
  readonly timers: readonly UnitProperties[];
  /** What systemctl said instead of properties (no systemd, no bus), when it did. */
  readonly systemdError: string | null;
  readonly disks: readonly { readonly mount: string; readonly sizeKb: number; readonly availableKb: number }[];
  /** HTTP status by loopback port; 0 when there was no answer, null when curl is missing. */
  readonly health: ReadonlyMap<number, number | null>;
}

function sections(stdout: string): Map<Section, string[]> {
  const found = new Map<Section, string[]>();
  let current: string[] | null = null;
  for (const line of stdout.split("\n")) {
    if (line.startsWith(MARK)) {
      const name = line.slice(MARK.length).trim() as Section;
      current = SECTIONS.includes(name) ? [] : null;
      if (current) found.set(name, current);
    } else current?.push(line);
  }
  return found;
}

function blocks(lines: readonly string[]): { units: UnitProperties[]; other: string[] } {
  const units: UnitProperties[] = [];
  const other: string[] = [];
  let unit: Record<string, string> = {};
  for (const line of [...lines, ""]) {
    const eq = line.indexOf("=");
    if (line.trim() === "") {
      if (Object.keys(unit).length) units.push(unit);
      unit = {};
    } else if (eq > 0 && /^[A-Za-z]+$/.test(line.slice(0, eq))) unit[line.slice(0, eq)] = line.slice(eq + 1);
    else other.push(line.trim());
  }
  return { units, other };
}

/** Reads the script's answer; anything it does not recognize is left out. */
export function parseAnswer(stdout: string): RemoteAnswer {
  const parts = sections(stdout);
  const services = blocks(parts.get("services") ?? []);
  const timers = blocks(parts.get("timers") ?? []);
  const other = [...services.other, ...timers.other];
  const disks = new Map<string, { mount: string; sizeKb: number; availableKb: number }>();
  for (const line of (parts.get("disk") ?? []).slice(1)) {
    // Filesystem 1024-blocks Used Available Capacity Mounted-on (the mount point may hold spaces).
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6) continue;
    const [size, , available] = fields.slice(1, 4).map(Number);
    const mount = fields.slice(5).join(" ");
    if (size !== undefined && available !== undefined && Number.isFinite(size) && Number.isFinite(available))
      disks.set(mount, { mount, sizeKb: size, availableKb: available });
  }
  const health = new Map<number, number | null>();
  for (const line of parts.get("health") ?? []) {
    const [port, code] = line.trim().split(/\s+/);
    if (!port || !/^\d+$/.test(port)) continue;
    health.set(Number(port), code === "none" ? null : /^\d{3}$/.test(code ?? "") ? Number(code) : 0);
  }
  return { services: services.units, timers: timers.units, systemdError: other.length ? other.join(" ") : null, disks: [...disks.values()], health };
}
