/**
 * Decodes a chunked body (RFC 9112 §7.1) as it arrives, in any split: chunk sizes, extensions
 * (ignored), data, and trailer fields (dropped). Pure: data comes out through a callback, as
 * slices of the input.
 */

enum State {
  Size,
  /** After `;` on a size line, until its end. */
  Extension,
  /** The LF of a size line. */
  SizeLf,
  Data,
  DataCr,
  DataLf,
  /** At the start of a trailer line (an empty one ends the body). */
  TrailerStart,
  Trailer,
  TrailerLf,
  FinalLf,
  Done,
}

/** Longest chunk size accepted, in hex digits (16 = 2^64, more than any real body). */
const MAX_SIZE_DIGITS = 15;

export class ChunkedDecoder {
  private state = State.Size;
  private size = 0;
  private digits = 0;
  private left = 0;

  /** True once the last chunk and its trailers have been read. */
  get done(): boolean {
    return this.state === State.Done;
  }

  /**
   * Reads `buf` from `start`; calls `data` with each piece of body. Returns the offset where the
   * body ended (the rest belongs to the next answer), `buf.length` when more is needed, or -1 when
   * the framing is broken.
   */
  feed(buf: Buffer, start: number, data: (piece: Buffer) => void): number {
    let i = start;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case State.Size: {
          const c = buf[i] as number;
          const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
          if (digit >= 0) {
            if (++this.digits > MAX_SIZE_DIGITS) return -1;
            this.size = this.size * 16 + digit;
          } else if (this.digits === 0) return -1;
          else if (c === 13) this.state = State.SizeLf;
          else if (c === 59 || c === 32 || c === 9) this.state = State.Extension;
          else return -1;
          i++;
          break;
        }
        case State.Extension:
          if (buf[i] === 13) this.state = State.SizeLf;
          i++;
          break;
        case State.SizeLf:
          if (buf[i] !== 10) return -1;
          i++;
          if (this.size === 0) this.state = State.TrailerStart;
          else {
            this.left = this.size;
            this.state = State.Data;
          }
          this.size = 0;
          this.digits = 0;
          break;
        case State.Data: {
          const end = Math.min(n, i + this.left);
          data(buf.subarray(i, end));
          this.left -= end - i;
          i = end;
          if (this.left === 0) this.state = State.DataCr;
          break;
        }
        case State.DataCr:
          if (buf[i] !== 13) return -1;
          this.state = State.DataLf;
          i++;
          break;
        case State.DataLf:
          if (buf[i] !== 10) return -1;
          this.state = State.Size;
          i++;
          break;
        case State.TrailerStart:
          this.state = buf[i] === 13 ? State.FinalLf : State.Trailer;
          i++;
          break;
        case State.Trailer:
          if (buf[i] === 13) this.state = State.TrailerLf;
          i++;
          break;
        case State.TrailerLf:
          if (buf[i] !== 10) return -1;
          this.state = State.TrailerStart;
          i++;
          break;
        case State.FinalLf:
          if (buf[i] !== 10) return -1;
          this.state = State.Done;
          return i + 1;
        case State.Done:
          return i;
      }
    }
    return n;
  }
}
