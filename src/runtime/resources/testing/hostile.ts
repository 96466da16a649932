/** fast-check arbitraries for hostile HTTP requests: odd methods, paths, heads and bodies, as raw bytes. */
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
