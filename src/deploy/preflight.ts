/**
 * Files a deploy reads from the deployer's disk: the SSH key and the edge's own certificate and
 * key. Findings with the place in the stack file that names them, so they show like every other
 * error of the file.
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { Finding } from "../diagnostics/types.js";
import type { Stack } from "../model/types.js";
import type { StackFile } from "../schema/stack.js";

export function missingFiles(stack: Stack, input: StackFile | null): Finding[] {
  const findings: Finding[] = [];
  const env = stack.environment.name;
  const check = (path: string | null, at: (string | number)[], what: string) => {
    if (path === null) return;
    const full = isAbsolute(path) ? path : resolve(stack.root, path);
    if (!existsSync(full)) findings.push({ code: "deploy/file", message: `${what} ${path} does not exist (${full})`, path: at });
  };
  check(stack.environment.ssh.key, ["environments", env, "ssh", "key"], "the SSH key");
  const tls = stack.edge.tls;
  if (tls.mode === "certificate" && tls.key !== null && !tls.certificate.startsWith("arn:")) {
    const own = (input?.environments?.[env]?.edge as { tls?: unknown } | undefined)?.tls !== undefined;
    const base = own ? ["environments", env, "edge", "tls"] : ["edge", "tls"];
    check(tls.certificate, [...base, "cert"], "the certificate");
    check(tls.key, [...base, "key"], "the certificate's key");
  }
  return findings;
}
