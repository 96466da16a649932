/**
 * The install script: idempotent (run it again after any change), run as root from the output
 * folder. It creates the user and folders, fills the per-process variable files from the secrets
 * file, sets up the local data stores, installs units, nginx, firewall, log rotation and the
 * CloudWatch agent's files, and starts what is not running. Pure: returns the script's text.
 */
import type { Postgres, Redis } from "../../model/types.js";
import { cloudwatchSection, type VmCloudWatch } from "./cloudwatch.js";
import type { ProcessEnv, StoreKey } from "./env.js";
import { pgPasswordKey, pgRole } from "./env.js";
import { unitBase, type VmLayout } from "./layout.js";
import type { VmTls } from "./plan.js";

export interface InstallPlan {
  readonly layout: VmLayout;
  readonly keys: readonly StoreKey[];
  /** Variable files to write, by process name. */
  readonly envFiles: readonly { readonly process: string; readonly env: ProcessEnv }[];
  readonly postgres: readonly Postgres[];
  readonly redis: readonly Redis[];
  /** Units to enable and start: service instances and timers. */
  readonly start: readonly string[];
  /** Slot names of the service replicas (`<unit prefix>-<instance>`). */
  readonly slots: readonly string[];
  readonly nginx: boolean;
  readonly tls: VmTls;
  readonly firewall: boolean;
  readonly logrotate: boolean;
  /** The CloudWatch agent's files (in `cloudwatch/`), or null. */
  readonly cloudwatch: VmCloudWatch | null;
}

/** Path of a process's variable file on the VM. */
export function envFilePath(layout: VmLayout, process: string): string {
  return `${layout.confDir}/env/${process}.env`;
}

/** The secrets file, generated passwords, the check for missing keys and the root-only variable files. */
export function secretsSection(plan: InstallPlan): string[] {
  const { layout } = plan;
  const lines = [
    "# Secrets: the file is created empty once; fill it, then run this script again.",
    `if [ ! -f ${layout.secretsFile} ]; then`,
    `  install -m 0600 "$HERE/env/${layout.stack.name}.env.example" ${layout.secretsFile}`,
    "fi",
  ];
  for (const key of plan.keys.filter((k) => k.kind === "generated")) {
    lines.push(
      `if ! grep -q '^${key.name}=.' ${layout.secretsFile}; then`,
      `  sed -i '/^${key.name}=/d' ${layout.secretsFile}`,
      `  printf '${key.name}=%s\\n' "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \\n')" >> ${layout.secretsFile}`,
      "fi",
    );
  }
  lines.push("set -a", "# shellcheck source=/dev/null", `. ${layout.secretsFile}`, "set +a", 'missing=""');
  for (const key of plan.keys.filter((k) => !k.optional)) lines.push(`[ -n "\${${key.name}:-}" ] || missing="$missing ${key.name}"`);
  lines.push('if [ -n "$missing" ]; then', `  echo "install.sh: fill in ${layout.secretsFile}:$missing" >&2`, "  exit 1", "fi");
  // systemd reads these files as root before it starts a process: only root reads them.
  lines.push(`install -d -m 0700 ${layout.confDir}/env`);
  for (const { process, env } of plan.envFiles) {
    if (env.composed.length === 0) continue;
    const path = envFilePath(layout, process);
    lines.push(
      "umask 077",
      "{",
      ...env.composed.map(([name, value]) => `  env_line ${name} "${value}"`),
      `} > ${path}.new`,
      `mv ${path}.new ${path}`,
      "umask 022",
    );
  }
  return lines;
}

/** Debian's PostgreSQL cluster: packages, settings, the role, one database per resource with its extensions. */
export function postgresSection(plan: InstallPlan): string[] {
  if (plan.postgres.length === 0) return [];
  const { layout } = plan;
  const role = pgRole(layout.stack);
  const version = Math.max(...plan.postgres.map((p) => p.version));
  const extensions = [...new Set(plan.postgres.flatMap((p) => p.extensions))];
  const postgis = extensions.includes("postgis")
    ? [`need_package /usr/share/postgresql/${version}/extension/postgis.control postgresql-${version}-postgis-3`]
    : [];
  const lines = [
    "# PostgreSQL on this machine: Debian's cluster, one database per resource.",
    `need_package /usr/lib/postgresql/${version}/bin/postgres postgresql-${version}`,
    ...postgis,
    `install -m 0644 "$HERE/postgres/${layout.stack.name}.conf" /etc/postgresql/${version}/main/conf.d/${layout.stack.name}.conf`,
    "systemctl enable --now postgresql.service",
    "systemctl reload postgresql.service",
  ];
  const first = plan.postgres[0];
  if (first) {
    const password = `\${${pgPasswordKey()}}`;
    lines.push(
      `if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '${role}'" | grep -q 1; then`,
      `  runuser -u postgres -- psql -v ON_ERROR_STOP=1 -c "CREATE ROLE ${role} LOGIN"`,
      "fi",
      `runuser -u postgres -- psql -v ON_ERROR_STOP=1 -c "ALTER ROLE ${role} PASSWORD '${password}'"`,
    );
  }
  for (const db of plan.postgres) {
    lines.push(
      `if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = '${db.database}'" | grep -q 1; then`,
      `  runuser -u postgres -- createdb --owner=${role} ${db.database}`,
      "fi",
    );
    for (const ext of db.extensions)
      lines.push(`runuser -u postgres -- psql -v ON_ERROR_STOP=1 -d ${db.database} -c 'CREATE EXTENSION IF NOT EXISTS "${ext}"'`);
    if (db.backups) lines.push(`install -d -m 0750 -o postgres -g postgres ${layout.backupDir}/${db.name}`);
  }
  return lines;
}

/** One instance of Debian's redis-server@.service per resource. */
export function redisSection(plan: InstallPlan): string[] {
  if (plan.redis.length === 0) return [];
  const { layout } = plan;
  const lines = [
    "# Redis on this machine: one instance of redis-server@.service per resource.",
    "need_package redis-server redis-server",
    // Debian starts its own instance on 6379 when the package is installed; the stack's instances replace it.
    "systemctl disable --now redis-server.service >/dev/null 2>&1 || true",
  ];
  for (const r of plan.redis) {
    const name = unitBase(layout.stack, r.name);
    lines.push(`install -m 0640 -o redis -g redis "$HERE/redis/redis-${name}.conf" /etc/redis/redis-${name}.conf`);
    lines.push(`systemctl enable --now redis-server@${name}.service`);
    if (r.backups) lines.push(`install -d -m 0750 -o redis -g redis ${layout.backupDir}/${r.name}`);
  }
  return lines;
}

/** The certificate: your own files checked, or Let's Encrypt's obtained once with certbot. */
export function certificateLines(plan: Pick<InstallPlan, "tls">): string[] {
  const lines: string[] = [];
  const { tls } = plan;
  if (tls.kind === "files")
    lines.push(
      `# The certificate of your own: put the chain and the key there (cairn deploy copies them from ${tls.cert} and ${tls.key}).`,
      `if [ ! -f ${tls.dir}/fullchain.pem ] || [ ! -f ${tls.dir}/privkey.pem ]; then`,
      `  echo "install.sh: put the certificate chain in ${tls.dir}/fullchain.pem and its key in ${tls.dir}/privkey.pem (mode 600)" >&2`,
      "  exit 1",
      "fi",
    );
  if (tls.kind === "letsencrypt") {
    const domains = tls.hosts.map((h) => `-d ${h}`).join(" ");
    lines.push(
      `if [ ! -f ${tls.dir}/fullchain.pem ]; then`,
      "  need_package certbot certbot",
      '  : "${CERTBOT_EMAIL:?set CERTBOT_EMAIL in the secrets file: the address for certificate notices}"',
      `  certbot certonly --standalone --non-interactive --agree-tos -m "$CERTBOT_EMAIL" ${domains} --pre-hook 'systemctl stop nginx' --post-hook 'systemctl start nginx'`,
      "fi",
    );
  }
  return lines;
}

function nginxSection(plan: InstallPlan): string[] {
  if (!plan.nginx) return [];
  const name = plan.layout.stack.name;
  return [
    "# nginx: the site is checked before nginx reloads.",
    "need_package nginx nginx",
    "install -d -m 0755 /var/www/letsencrypt",
    ...certificateLines(plan),
    // Debian's own default site also claims `default_server` on port 80.
    "rm -f /etc/nginx/sites-enabled/default",
    `install -m 0644 "$HERE/nginx/${name}.conf" /etc/nginx/sites-available/${name}.conf`,
    `ln -sf ../sites-available/${name}.conf /etc/nginx/sites-enabled/${name}.conf`,
    "nginx -t",
    "systemctl enable nginx.service",
    "systemctl reload-or-restart nginx.service",
  ];
}

/** The whole script. */
export function installScript(plan: InstallPlan): string {
  const { layout } = plan;
  const { stack } = layout;
  const units = plan.start.length ? [`systemctl enable --now ${plan.start.join(" ")}`] : [];
  const lines = [
    "#!/bin/sh",
    `# Installs ${stack.name} (${stack.environment.name}) on this machine, or brings it up to date. Generated by cairn build.`,
    `# Run as root from this folder after copying the project to ${layout.currentDir}: sudo ./install.sh`,
    "set -eu",
    'HERE=$(cd "$(dirname "$0")" && pwd)',
    'if [ "$(id -u)" -ne 0 ]; then echo "install.sh: run as root (sudo ./install.sh)" >&2; exit 1; fi',
    "",
    "# need_package COMMAND-OR-FILE PACKAGE...: installs the packages when the command or file is missing.",
    "need_package() {",
    '  { [ -e "$1" ] || command -v "$1" >/dev/null 2>&1; } && return 0',
    "  shift",
    '  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"',
    "}",
    "",
    '# env_line NAME VALUE: a line of a systemd environment file, the value double-quoted with \\ " ` $ escaped.',
    "env_line() {",
    `  printf '%s="%s"\\n' "$1" "$(printf '%s' "$2" | sed 's/[\\\\"\`$]/\\\\&/g')"`,
    "}",
    "",
    `id -u ${layout.user} >/dev/null 2>&1 || useradd --system --home-dir ${layout.appDir} --shell /usr/sbin/nologin ${layout.user}`,
    `install -d -m 0750 -o ${layout.user} -g ${layout.user} ${layout.appDir} ${layout.dataDir} ${layout.logDir}`,
    `install -d -m 0755 ${layout.slotsDir}`,
    // Each replica runs the release its slot points at; by hand, that is the one in current.
    ...plan.slots.map((slot) => `[ -L ${layout.slotsDir}/${slot} ] || ln -s ../current ${layout.slotsDir}/${slot}`),
    `install -d -m 0750 ${layout.confDir}`,
    // The database and cache users write their backups in their own folders below this one.
    `install -d -m 0711 ${layout.backupDir}`,
    "",
    ...secretsSection(plan),
    "",
    ...postgresSection(plan),
    "",
    ...redisSection(plan),
    "",
    "# Units: installed, reloaded, enabled and started (running ones keep running: update.sh restarts them).",
    `for unit in "$HERE"/systemd/*; do [ -e "$unit" ] && install -m 0644 "$unit" /etc/systemd/system/; done`,
    "systemctl daemon-reload",
    ...units,
    "",
    ...nginxSection(plan),
    "",
    plan.firewall ? 'sh "$HERE/firewall.sh"' : "",
    plan.logrotate ? `install -m 0644 "$HERE/logrotate/${stack.name}" /etc/logrotate.d/${stack.name}` : "",
    ...(plan.cloudwatch ? ["", ...cloudwatchSection(stack.name, plan.cloudwatch)] : []),
    `echo "install.sh: ${stack.name} (${stack.environment.name}) is installed"`,
  ];
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}
