/**
 * A minimal ustar writer and reader for bucket backups: regular files only, read back by
 * position so that large objects are streamed, never loaded whole. The archives open with `tar`.
 */
import { createReadStream, type WriteStream } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { Readable } from "node:stream";

const BLOCK = 512;

function header(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  h.write(name, 0, "utf8");
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  h.write(
    `${Math.floor(mtime.getTime() / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
    136,
  );
  h.write("        ", 148);
  h.write("0", 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return h;
}

/** Writes with back-pressure; listeners are removed once settled, so long archives do not pile them up. */
const write = (out: WriteStream, data: Buffer) =>
  new Promise<void>((resolve, reject) => {
    if (out.errored) return reject(out.errored);
    if (out.write(data)) return resolve();
    const settle = (error?: Error) => {
      out.off("drain", settle);
      out.off("error", settle);
      if (error) reject(error);
      else resolve();
    };
    out.on("drain", settle);
    out.on("error", settle);
  });

/** Appends one file entry whose content comes from `body` (exactly `size` bytes). */
export async function addEntry(out: WriteStream, name: string, size: number, body: Readable | Buffer, mtime = new Date(0)): Promise<void> {
  await write(out, header(name, size, mtime));
  let written = 0;
  if (Buffer.isBuffer(body)) {
    await write(out, body);
    written = body.length;
  } else {
    for await (const chunk of body) {
      await write(out, chunk as Buffer);
      written += (chunk as Buffer).length;
    }
  }
  if (written !== size) throw new Error(`${name}: expected ${size} bytes, got ${written}`);
  const pad = (BLOCK - (size % BLOCK)) % BLOCK;
  if (pad) await write(out, Buffer.alloc(pad));
}

/** Ends the archive (two zero blocks) and closes the stream. */
export async function finish(out: WriteStream): Promise<void> {
  await write(out, Buffer.alloc(BLOCK * 2));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

export interface Entry {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/** Lists the entries of an archive with where their content starts. */
export async function readEntries(file: string): Promise<Entry[]> {
  const handle: FileHandle = await open(file, "r");
  try {
    const entries: Entry[] = [];
    const block = Buffer.alloc(BLOCK);
    let at = 0;
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, BLOCK, at);
      if (bytesRead < BLOCK || block.every((b) => b === 0)) break;
      if (block.toString("latin1", 257, 262) !== "ustar") throw new Error(`${file} is not a tar archive`);
      const name = block.toString("utf8", 0, 100).replace(/\0.*$/s, "");
      const size = Number.parseInt(block.toString("latin1", 124, 136).replace(/\0.*$/s, "").trim() || "0", 8);
      entries.push({ name, offset: at + BLOCK, size });
      at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** The content of one entry as a stream. */
export function entryStream(file: string, entry: Entry): Readable {
  return entry.size ? createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 }) : Readable.from([]);
}

/** The content of one (small) entry. */
export async function entryText(file: string, entry: Entry): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(entry.size);
    await handle.read(buffer, 0, entry.size, entry.offset);
    return buffer.toString("utf8");
  } finally {
    await handle.close();
  }
}
