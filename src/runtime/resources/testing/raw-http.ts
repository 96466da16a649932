/** Raw HTTP over TCP for tests of hostile input: bytes as given, the answer as received, bounded in time. */
import net from "node:net";

export interface RawAnswer {
  /** The status line's code, or 0 when the server closed without answering. */
  readonly status: number;
  readonly text: string;
}

/** Sends `bytes` to 127.0.0.1:`port` and reads until the server closes or `ms` pass. */
export function sendRaw(port: number, bytes: Buffer | string, ms = 2000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    };
    const timer = setTimeout(done, ms);
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", done);
    socket.on("close", done);
    socket.write(bytes);
  });
}

/**
 * Streams `head` then zero bytes in 64 KiB chunks until the server answers (or `max` bytes went out):
 * how many body bytes were sent before the answer came, and the answer.
 */
export function streamUntilAnswered(port: number, head: string, max: number): Promise<{ sent: number; answer: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunk = Buffer.alloc(64 * 1024);
    let sent = 0;
    let answer = "";
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({ sent, answer });
    };
    socket.on("data", (d) => {
      answer += d.toString("latin1");
      if (answer.includes("\r\n\r\n")) finish();
    });
    socket.on("error", finish);
    socket.on("close", finish);
    const pump = () => {
      while (!finished && sent < max) {
        sent += chunk.length;
        if (!socket.write(head.includes("chunked") ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]) : chunk)) {
          socket.once("drain", pump);
          return;
        }
      }
      if (sent >= max) setTimeout(finish, 2000);
    };
    socket.write(head, pump);
  });
}

export interface Volley {
  /** Requests sent. */
  readonly sent: number;
  /** Requests that got an answer head (the rest were closed or timed out without one). */
  readonly answered: number;
  /** Requests that got any byte back (for protocols other than HTTP). */
  readonly replied: number;
  /** Answers by status code. */
  readonly statuses: ReadonlyMap<number, number>;
}

/**
 * Sends each of `requests` on its own connection, `concurrency` at a time, and waits for each until an
 * answer head arrives, the server closes, or `ms` pass; stops early past `deadline` (epoch ms). With
 * `end`, the client ends its side after the bytes (the server then sees the whole input at once).
 */
export async function sendMany(
  port: number,
  requests: readonly Buffer[],
  { concurrency, ms, deadline, end = false }: { concurrency: number; ms: number; deadline: number; end?: boolean },
): Promise<Volley> {
  const statuses = new Map<number, number>();
  let next = 0;
  let sent = 0;
  let answered = 0;
  let replied = 0;
  const one = (bytes: Buffer) =>
    new Promise<void>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      let text = "";
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        socket.destroy();
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
        if (status) answered++;
        if (text.length > 0) replied++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        resolve();
      };
      const timer = setTimeout(done, ms);
      socket.on("data", (d) => {
        text += d.toString("latin1");
        if (text.includes("\r\n\r\n")) done();
      });
      socket.on("error", done);
      socket.on("close", done);
      if (end) socket.end(bytes);
      else socket.write(bytes);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length && Date.now() < deadline) {
        const bytes = requests[next++] as Buffer;
        sent++;
        await one(bytes);
      }
    }),
  );
  return { sent, answered, replied, statuses };
}
