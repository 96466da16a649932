import { describe, expect, it } from "vitest";
import { parseResponseHead } from "./response-head.js";

describe("answer heads from replicas", () => {
  it("keeps the headers in order and reads the length", () => {
    expect(parseResponseHead("HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length:  12 \r\nX-A: b", "GET")).toEqual({
      status: 200,
      raw: ["Server", "x", "Content-Length", "12", "X-A", "b"],
      framing: { kind: "length", length: 12 },
      keepAlive: true,
    });
  });

  it("frames bodies as RFC 9112 says", () => {
    const framing = (head: string, method = "GET") => parseResponseHead(head, method)?.framing.kind;
    expect(framing("HTTP/1.1 200 OK\r\nContent-Length: 5", "HEAD")).toBe("none");
    expect(framing("HTTP/1.1 204 No Content")).toBe("none");
    expect(framing("HTTP/1.1 304 Not Modified\r\nContent-Length: 9")).toBe("none");
    expect(framing("HTTP/1.1 103 Early Hints\r\nLink: </a.css>")).toBe("none");
    expect(framing("HTTP/1.1 200 OK\r\nContent-Length: 0")).toBe("none");
    expect(framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 4")).toBe("chunked");
    expect(framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip")).toBe("close");
    expect(framing("HTTP/1.1 200 OK")).toBe("close");
    expect(framing("HTTP/1.1 500")).toBe("close");
  });

  it("drops the length of an answer that also has a transfer coding, and closes after it", () => {
    const head = parseResponseHead("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nX-A: 1", "GET");
    expect(head).toEqual({ status: 200, raw: ["Transfer-Encoding", "chunked", "X-A", "1"], framing: { kind: "chunked" }, keepAlive: false });
    const gzip = parseResponseHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 4", "GET");
    expect([gzip?.framing.kind, gzip?.keepAlive]).toEqual(["close", false]);
  });

  it("knows when the connection can carry another request", () => {
    const keep = (head: string) => parseResponseHead(head, "GET")?.keepAlive;
    expect(keep("HTTP/1.1 200 OK\r\nContent-Length: 1")).toBe(true);
    expect(keep("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1")).toBe(false);
    expect(keep("HTTP/1.0 200 OK\r\nContent-Length: 1")).toBe(false);
    expect(keep("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1")).toBe(true);
    expect(keep("HTTP/1.1 200 OK")).toBe(false);
  });

  it("refuses malformed heads", () => {
    for (const head of [
      "HTTP/2 200 OK",
      "HTTP/1.1 20 OK",
      "HTTP/1.1 2000 OK",
      "HTTP/1.1 abc OK",
      "HTTP/1.1 099 Low",
      "ICY 200 OK",
      "HTTP/1.1 200 OK\r\nNo colon here",
      "HTTP/1.1 200 OK\r\n folded: value",
      "HTTP/1.1 200 OK\r\nContent-Length: 12abc",
      "HTTP/1.1 200 OK\r\nContent-Length: -1",
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4",
      "HTTP/1.1 200 OK\r\nX-A: 1\nSet-Cookie: injected=1",
      "HTTP/1.1 200 OK\r\nX-A: a\u007fb",
      "HTTP/1.1 200 OK\r\nX A: 1",
      "HTTP/1.1 200 OK\r\nX-A: 1\r",
    ])
      expect(parseResponseHead(head, "GET"), head).toBeNull();
  });
});
