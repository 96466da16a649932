/**
 * The TLS check: a handshake with the host name as SNI, then the certificate judged: trusted, valid
 * for the name, and days to expiry by the injected clock.
 */
import { isIP } from "node:net";
import { checkServerIdentity, connect, type PeerCertificate, rootCertificates } from "node:tls";
import type { ProbeOptions } from "./probe-http.js";
import { reason } from "./probe-http.js";
import type { CheckStatus, HttpRequest } from "./types.js";

export interface CertificateFacts {
  readonly subject: string;
  readonly names: readonly string[];
  readonly issuer: string;
  readonly validTo: Date;
  /** Node's verdict on the chain (with the real clock): null when trusted. */
  readonly chainError: string | null;
  /** Why the certificate is not valid for the name, or null. */
  readonly nameError: string | null;
}

const DAY = 86_400_000;

/** Reads the peer certificate of a TLS handshake. */
export function handshake(
  request: HttpRequest,
  options: ProbeOptions,
): Promise<{ ok: true; facts: CertificateFacts; ms: number } | { ok: false; error: string; ms: number }> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const name = request.host;
  return new Promise((done) => {
    const socket = connect({
      host: request.entrance.connect ?? name,
      port: request.entrance.port,
      servername: isIP(name) ? undefined : name,
      rejectUnauthorized: false,
      // The system's roots plus the private CA given, as a browser configured with it would trust.
      ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      done({ ok: false, error: `no TLS handshake within ${options.timeoutMs} ms`, ms: ms() });
    }, options.timeoutMs);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const cert: PeerCertificate = socket.getPeerCertificate();
      const identity = checkServerIdentity(name, cert);
      const names = (cert.subjectaltname ?? "")
        .split(",")
        .map((s) => s.trim().replace(/^(DNS|IP Address):/, ""))
        .filter(Boolean);
      const authorizationError = socket.authorizationError as unknown as string | Error | null;
      done({
        ok: true,
        ms: ms(),
        facts: {
          subject: String(cert.subject?.CN ?? ""),
          names,
          issuer: String(cert.issuer?.O ?? cert.issuer?.CN ?? ""),
          validTo: new Date(cert.valid_to),
          chainError: authorizationError ? String((authorizationError as NodeJS.ErrnoException).code ?? authorizationError) : null,
          nameError: identity ? identity.message : null,
        },
      });
      socket.destroy();
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      done({ ok: false, error: reason(error), ms: ms() });
    });
  });
}

const date = (d: Date) => d.toISOString().slice(0, 10);

/** The verdict on a certificate for `name` at `now`: expired and untrusted fail, under `warnDays` left warns. Pure. */
export function judgeCertificate(facts: CertificateFacts, name: string, now: Date, warnDays: number): { status: CheckStatus; detail: string } {
  const days = Math.floor((facts.validTo.getTime() - now.getTime()) / DAY);
  if (days < 0 || facts.chainError === "CERT_HAS_EXPIRED") {
    const ago = Math.floor((now.getTime() - facts.validTo.getTime()) / DAY);
    return { status: "fail", detail: `expired on ${date(facts.validTo)}${ago >= 0 ? ` (${ago} day${ago === 1 ? "" : "s"} ago)` : ""}` };
  }
  if (facts.nameError) return { status: "fail", detail: `not valid for ${name} (it names ${facts.names.join(", ") || facts.subject || "nothing"})` };
  if (facts.chainError) return { status: "fail", detail: `not trusted: ${facts.chainError}` };
  const issuer = facts.issuer ? `, issuer ${facts.issuer}` : "";
  if (days < warnDays) return { status: "warn", detail: `expires in ${days} days (${date(facts.validTo)}): renew it${issuer}` };
  return { status: "pass", detail: `valid, ${days} days to expiry (${date(facts.validTo)})${issuer}` };
}
