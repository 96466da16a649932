/**
 * Just enough of Redis's protocol (RESP2) for the console's key browser: send commands, read replies
 * (simple strings, errors, integers, bulk strings, arrays). Replies larger than 4 MB end the connection.
 */
import { connect, type Socket } from "node:net";

export type Reply = string | number | null | Error | Reply[];

const MAX_BUFFER = 4 << 20;

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  return Buffer.from(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`);
}

/** Parses one reply at `offset`; null when more bytes are needed. */
export function parseReply(buffer: Buffer, offset = 0): { reply: Reply; next: number } | null {
  const end = buffer.indexOf("\r\n", offset);
  if (end === -1) return null;
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString("utf8", offset + 1, end);
  if (type === "+") return { reply: line, next: end + 2 };
  if (type === "-") return { reply: new Error(line), next: end + 2 };
  if (type === ":") return { reply: Number(line), next: end + 2 };
  if (type === "$") {
    const length = Number(line);
    if (length < 0) return { reply: null, next: end + 2 };
    if (buffer.length < end + 2 + length + 2) return null;
    return { reply: buffer.toString("utf8", end + 2, end + 2 + length), next: end + 2 + length + 2 };
  }
  if (type === "*") {
    const count = Number(line);
    if (count < 0) return { reply: null, next: end + 2 };
    const items: Reply[] = [];
    let at = end + 2;
    for (let i = 0; i < count; i++) {
      const item = parseReply(buffer, at);
      if (!item) return null;
      items.push(item.reply);
      at = item.next;
    }
    return { reply: items, next: at };
  }
  throw new Error(`unexpected Redis reply type ${JSON.stringify(type)}`);
}

/** One connection that sends commands in order and resolves each with its reply. */
export class RespClient {
  private buffer = Buffer.alloc(0);
  private readonly waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", (error) => this.failAll(error));
    socket.on("close", () => this.failAll(new Error("Redis closed the connection")));
  }

  static open(host: string, port: number, timeoutMs = 3000): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error("Redis did not answer in time")));
      socket.once("connect", () => resolve(new RespClient(socket)));
      socket.once("error", reject);
    });
  }

  command(args: readonly string[]): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.buffer.length > MAX_BUFFER) {
      this.socket.destroy(new Error("Redis reply too large"));
      return;
    }
    for (;;) {
      let parsed: ReturnType<typeof parseReply>;
      try {
        parsed = parseReply(this.buffer);
      } catch (error) {
        this.socket.destroy(error as Error);
        return;
      }
      if (!parsed) return;
      this.buffer = this.buffer.subarray(parsed.next);
      this.waiting.shift()?.resolve(parsed.reply);
    }
  }

  private failAll(error: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}
