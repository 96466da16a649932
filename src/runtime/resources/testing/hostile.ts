/**
 * fast-check arbitraries for hostile input as raw bytes: HTTP requests (odd methods, paths, heads,
 * cookies and bodies) and Postgres wire traffic (start-up packets and messages, whole or broken).
 */
import fc from "fast-check";

const methods = fc.constantFrom("GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH", "G\u00e9T", "", "CONNECT");
const paths = fc.oneof(
  fc.constantFrom(
    "/",
    "/%",
    "//",
    "/%ZZ",
    "/%C0%AF",
    "/%C2%80",
    "/a/%",
    "/../..",
    "/?acl",
    "/b?delete",
    "/b/k?uploadId=../x&partNumber=1",
    "*",
    "/b/k?partNumber=99999",
  ),
  fc.string({ unit: "binary", maxLength: 60 }).map((s) => `/${s}`),
  fc.webPath(),
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("-1", "99999999999999999999", "chunked", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "aws-chunked", "bytes=9-1"),
  // Sticky cookies that are not valid percent-encoding (one ended `cairn up`), and odd framing values.
  fc.constantFrom("cairn_web=%", "cairn_web=%E0%A4%A", "a=1; cairn_web=%ZZ", "cairn_web=web.1", "100-continue", "websocket", "close"),
);
const headerName = fc.oneof(
  fc.constantFrom(
    "content-length",
    "transfer-encoding",
    "content-md5",
    "x-amz-target",
    "x-amz-copy-source",
    "range",
    "if-match",
    "x-amz-content-sha256",
    "content-type",
    "x-amz-decoded-content-length",
    "host",
    "cookie",
    "expect",
    "connection",
    "upgrade",
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const body = fc
  .oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.constantFrom("{", "[]", '{"TableName":{}}', "<Delete><Object><Key>a</Key></Object></Delete>", "0\r\n\r\n", "ff;chunk-signature=x\r\nabc"),
  )
  .map((b) => Buffer.from(b));

/** One raw request: a request line, some headers, a blank line and a body (not always consistent). */
export const hostileRequest = fc
  .record({ method: methods, path: paths, headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }), body, bareLf: fc.boolean() })
  .map(({ method, path, headers, body, bareLf }) => {
    const eol = bareLf ? "\n" : "\r\n";
    const head = [`${method} ${path} HTTP/1.1`, "host: 127.0.0.1", ...headers.map(([n, v]) => `${n}: ${v}`)].join(eol);
    return Buffer.concat([Buffer.from(`${head}${eol}${eol}`, "latin1"), body]);
  });

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n | 0);
  return b;
};

/** A Postgres protocol 3.0 start-up packet (user cairn, database db). */
export const pgStartup = (() => {
  const body = Buffer.concat([int32(196608), Buffer.from("user\0cairn\0database\0db\0\0")]);
  return Buffer.concat([int32(body.length + 4), body]);
})();

/** One message of any type (known or not) with a length that is right, or off, or absurd. */
const pgMessage = fc
  .tuple(fc.constantFrom(..."BCdcfDEHFPpQSXz\0"), fc.uint8Array({ maxLength: 64 }), fc.integer({ min: -8, max: 80 }))
  .map(([type, body, delta]) => Buffer.concat([Buffer.from(type, "latin1"), int32(body.length + 4 + (delta % 3 === 0 ? delta : 0)), body]));

/** A PasswordMessage carrying `password`. */
export function pgPassword(password: string): Buffer {
  const body = Buffer.from(`${password}\0`);
  return Buffer.concat([Buffer.from("p"), int32(body.length + 4), body]);
}

/**
 * Bytes to a Postgres wire port: noise, broken start-ups, a start-up without the password followed by
 * anything, or (past the password when one is given) a session of hostile messages.
 */
export function hostileWire(password: string | null = null): fc.Arbitrary<Buffer> {
  const login = password === null ? pgStartup : Buffer.concat([pgStartup, pgPassword(password)]);
  return fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    fc.tuple(fc.integer({ min: -4, max: 20_000 }), fc.integer()).map(([length, code]) => Buffer.concat([int32(length), int32(code)])),
    fc.array(pgMessage, { maxLength: 3 }).map((m) => Buffer.concat([pgStartup, ...m])),
    fc.array(pgMessage, { maxLength: 4 }).map((m) => Buffer.concat([login, ...m])),
  );
}
