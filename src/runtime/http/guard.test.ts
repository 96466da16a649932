import { createServer, type Server } from "node:http";
import { connect, createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { describeReport, type GuardReport, guard, guardClientErrors, guardConnection } from "./guard.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** Sends raw bytes and resolves with everything the server wrote before closing. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(bytes));
    let out = "";
    socket.on("data", (c) => {
      out += c.toString("latin1");
    });
    socket.on("close", () => resolve(out));
    socket.on("error", reject);
  });
}

async function serve(handler: Parameters<typeof guard>[0], reports: GuardReport[]): Promise<number> {
  const server = createServer(guard(handler, { name: "test", onError: (r) => reports.push(r) }));
  guardClientErrors(server);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as { port: number }).port;
}

describe("guard", () => {
  it("answers a throw, a rejection and a malformed URL with that request's id, and keeps serving", async () => {
    const reports: GuardReport[] = [];
    const port = await serve(async (req, res) => {
      if (req.url === "/sync") throw new Error("boom");
      if (req.url === "/async") {
        await Promise.resolve();
        throw new Error("later");
      }
      decodeURIComponent(req.url ?? "");
      res.end("fine");
    }, reports);
    const sync = await raw(port, "GET /sync HTTP/1.1\r\nhost: x\r\n\r\n");
    expect(sync).toMatch(/^HTTP\/1\.1 500 /);
    const asyncAnswer = await raw(port, "GET /async HTTP/1.1\r\nhost: x\r\n\r\n");
    expect(asyncAnswer).toMatch(/^HTTP\/1\.1 500 /);
    const bad = await raw(port, "GET /% HTTP/1.1\r\nhost: x\r\n\r\n");
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    expect(reports.map((r) => [r.url, r.status])).toEqual([
      ["/sync", 500],
      ["/async", 500],
      ["/%", 400],
    ]);
    const id = reports[2]?.requestId ?? "none";
    expect(bad).toContain(`x-request-id: ${id}`);
    expect(bad).toContain(`(request ${id})`);
    expect(await raw(port, "GET /ok HTTP/1.1\r\nhost: x\r\n\r\n")).toMatch(/^HTTP\/1\.1 200 [\s\S]*fine$/);
  });

  it("ends the connection when the answer had begun, and survives a reporter that throws", async () => {
    const server = createServer(
      guard(
        (req, res) => {
          if (req.url === "/ok") return void res.end("fine");
          res.writeHead(200, { "content-length": "100" });
          res.write("part");
          throw new Error("midway");
        },
        {
          name: "test",
          onError: () => {
            throw new Error("reporter broken");
          },
        },
      ),
    );
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    // The connection ends (raw resolves on close) with no second answer written after the first began.
    const out = await raw(port, "GET / HTTP/1.1\r\nhost: x\r\n\r\n");
    expect(out).not.toContain("500");
    expect(await raw(port, "GET /ok HTTP/1.1\r\nhost: x\r\n\r\n")).toMatch(/^HTTP\/1\.1 200 [\s\S]*fine$/);
  });

  it("answers heads node:http cannot parse: 400 for bare LF, 431 for a head too large", async () => {
    const port = await serve((_req, res) => void res.end("fine"), []);
    expect(await raw(port, "GET / HTTP/1.1\nhost: x\n\n")).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(port, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    expect(await raw(port, "NOT A REQUEST\r\n\r\n")).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe("guardConnection", () => {
  it("ends only the connection whose handler threw or rejected, with the protocol's error, and reports it", async () => {
    const reports: GuardReport[] = [];
    const server: TcpServer = createTcpServer((socket) => {
      const onData = guardConnection(
        socket,
        async (chunk: Buffer) => {
          const text = chunk.toString();
          if (text.startsWith("throw")) throw new Error("bad bytes");
          if (text.startsWith("reject")) await Promise.reject(new Error("bad later"));
          socket.write(`echo ${text}`);
        },
        { name: "wire", onError: (r) => reports.push(r), answer: (out, id) => out.write(`ERROR ${id}\n`) },
        (chunk) => `message ${chunk.toString().slice(0, 6)}`,
      );
      socket.on("data", onData);
      socket.on("error", () => socket.destroy());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const thrown = await raw(port, "throw it");
    const rejected = await raw(port, "reject it");
    expect(thrown).toMatch(/^ERROR [0-9A-F]{16}\n$/);
    expect(rejected).toMatch(/^ERROR [0-9A-F]{16}\n$/);
    expect(await raw(port, "hello")).toBe("echo hello");
    expect(reports.map((r) => describeReport(r).replace(/[0-9A-F]{16}/, "ID"))).toEqual([
      "wire: request ID (message throw ) answered 500: bad bytes",
      "wire: request ID (message reject) answered 500: bad later",
    ]);
    expect(thrown).toContain(reports[0]?.requestId);
    await new Promise((r) => server.close(r));
  });
});
