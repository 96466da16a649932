/** Certificates for tests, made with the real openssl: a private CA and server certificates with chosen dates. */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Certificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly pem: string;
}

const openssl = (args: string[], cwd: string) => execFileSync("openssl", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });

/** openssl's `YYYYMMDDHHMMSSZ`. */
const stamp = (d: Date) => `${d.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;

/** A CA valid for ten years from `now`. */
export function makeCa(dir: string): Certificate {
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "3650",
      "-subj",
      "/CN=Cairn verify test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  return { certFile: join(dir, "ca.pem"), keyFile: join(dir, "ca.key"), pem: readFileSync(join(dir, "ca.pem"), "utf8") };
}

/** A server certificate for `name`, signed by `ca`, valid from `from` to `to` (either may be in the past). */
export function makeServerCertificate(dir: string, ca: Certificate, name: string, from: Date, to: Date, file: string): Certificate {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), `${Date.now().toString(16).padStart(16, "0")}\n`);
  writeFileSync(
    join(dir, "ca.cnf"),
    [
      "[ca]",
      "default_ca = test",
      "[test]",
      `dir = ${dir}`,
      "database = $dir/index.txt",
      "new_certs_dir = $dir",
      "serial = $dir/serial",
      "default_md = sha256",
      "policy = any",
      "unique_subject = no",
      "[any]",
      "commonName = supplied",
      "[server]",
      `subjectAltName = DNS:${name}`,
      "basicConstraints = critical,CA:FALSE",
      "keyUsage = critical,digitalSignature",
      "extendedKeyUsage = serverAuth",
      "",
    ].join("\n"),
  );
  openssl(
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${file}.key`, "-out", `${file}.csr`, "-subj", `/CN=${name}`],
    dir,
  );
  openssl(
    [
      "ca",
      "-config",
      "ca.cnf",
      "-batch",
      "-notext",
      "-extensions",
      "server",
      "-cert",
      ca.certFile,
      "-keyfile",
      ca.keyFile,
      "-startdate",
      stamp(from),
      "-enddate",
      stamp(to),
      "-in",
      `${file}.csr`,
      "-out",
      `${file}.pem`,
    ],
    dir,
  );
  return { certFile: join(dir, `${file}.pem`), keyFile: join(dir, `${file}.key`), pem: readFileSync(join(dir, `${file}.pem`), "utf8") };
}
