/**
 * Every diagnostic code Cairn emits, with its severity and the hint shown when the finding gives
 * none. Codes are stable: tests, `--json` consumers and `lint.ignore` rely on them.
 */
import type { Severity } from "./types.js";

interface MessageInfo {
  readonly severity: Severity;
  readonly title: string;
  readonly hint: string;
}

export const messages = {
  "file/missing": { severity: "error", title: "stack file not found", hint: "Give the path of a cairn.yaml, or a folder that holds one." },
  "file/unreadable": { severity: "error", title: "stack file cannot be read", hint: "Check the file's permissions." },
  "file/binary": { severity: "error", title: "not a text file", hint: "A stack file is YAML text; check the path." },
  "file/too-large": { severity: "error", title: "stack file too large", hint: "A stack file above 4 MB is almost surely not one; check the path." },
  "file/empty": { severity: "error", title: "stack file is empty", hint: "Start from `name: my-stack` and a `services:` map; see examples/minimal." },
  "yaml/syntax": { severity: "error", title: "YAML syntax error", hint: "Check indentation and quoting near this place." },
  "yaml/duplicate-key": { severity: "error", title: "key given twice", hint: "Remove one of the two; YAML keeps only one." },
  "yaml/not-a-map": { severity: "error", title: "stack file is not a map", hint: "The top level must be keys such as `name:` and `services:`." },
  "schema/unknown-key": { severity: "error", title: "unknown key", hint: "Remove it or fix its spelling; `cairn check --json` lists the known keys." },
  "schema/missing": { severity: "error", title: "required key missing", hint: "Add it." },
  "schema/type": { severity: "error", title: "wrong type", hint: "Give a value of the expected type." },
  "schema/value": { severity: "error", title: "invalid value", hint: "Give one of the accepted values." },
  "schema/unit": { severity: "error", title: "invalid unit", hint: "Durations: 30s, 5m, 1h, 7d. Sizes: 512Mi, 2Gi, 4GB. Percentages: 70%." },
  "schema/name": { severity: "error", title: "invalid name", hint: "Names are lower-case letters, digits and dashes, starting with a letter (max 63)." },
  "schema/one-of": { severity: "error", title: "value does not match any accepted form", hint: "See the reference for the accepted forms." },
  "ref/syntax": {
    severity: "error",
    title: "malformed reference",
    hint: "References look like ${db.url}, ${secret.NAME} or ${domain}; write $${ for a literal ${.",
  },
  "ref/unknown": { severity: "error", title: "reference to an unknown part", hint: "Declare it under services, resources or secrets, or fix the name." },
  "ref/attribute": { severity: "error", title: "unknown attribute", hint: "Use one of the attributes listed in the message." },
  "ref/removed": {
    severity: "error",
    title: "uses a part this environment removes",
    hint: "Remove the use in that environment too, or keep the part there.",
  },
  "ref/context": { severity: "error", title: "reference not available here", hint: "${run.date} is only available in job args." },
  "secret/undeclared": { severity: "error", title: "secret used but not declared", hint: "Add it under `secrets:`." },
  "resource/name": {
    severity: "error",
    title: "invalid bucket or table name",
    hint: "Set `name:` on the resource to a name the cloud accepts (buckets: 3-63 lower-case letters, digits, dots, dashes).",
  },
  "port/clash": {
    severity: "error",
    title: "port used twice on one machine",
    hint: "Processes on one machine need their own ports: give this service another `port:` (containers, pods and cairn up do not need it).",
  },
  "deps/unknown": { severity: "error", title: "depends on an unknown part", hint: "List services and resources declared in this file." },
  "deps/cycle": { severity: "error", title: "dependency cycle", hint: "Break the cycle: a service cannot wait for itself." },
  "schedule/invalid": {
    severity: "error",
    title: "invalid schedule",
    hint: "Use cron (`0 2 * * *`) or `daily at 02:00`, `hourly`, `every 15m`, `weekly on mon at 03:00`, `monthly on 1 at 04:00`.",
  },
  "schedule/timezone": { severity: "error", title: "unknown time zone", hint: "Use an IANA name such as Europe/Paris or UTC." },
  "route/missing-service": { severity: "error", title: "route to an unknown service", hint: "Route to a declared service or static resource." },
  "route/no-port": { severity: "error", title: "route to a service without a port", hint: "Give the service a `port:`." },
  "route/duplicate": { severity: "error", title: "two routes match the same requests", hint: "Remove one or give them different hosts or paths." },
  "route/none": { severity: "error", title: "route needs a host or a path", hint: "Add `path: /` to route everything." },
  "env/unknown-part": { severity: "error", title: "override of an unknown part", hint: "Overrides may only change parts the stack declares." },
  "env/target": { severity: "error", title: "environment cannot be hosted on this target", hint: "Pick another target or change the stack." },
  "service/no-command": { severity: "error", title: "nothing to run", hint: "Give `run:` (a command) or `image:`." },
  "scale/bounds": { severity: "error", title: "scale bounds inverted", hint: "min must be at most desired, and desired at most max." },
  "scale/replicas-and-scale": {
    severity: "error",
    title: "both replicas and scale",
    hint: "Use `replicas:` for a fixed count or `scale:` for autoscaling, not both.",
  },
  "host/address": {
    severity: "error",
    title: "not a host address",
    hint: "Write `user@host[:port]`, such as root@203.0.113.10 or deploy@app.example.org:2222.",
  },
  "host/target": {
    severity: "error",
    title: "hosts on an environment that is not a vm",
    hint: "Give `target: vm` to the environment, or remove `hosts:` and `ssh:`.",
  },
  "host/unknown-part": { severity: "error", title: "a host runs an unknown part", hint: "Name services and jobs the stack declares." },
  "host/unplaced": {
    severity: "error",
    title: "a service runs on no host",
    hint: "Add it to a host's `services:`, or leave `services:` out on one host to run them all.",
  },
  "deploy/file": { severity: "error", title: "a file the deploy needs is missing", hint: "Fix the path: it is relative to the stack file's folder." },
  "env/variable-name": {
    severity: "error",
    title: "not a variable name",
    hint: "A variable name is letters, digits and underscores, not starting with a digit (such as API_KEY).",
  },
  "run/line-break": {
    severity: "error",
    title: "command on several lines",
    hint: "Write the command on one line (a YAML `>-` block folds lines), or put the steps in a script and run it.",
  },
  "run/reference": {
    severity: "error",
    title: "reference in a command",
    hint: "Pass the value through `env:` and read the variable in the command or the program.",
  },
  "path/outside-project": {
    severity: "error",
    title: "folder outside the project",
    hint: "Use a folder inside the stack file's folder, or add `outside_project: true` to the entry if it is meant.",
  },
  "alarm/syntax": { severity: "error", title: "alarm not understood", hint: "Write `cpu > 80% for 5m`, `error_rate > 5% for 2m` or `p95 > 3s for 5m`." },
  "lint/public-datastore": {
    severity: "warning",
    title: "data store reachable from the internet",
    hint: "Open database and cache ports only to the services that use them.",
  },
  "lint/ssh-open": { severity: "warning", title: "SSH open to everyone", hint: "Restrict `from:` to the admin address, such as 203.0.113.7/32." },
  "lint/secret-in-clear": {
    severity: "warning",
    title: "value looks like a secret written in clear",
    hint: "Declare a secret and write ${secret.NAME} instead.",
  },
  "lint/no-health": {
    severity: "warning",
    title: "routed service without a health check",
    hint: "Add `health: /health` so traffic only goes to replicas that answer.",
  },
  "lint/single-instance": {
    severity: "warning",
    title: "one instance and no backups",
    hint: "Add `backups: 7d` or a replica; a lost disk would lose the data.",
  },
  "lint/job-no-timeout": { severity: "warning", title: "job without a timeout", hint: "Add `timeout: 30m` so a stuck run does not block the next ones." },
  "lint/websocket-no-sticky": {
    severity: "warning",
    title: "several replicas of a WebSocket service without sticky sessions",
    hint: "Add `sticky: 1h` so a session stays on its replica.",
  },
  "lint/prefix-unknown": {
    severity: "warning",
    title: "service under a path prefix does not know its prefix",
    hint: "Set `base_path:` to the route's path so it builds its links and WebSocket URL under it.",
  },
  "lint/unused-secret": { severity: "warning", title: "secret declared but never used", hint: "Remove it or reference it as ${secret.NAME}." },
  "lint/without-effect": {
    severity: "warning",
    title: "a key that changes nothing where it is",
    hint: "Remove it, or add what it needs (a route in front of the service, a managed environment for the database).",
  },
  "lint/outside-project": {
    severity: "warning",
    title: "folder outside the project",
    hint: "Its files are uploaded or served as they are: make sure nothing private is in it.",
  },
  "lint/dotenv-not-ignored": {
    severity: "warning",
    title: "a .env holding secrets is not ignored by git",
    hint: "Add `.env` to .gitignore (and `git rm --cached .env` if it is tracked) so one `git add .` does not commit the secrets.",
  },
  "lint/ignore-unknown": { severity: "warning", title: "suppression matches no finding", hint: "Remove the entry from lint.ignore." },
} as const satisfies Record<string, MessageInfo>;

export type Code = keyof typeof messages;

/** The table entry for a code; unknown codes are an internal error. */
export function messageFor(code: string): MessageInfo {
  const info = (messages as Record<string, MessageInfo>)[code];
  if (!info) throw new Error(`internal: no message for diagnostic code ${code}`);
  return info;
}
