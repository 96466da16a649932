/**
 * Whether the gateway reads a request at all, decided before routing, as nginx decides it: a request
 * that names its host twice, or an HTTP/1.1 request that names none, is refused with 400 (RFC 9112
 * §3.2: a server MUST answer 400 to either). Pure.
 */

/** Why a request's Host headers make it unreadable, or null when they are fine. */
export function hostProblem(hosts: number, httpVersion: string): string | null {
  if (hosts > 1) return "the request has more than one Host header";
  if (hosts === 0 && httpVersion !== "1.0") return "an HTTP/1.1 request must have a Host header";
  return null;
}
