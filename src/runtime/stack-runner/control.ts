/**
 * The control channel of a running `cairn up`: a Unix socket in the state folder. A client sends
 * one JSON line (`{"op":"ps"}`, `down`, `reload`, `run`, `console`) and reads one JSON line back.
 */
import { existsSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { guardConnection } from "../http/guard.js";

export type ControlRequest = { op: "ps" } | { op: "down" } | { op: "reload" } | { op: "run"; job: string; args: string[] } | { op: "console" };

export interface ControlServer {
  close(): Promise<void>;
}

/** Listens on `path` (replacing a stale socket file); each request gets the handler's answer. */
export async function startControl(path: string, handler: (request: ControlRequest) => Promise<unknown>): Promise<ControlServer> {
  if (existsSync(path)) unlinkSync(path);
  const server: Server = createServer((socket) => {
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("error", () => {});
    const onData = async (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf("\n");
      if (end < 0) return;
      const line = buffer.slice(0, end);
      buffer = "";
      let answer: unknown;
      try {
        answer = await handler(JSON.parse(line) as ControlRequest);
      } catch (error) {
        answer = { error: (error as Error).message };
      }
      socket.end(`${JSON.stringify(answer)}\n`);
    };
    // Anything else that throws (an answer that cannot be serialised) ends this request only.
    const answer = (out: Socket, requestId: string) => out.write(`${JSON.stringify({ error: `internal error (request ${requestId})` })}\n`);
    socket.on("data", guardConnection(socket, onData, { name: "control", answer }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  server.unref();
  let closing: Promise<void> | null = null;
  return {
    close() {
      // Connections still open (the `down` being answered) end by themselves.
      closing ??= new Promise<void>((resolve) => {
        server.close();
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
        resolve();
      });
      return closing;
    },
  };
}

/** Sends a request; resolves with the answer, or null when nothing listens on the socket. */
export function sendControl<T>(path: string, request: ControlRequest, timeoutMs = 120_000): Promise<T | null> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the running cairn up did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on("data", (chunk: string) => {
      buffer += chunk;
    });
    socket.on("end", () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buffer) as T);
      } catch {
        reject(new Error("the running cairn up gave an answer that is not JSON"));
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") resolve(null);
      else reject(error);
    });
  });
}
