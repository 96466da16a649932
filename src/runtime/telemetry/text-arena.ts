/**
 * One circular byte area where the request ring copies each request's own strings (its id, path and
 * trace ids), one request's strings next to each other. The copies let the strings die young instead
 * of being kept alive by the ring, so the garbage collector never copies them from one young space to
 * the next nor promotes them (measured on the gateway bench: the ring holding the strings themselves
 * more than doubled the time spent in scavenges). Writing a request's text in one run of bytes, after
 * the previous request's, touches two or three cache lines where a column per string touched one per
 * string, scattered (see docs/gateway.md, "Telemetry").
 *
 * Strings are stored as latin1, which is how Node reads an HTTP head, so any string the gateway holds
 * comes back unchanged; the caller keeps a string with a character above U+00FF by reference. The
 * caller also decides how long a run stays readable: a run is overwritten once `capacity` more bytes
 * have been reserved after it. Pure.
 */
export class TextArena {
  private readonly bytes: Buffer;
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a text arena holds at least 1 byte, not ${capacity}`);
    this.bytes = Buffer.alloc(capacity);
  }

  /** Reserves `length` bytes in one run (from the start again when the end is too near); its offset. */
  reserve(length: number): number {
    if (length > this.capacity) throw new Error(`a run of ${length} bytes does not fit a ${this.capacity}-byte text arena`);
    if (this.head + length > this.capacity) this.head = 0;
    const at = this.head;
    this.head += length;
    return at;
  }

  /**
   * Copies `value` at `at` (inside a reserved run); false, leaving the bytes unspecified, when a
   * character is above U+00FF. Byte by byte in JavaScript: for the short strings of a request,
   * cheaper than a call into Buffer's native write (measured: 750 ns a request with five such calls).
   */
  copy(at: number, value: string): boolean {
    const bytes = this.bytes;
    const length = value.length;
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c > 0xff) return false;
      bytes[at + i] = c;
    }
    return true;
  }

  read(at: number, length: number): string {
    return this.bytes.toString("latin1", at, at + length);
  }

  /** True when the `length` bytes at `at` are exactly `value` (without making a string of them). */
  equals(at: number, length: number, value: string): boolean {
    if (length !== value.length) return false;
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) if (bytes[at + i] !== value.charCodeAt(i)) return false;
    return true;
  }
}
