/**
 * Values of the stack file that the vm files write where quoting cannot make every string data (an
 * nginx `location`, a `server_name`, a unit's `WorkingDirectory=`, a shell variable name, an SQL
 * identifier) must have the shape of what they are. Everything else is quoted for its format where
 * it is written. Pure: errors as target notes, so nothing is written when one is found.
 */
import type { Stack } from "../../model/types.js";
import { routeHost } from "../common/edge.js";
import type { TargetNote } from "../types.js";

/** A URL path nginx, curl and the shell take as plain text: no spaces, quotes, braces, `;`, `#`, `$` or `\`. */
export const URL_PATH = /^\/[A-Za-z0-9._~!&()*+,=:@%/-]*$/;
/** A host name as nginx's `server_name` and a certificate take it (`*.` allowed first). */
export const HOST_NAME = /^(\*\.)?[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
/** A relative folder inside the project. */
export const RELATIVE_DIR = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/-]+$/;
/** A shell and environment variable name. */
export const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An SQL identifier Cairn creates without quoting. */
export const SQL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** A PostgreSQL extension name. */
export const EXTENSION = /^[a-z0-9_-]{1,63}$/;

const shown = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** Every value the vm target cannot write safely as it is. */
export function unsafeValues(stack: Stack): TargetNote[] {
  const errors: TargetNote[] = [];
  const check = (ok: boolean, part: string, what: string, value: string, instead: string) => {
    if (!ok) errors.push({ part, message: `${shown(value)} is not ${what}`, instead });
  };
  for (const [i, route] of stack.routes.entries()) {
    check(
      URL_PATH.test(route.path),
      `routes.${i}.path`,
      "a plain URL path",
      route.path,
      "use letters, digits and - . _ ~ / in paths (percent-encode the rest)",
    );
    const host = routeHost(route, stack);
    if (host !== null) check(HOST_NAME.test(host), `routes.${i}.host`, "a host name", host, "give a DNS name such as api.example.org");
  }
  if (stack.environment.domain !== null)
    check(HOST_NAME.test(stack.environment.domain), "domain", "a host name", stack.environment.domain, "give a DNS name such as example.org");
  for (const service of stack.services) {
    const at = `services.${service.name}`;
    if (service.health?.path)
      check(URL_PATH.test(service.health.path), `${at}.health.path`, "a plain URL path", service.health.path, "use a path such as /health");
    if (service.basePath) check(URL_PATH.test(service.basePath.path), `${at}.base_path`, "a plain URL path", service.basePath.path, "use a path such as /app");
  }
  for (const process of [...stack.services, ...stack.jobs]) {
    const at = `${process.kind === "service" ? "services" : "jobs"}.${process.name}`;
    if (process.cwd !== ".") check(RELATIVE_DIR.test(process.cwd), `${at}.cwd`, "a folder inside the project", process.cwd, "give a relative path without ..");
    for (const v of process.env) {
      check(VARIABLE.test(v.name), `${at}.env.${v.name}`, "a variable name", v.name, "use letters, digits and _, not starting with a digit");
      const text = v.value.map((p) => (p.kind === "text" ? p.text : "")).join("");
      check(!text.includes("\u0000"), `${at}.env.${v.name}`, "text without a NUL character", text, "remove the NUL character");
    }
  }
  for (const secret of stack.secrets)
    check(VARIABLE.test(secret.name), `secrets.${secret.name}`, "a variable name", secret.name, "use letters, digits and _, not starting with a digit");
  for (const r of stack.resources) {
    if (r.type === "postgres") {
      check(SQL_NAME.test(r.database), `resources.${r.name}.database`, "a database name", r.database, "use lower-case letters, digits and _");
      for (const ext of r.extensions)
        check(EXTENSION.test(ext), `resources.${r.name}.extensions`, "an extension name", ext, "name an extension such as postgis");
    }
    if (r.type === "static")
      check(RELATIVE_DIR.test(r.dir), `resources.${r.name}.dir`, "a folder inside the project", r.dir, "give a relative path without ..");
  }
  return errors;
}
