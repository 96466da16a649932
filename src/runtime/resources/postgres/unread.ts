/**
 * The bytes a connection received and has not read yet, for a parser of length-prefixed messages:
 * chunks are joined only once they make the bytes the parser's next step asked for, so a large
 * message arriving in many chunks is copied once, not once per chunk (which was quadratic in the
 * message's size: a 100 MB message in 64 kB chunks copied about 80 GB). Pure.
 */
const EMPTY = Buffer.alloc(0);

export class Unread {
  private bytes: Buffer = EMPTY;
  private readonly later: Buffer[] = [];
  private laterBytes = 0;
  private need = 0;

  /** Adds a chunk: all the unread bytes, joined, once they make what `wait` asked for; else null. */
  add(chunk: Buffer): Buffer | null {
    if (this.bytes.length + this.laterBytes + chunk.length < this.need) {
      this.later.push(chunk);
      this.laterBytes += chunk.length;
      return null;
    }
    const all = this.bytes.length === 0 && this.later.length === 0 ? chunk : Buffer.concat([this.bytes, ...this.later, chunk]);
    this.bytes = EMPTY;
    this.later.length = 0;
    this.laterBytes = 0;
    this.need = 0;
    return all;
  }

  /** Keeps `rest`, the bytes the parser has not read, until there are at least `need` of them. */
  wait(rest: Buffer, need: number): void {
    this.bytes = rest;
    this.need = need;
  }
}
