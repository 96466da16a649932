import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { createGateway } from "./gateway.js";
import { parseHead } from "./lane-head.js";
import { startUpstream } from "./testing.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A gateway in front of one upstream that echoes method, path and body size. */
async function setup() {
  const upstream = await startUpstream("api", (req, res) => {
    let size = 0;
    req.on("data", (c: Buffer) => (size += c.length));
    req.on("end", () => {
      const body = `${req.method} ${req.url} ${size}`;
      if (req.url?.startsWith("/api/chunked")) {
        res.writeHead(200);
        res.write("part1-");
        res.end("part2");
      } else {
        res.writeHead(200, { "content-length": Buffer.byteLength(body) });
        res.end(req.method === "HEAD" ? undefined : body);
      }
    });
  });
  cleanup.push(() => upstream.close());
  return gatewayInFront(upstream.port);
}

/** A gateway routing /api to one replica on `upstreamPort` (health checks on /h); resolves with its port. */
async function gatewayInFront(upstreamPort: number): Promise<number> {
  const gateway = createGateway({
    stack: stackFrom(
      "name: s\nservices:\n  api: { run: x, port: 1, health: { path: /h, interval: 50ms, healthy: 1 } }\nroutes:\n  - { path: /api, to: api }\n",
    ),
    port: 0,
  });
  const { port } = await gateway.start();
  cleanup.push(() => gateway.close());
  gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: upstreamPort }]);
  await gateway.waitHealthy("api", "api-1", 2_000);
  return port;
}

/** Writes raw bytes, reads until the server closes or `until` matches what was read. */
function exchange(port: number, text: string, until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let got = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(got);
    }, 2_000);
    socket.on("data", (d) => {
      got += d.toString("latin1");
      if (until?.test(got)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got);
      }
    });
    socket.on("end", () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.on("error", reject);
    socket.write(text);
  });
}

const bodies = (text: string) => [...text.matchAll(/\r\n\r\n([A-Z]+ \S+ \d+)/g)].map((m) => m[1]);

describe("the gateway's lean HTTP/1.1 lane", () => {
  it("answers pipelined requests in order on one connection", async () => {
    const port = await setup();
    const got = await exchange(
      port,
      "GET /api/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /api/2 HTTP/1.1\r\nHost: a\r\n\r\nGET /api/3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    expect(bodies(got)).toEqual(["GET /api/1 0", "GET /api/2 0", "GET /api/3 0"]);
    expect(got.match(/connection: keep-alive/g)).toHaveLength(2);
    expect(got).toMatch(/connection: close\r\n\r\nGET \/api\/3 0$/);
  });

  it("hands a connection to node:http at the first request with a body, and keeps serving it", async () => {
    const port = await setup();
    const got = await exchange(
      port,
      "GET /api/a HTTP/1.1\r\nHost: a\r\n\r\nPOST /api/b HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /api/c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    expect(bodies(got)).toEqual(["GET /api/a 0", "POST /api/b 5", "GET /api/c 0"]);
  });

  it("frames an upstream answer of unknown length as chunked, and HEAD without a body", async () => {
    const port = await setup();
    const chunked = await exchange(port, "GET /api/chunked HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(chunked).toMatch(/transfer-encoding: chunked/);
    expect(chunked).toMatch(/\r\n\r\n6\r\npart1-\r\n5\r\npart2\r\n0\r\n\r\n$/);
    const head = await exchange(port, "HEAD /api/h HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(head).toMatch(/content-length: 13\r\n/i);
    expect(head.endsWith("\r\n\r\n")).toBe(true);
  });

  it("closes an HTTP/1.0 connection after the answer unless asked to keep it", async () => {
    const port = await setup();
    const got = await exchange(port, "GET /api/old HTTP/1.0\r\n\r\n");
    expect(got).toMatch(/connection: close/);
    expect(bodies(got)).toEqual(["GET /api/old 0"]);
  });

  it("sends an answer of unknown length to an HTTP/1.0 client unchunked, ended by the close", async () => {
    const port = await setup();
    const got = await exchange(port, "GET /api/chunked HTTP/1.0\r\n\r\n");
    expect(got).not.toMatch(/transfer-encoding/i);
    expect(got).toMatch(/connection: close\r\n\r\npart1-part2$/);
  });

  it("never forwards a head with a bare LF or a control character: node:http refuses it", async () => {
    const port = await setup();
    expect(await exchange(port, "GET /api/x HTTP/1.1\r\nHost: a\r\nX-A: 1\nContent-Length: 5\r\n\r\nhello")).toMatch(/^HTTP\/1.1 400 Bad Request/);
    expect(await exchange(port, "GET /api/x HTTP/1.1\r\nHost: a\r\nX-A: a\u0001b\r\n\r\n")).toMatch(/^HTTP\/1.1 400 Bad Request/);
  });

  it("leaves malformed or oversized heads and unrouted paths to node:http", async () => {
    const port = await setup();
    expect(await exchange(port, "GARBAGE\r\n\r\n")).toMatch(/^HTTP\/1.1 400 Bad Request/);
    expect(await exchange(port, `GET /api/x HTTP/1.1\r\nHost: a\r\nX-Big: ${"y".repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1.1 4(00|31)/);
    expect(await exchange(port, "GET /elsewhere HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")).toMatch(
      /^HTTP\/1.1 404 Not Found[\s\S]*no route for a\/elsewhere/,
    );
  });
});

describe("request heads the lane serves itself", () => {
  it("parses a plain head, keeping header order and case", () => {
    expect(parseHead("GET /a?b=1 HTTP/1.1\r\nHost: x:80\r\nX-Id:  7 \r\nAccept: */*")).toEqual({
      method: "GET",
      url: "/a?b=1",
      raw: ["Host", "x:80", "X-Id", "7", "Accept", "*/*"],
      host: "x:80",
      keepAlive: true,
      http10: false,
    });
    expect(parseHead("GET / HTTP/1.0")?.keepAlive).toBe(false);
    expect(parseHead("GET / HTTP/1.0\r\nConnection: keep-alive")?.keepAlive).toBe(true);
    expect(parseHead("GET / HTTP/1.1\r\nConnection: close")?.keepAlive).toBe(false);
    expect(parseHead("DELETE /x HTTP/1.1\r\nContent-Length: 0")?.method).toBe("DELETE");
  });

  it("leaves bodies, upgrades, Expect, folded or malformed lines and other versions to node:http", () => {
    for (const head of [
      "POST / HTTP/1.1\r\nContent-Length: 3",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked",
      "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket",
      "PUT / HTTP/1.1\r\nExpect: 100-continue",
      "GET / HTTP/1.1\r\nX-A: 1\r\n  folded",
      "GET / HTTP/1.1\r\nBad Name : 1",
      "GET / HTTP/1.1\r\nNoColon",
      "GET / HTTP/2.0",
      "GET http://x/ HTTP/1.1",
      "GARBAGE",
      // What a lenient replica could read as a second header or a second request.
      "GET /x\nX-Forwarded-For: 1.2.3.4 HTTP/1.1",
      "GET /a b HTTP/1.1",
      "GET / HTTP/1.1\r\nX-A: 1\nContent-Length: 5",
      "GET / HTTP/1.1\r\nX-A: 1\rX-B: 2",
      "GET / HTTP/1.1\r\nX-A: a\u0000b",
      "GET / HTTP/1.1\r\nX-A: a\u007fb",
      "GET / HTTP/1.1\r\nX(A): 1",
    ])
      expect(parseHead(head), JSON.stringify(head)).toBeNull();
    expect(parseHead("GET / HTTP/1.1\r\nX-A: caf\u00e9\tok")?.raw).toEqual(["X-A", "caf\u00e9\tok"]);
  });
});

describe("answers from replicas that break the rules", () => {
  /** A gateway in front of a raw TCP replica that writes `answer` to each request (health checks included). */
  async function rawSetup(answer: (socket: net.Socket, head: string) => void) {
    const server = net.createServer((socket) => {
      socket.on("error", () => undefined);
      let buffered = "";
      socket.on("data", (d) => {
        buffered += d.toString("latin1");
        for (let end = buffered.indexOf("\r\n\r\n"); end !== -1; end = buffered.indexOf("\r\n\r\n")) {
          const head = buffered.slice(0, end);
          buffered = buffered.slice(end + 4);
          if (head.startsWith("GET /h ")) socket.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
          else answer(socket, head);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    return gatewayInFront((server.address() as net.AddressInfo).port);
  }

  it("costs no request when the replica closes each keep-alive connection right after answering", async () => {
    const port = await rawSetup((s) => {
      s.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      s.end();
    });
    const http = await import("node:http");
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const statuses = await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) =>
          new Promise<number>((resolve) =>
            http
              .get({ host: "127.0.0.1", port, path: `/api/${i}`, agent }, (res) => {
                res.resume();
                res.on("end", () => resolve(res.statusCode ?? 0));
              })
              .on("error", () => resolve(-1)),
          ),
      ),
    );
    agent.destroy();
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it("answers 502 for a header a client must not receive, on either client path, and keeps serving", async () => {
    const port = await rawSetup((s, head) =>
      s.write(
        head.includes("/api/bad") ? "HTTP/1.1 200 OK\r\nX-Evil: a\u007fb\r\nContent-Length: 2\r\n\r\nno" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      ),
    );
    const lane = await exchange(port, "GET /api/bad HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(lane).toMatch(/^HTTP\/1.1 502 Bad Gateway[\s\S]*a malformed answer head/);
    // A POST first moves the connection to node:http, whose own checks of answer headers would throw.
    const handed = await exchange(
      port,
      "POST /api/p HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nxGET /api/bad HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    expect(handed).toMatch(/HTTP\/1.1 502 Bad Gateway[\s\S]*a malformed answer head/);
    expect(await exchange(port, "GET /api/fine HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")).toMatch(/^HTTP\/1.1 200 OK[\s\S]*\r\n\r\nok$/);
  });
});
