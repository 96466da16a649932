import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "./testing.js";
import { type UpstreamHandler, UpstreamLane, type UpstreamRequest } from "./upstream-lane.js";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

/** A replica speaking raw bytes: `answer` gets each request head (in order) and writes what it likes. */
async function replica(answer: (socket: net.Socket, head: string, n: number) => void) {
  const seen: string[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let buffered = "";
    socket.on("error", () => undefined);
    socket.on("data", (d) => {
      buffered += d.toString("latin1");
      for (let end = buffered.indexOf("\r\n\r\n"); end !== -1; end = buffered.indexOf("\r\n\r\n")) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        seen.push(head);
        answer(socket, head, seen.length);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  const lane = new UpstreamLane("127.0.0.1", port);
  cleanup.push(() => {
    lane.close(true);
    server.close();
  });
  return { lane, port, seen, connections: () => connections };
}

interface Outcome {
  status: number;
  headers: string[];
  body: string;
  error: (Error & { code?: string }) | null;
}

/** Sends one request; resolves once the handler hears the end or an error. */
function send(lane: UpstreamLane, request: Partial<UpstreamRequest> = {}, slow?: { pauseFirst: boolean }): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { status: 0, headers: [], body: "", error: null };
    let resume: (() => void) | null = null;
    let paused = false;
    const handler: UpstreamHandler = {
      onConnect: () => undefined,
      onHeaders(status, raw, go) {
        out.status = status;
        out.headers = raw;
        resume = go;
        return true;
      },
      onData(chunk) {
        out.body += chunk.toString("latin1");
        if (slow?.pauseFirst && !paused) {
          paused = true;
          setTimeout(() => resume?.(), 50);
          return false;
        }
        return true;
      },
      onComplete: () => resolve(out),
      onError(error) {
        out.error = error;
        resolve(out);
      },
    };
    lane.dispatch({ method: "GET", path: "/", headers: [], timeoutMs: 2_000, ...request }, handler);
  });
}

describe("upstream lane: keep-alive connections for bodyless requests", () => {
  it("writes one request head with a Host, and reuses the connection for the next request", async () => {
    const r = await replica((s, head, n) => s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${String(n).length}\r\n\r\n${head.startsWith("HEAD") ? "" : n}`));
    const first = await send(r.lane, { path: "/a?b=1", headers: ["X-Request-Id", "r1"] });
    const second = await send(r.lane, { method: "HEAD", path: "/c" });
    const third = await send(r.lane);
    expect([first.body, second.body, third.body]).toEqual(["1", "", "3"]);
    expect(r.seen[0]).toBe(`GET /a?b=1 HTTP/1.1\r\nX-Request-Id: r1\r\nhost: 127.0.0.1:${r.port}`);
    expect(r.seen[1]?.startsWith("HEAD /c HTTP/1.1\r\n")).toBe(true);
    expect(r.connections()).toBe(1);
    expect(r.lane.size).toBe(1);
  });

  it("skips 1xx answers, decodes a chunked body split across writes, and drops trailers", async () => {
    const r = await replica((s) => {
      s.write("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
      setTimeout(() => s.write("lo\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n"), 20);
    });
    const got = await send(r.lane);
    expect(got.status).toBe(200);
    expect(got.body).toBe("hello world");
    expect(got.headers).toEqual(["Transfer-Encoding", "chunked"]);
    expect((await send(r.lane)).body).toBe("hello world");
    expect(r.connections()).toBe(1);
  });

  it("reads a body without length until the close, and does not reuse that connection", async () => {
    const r = await replica((s) => s.end("HTTP/1.1 200 OK\r\n\r\nuntil the end"));
    expect((await send(r.lane)).body).toBe("until the end");
    expect((await send(r.lane)).body).toBe("until the end");
    expect(r.connections()).toBe(2);
  });

  it("closes instead of reusing after `Connection: close` or bytes past the answer", async () => {
    const r = await replica((s, _h, n) =>
      s.write(n === 1 ? "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na" : "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nbEXTRA"),
    );
    expect((await send(r.lane)).body).toBe("a");
    expect((await send(r.lane)).body).toBe("b");
    expect((await send(r.lane)).body).toBe("b");
    expect(r.connections()).toBe(3);
  });

  it("waits for a slow client (backpressure), then serves the next request on the same connection", async () => {
    const body = "x".repeat(300_000);
    const r = await replica((s) => s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    expect((await send(r.lane, {}, { pauseFirst: true })).body.length).toBe(body.length);
    expect((await send(r.lane, {}, { pauseFirst: true })).body.length).toBe(body.length);
    expect(r.connections()).toBe(1);
  });

  it("does not time a client that is slow to read: the timeout is the replica's", async () => {
    const r = await replica((s) => {
      s.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabc");
      setTimeout(() => s.write("def"), 50);
    });
    const got = await new Promise<Outcome>((resolve) => {
      const out: Outcome = { status: 0, headers: [], body: "", error: null };
      let go: (() => void) | null = null;
      r.lane.dispatch(
        { method: "GET", path: "/", headers: [], timeoutMs: 100 },
        {
          onConnect: () => undefined,
          onHeaders(status, _raw, resume) {
            out.status = status;
            go = resume;
            setTimeout(() => go?.(), 400);
            return false;
          },
          onData(chunk) {
            out.body += chunk.toString();
            return true;
          },
          onComplete: () => resolve(out),
          onError(error) {
            out.error = error;
            resolve(out);
          },
        },
      );
    });
    expect([got.error, got.body]).toEqual([null, "abcdef"]);
    const silent = await send(r.lane, { timeoutMs: 100 });
    expect(silent.body).toBe("abcdef");
  });

  it("ends the exchange, not the process, when the handler throws", async () => {
    const r = await replica((s) => s.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    const error = await new Promise<Error>((resolve) => {
      r.lane.dispatch(
        { method: "GET", path: "/", headers: [], timeoutMs: 1_000 },
        {
          onConnect: () => undefined,
          onHeaders() {
            throw new Error("refused by the client side");
          },
          onData: () => true,
          onComplete: () => resolve(new Error("completed")),
          onError: resolve,
        },
      );
    });
    expect(error.message).toBe("refused by the client side");
    expect((await send(r.lane)).body).toBe("ok");
  });

  it("fails with a code the relay sorts on: refused, closed, malformed, timed out", async () => {
    const closed = await replica((s) => s.destroy());
    expect((await send(closed.lane)).error?.code).toBe("ECONNRESET");
    const cut = await replica((s) => s.end("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
    expect((await send(cut.lane)).error?.code).toBe("ECLOSED");
    const malformed = await replica((s) => s.write("HTTP/1.1 2xx Nope\r\n\r\n"));
    expect((await send(malformed.lane)).error?.code).toBe("EPROTO");
    const injected = await replica((s) => s.write("HTTP/1.1 200 OK\r\nX-A: 1\nSet-Cookie: x=1\r\nContent-Length: 0\r\n\r\n"));
    expect((await send(injected.lane)).error?.code).toBe("EPROTO");
    const badChunks = await replica((s) => s.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
    expect((await send(badChunks.lane)).error?.code).toBe("EPROTO");
    const silent = await replica(() => undefined);
    expect((await send(silent.lane, { timeoutMs: 100 })).error?.code).toBe("ETIMEDOUT_HEAD");
    const stalled = await replica((s) => s.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
    const stall = await send(stalled.lane, { timeoutMs: 100 });
    expect([stall.error?.code, stall.body]).toEqual(["ETIMEDOUT_BODY", "abc"]);
    const refused = new UpstreamLane("127.0.0.1", await freedPort());
    expect((await send(refused)).error?.code).toBe("ECONNREFUSED");
  });

  it("cancels a request: the connection is dropped and the handler hears why", async () => {
    let replicaSaw = false;
    const r = await replica((s) => {
      s.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nstart");
      s.on("close", () => (replicaSaw = true));
    });
    const outcome = new Promise<Outcome>((resolve) => {
      const out: Outcome = { status: 0, headers: [], body: "", error: null };
      let abort: ((reason?: Error) => void) | null = null;
      r.lane.dispatch(
        { method: "GET", path: "/", headers: [], timeoutMs: 2_000 },
        {
          onConnect: (a) => (abort = a),
          onHeaders(status) {
            out.status = status;
            return true;
          },
          onData(chunk) {
            out.body += chunk.toString();
            abort?.();
            return true;
          },
          onComplete: () => resolve(out),
          onError(error) {
            out.error = error;
            resolve(out);
          },
        },
      );
    });
    const got = await outcome;
    expect([got.status, got.body, (got.error as Error & { code?: string })?.code]).toEqual([200, "start", "ECANCELED"]);
    await until(() => replicaSaw, 2_000, "the replica to see the close");
    expect(r.lane.size).toBe(0);
  });

  it("refuses new requests once closed, and lets a busy connection finish", async () => {
    let later: (() => void) | null = null;
    const r = await replica((s) => (later = () => s.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")));
    const busy = send(r.lane);
    await until(() => later !== null, 2_000, "the request upstream");
    r.lane.close();
    expect((await send(r.lane)).error?.message).toMatch(/being removed/);
    (later as unknown as () => void)();
    expect((await busy).body).toBe("ok");
    await until(() => r.lane.size === 0, 2_000, "the connection closed");
  });
});

/** A port nothing listens on (taken, then freed). */
async function freedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
