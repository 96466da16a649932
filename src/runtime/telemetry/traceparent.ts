/**
 * W3C Trace Context (`traceparent`, https://www.w3.org/TR/trace-context/): reading a client's header,
 * which is hostile input like any other, and making the one the gateway sends upstream. A valid
 * header keeps its trace id and flags and gets the gateway's span as parent; anything else starts a
 * new trace (at most `Telemetry`'s new traces a second), which goes out sampled (flags 01). Pure but
 * for the random ids.
 */
import { randomFillSync } from "node:crypto";

/** What a valid `traceparent` carries. */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, not all zero: the caller's span. */
  readonly parentId: string;
  /** 2 hex digits (bit 0: sampled). */
  readonly flags: string;
}

function hexAt(s: string, from: number, to: number): boolean {
  let nonZero = false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
    if (c !== 48) nonZero = true;
  }
  return nonZero;
}

/**
 * Reads a `traceparent` value, or null when it is not valid: version 00 is exactly 55 characters;
 * a later version may carry more after a `-`, as the specification asks parsers to accept; version
 * ff, upper case, all-zero ids and any other shape are refused. Never throws.
 */
export function parseTraceparent(value: string | undefined): TraceContext | null {
  if (typeof value !== "string" || value.length < 55) return null;
  const v = value;
  if (v.charCodeAt(2) !== 45 || v.charCodeAt(35) !== 45 || v.charCodeAt(52) !== 45) return null;
  const version = v.slice(0, 2);
  if (!/^[0-9a-f]{2}$/.test(version) || version === "ff") return null;
  if (version === "00" ? v.length !== 55 : v.length > 55 && v.charCodeAt(55) !== 45) return null;
  if (!hexAt(v, 3, 35) || !hexAt(v, 36, 52)) return null;
  const flags = v.slice(53, 55);
  if (!/^[0-9a-f]{2}$/.test(flags)) return null;
  return { traceId: v.slice(3, 35), parentId: v.slice(36, 52), flags };
}

/** True when `value` is a `traceparent` this module would send (version 00, valid ids). */
export function validTraceparent(value: string): boolean {
  return value.length === 55 && value.startsWith("00-") && parseTraceparent(value) !== null;
}

/** The header value the gateway sends upstream: its own span as the parent. */
export function formatTraceparent(traceId: string, spanId: string, flags: string): string {
  return `00-${traceId}-${spanId}-${flags}`;
}

const ZERO_SPAN = "0".repeat(16);
const ZERO_TRACE = "0".repeat(32);

/**
 * Random trace and span ids, cut from a block of random bytes refilled 4 kB at a time and turned
 * into hex once per block (one system call and one conversion per 170 requests or so, rather than
 * one per id; an id is a slice of the block's hex text, which nothing keeps for long).
 */
export class IdSource {
  private readonly pool = Buffer.allocUnsafe(4096);
  private hex = "";
  private at = 0;

  private take(digits: number): string {
    for (;;) {
      if (this.at + digits > this.hex.length) {
        randomFillSync(this.pool);
        this.hex = this.pool.toString("hex");
        this.at = 0;
      }
      const id = this.hex.slice(this.at, this.at + digits);
      this.at += digits;
      // All zero is invalid; the odds are 2^-64 or less, but a retry costs nothing (one comparison).
      if (id !== (digits === 16 ? ZERO_SPAN : ZERO_TRACE)) return id;
    }
  }

  /** 32 hex digits. */
  traceId(): string {
    return this.take(32);
  }

  /** 16 hex digits. */
  spanId(): string {
    return this.take(16);
  }
}
