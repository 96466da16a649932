/**
 * The characters a message head may hold (RFC 9110 §5.1, §5.5, RFC 9112 §2.2), checked before the
 * gateway forwards a head it parsed itself: a bare CR or LF, or a control character, could smuggle
 * a header or a second message past it to a lenient server. Pure.
 */

/** A control character other than tab, DEL, or a CR or LF that is not part of a CRLF. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/;
/** A header name: an RFC 9110 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** True when the head (lines joined by CRLF) holds no forbidden character. */
export function cleanHead(head: string): boolean {
  return !FORBIDDEN.test(head);
}

/** True when a header name is a token. */
export function isToken(name: string): boolean {
  return TOKEN.test(name);
}
