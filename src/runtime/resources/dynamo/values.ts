/** DynamoDB attribute values (`{ S: "x" }`, `{ N: "1" }`...): comparison, equality, key strings. */

export type AttributeValue = {
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  SS?: string[];
  NS?: string[];
  BS?: string[];
};
export type Item = Record<string, AttributeValue>;

/** The type tag of a value: "S", "N", "M"... */
export function typeOf(value: AttributeValue): string {
  return Object.keys(value)[0] ?? "";
}

/** Orders two scalar values of the same type; null when they cannot be compared. */
export function compare(a: AttributeValue, b: AttributeValue): number | null {
  const t = typeOf(a);
  if (t !== typeOf(b)) return null;
  if (t === "N") {
    const x = Number(a.N);
    const y = Number(b.N);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (t === "S") return (a.S as string) < (b.S as string) ? -1 : (a.S as string) > (b.S as string) ? 1 : 0;
  if (t === "B") return Buffer.compare(Buffer.from(a.B as string, "base64"), Buffer.from(b.B as string, "base64"));
  return null;
}

/** Deep equality of two values (sets compare as sets). */
export function equal(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (!a || !b) return false;
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  switch (t) {
    case "N":
    case "S":
    case "B":
      return compare(a, b) === 0;
    case "BOOL":
      return a.BOOL === b.BOOL;
    case "NULL":
      return true;
    case "SS":
    case "BS":
      return sameSet(a[t] as string[], b[t] as string[], (x) => x);
    case "NS":
      return sameSet(a.NS as string[], b.NS as string[], (x) => String(Number(x)));
    case "L":
      return (
        (a.L as AttributeValue[]).length === (b.L as AttributeValue[]).length &&
        (a.L as AttributeValue[]).every((v, i) => equal(v, (b.L as AttributeValue[])[i]))
      );
    case "M": {
      const ka = Object.keys(a.M as object);
      return ka.length === Object.keys(b.M as object).length && ka.every((k) => equal((a.M as Item)[k], (b.M as Item)[k]));
    }
  }
  return false;
}

function sameSet(a: string[], b: string[], norm: (x: string) => string): boolean {
  const sa = new Set(a.map(norm));
  return sa.size === new Set(b.map(norm)).size && b.every((x) => sa.has(norm(x)));
}

/** A stable string for a key value (numbers normalised), for indexing partitions. */
export function keyString(value: AttributeValue | undefined): string {
  if (!value) return "";
  if (value.N !== undefined) return `N:${String(Number(value.N))}`;
  if (value.S !== undefined) return `S:${value.S}`;
  if (value.B !== undefined) return `B:${value.B}`;
  return `?:${JSON.stringify(value)}`;
}

/** Approximate item size in bytes, as DynamoDB counts it (names + values). */
export function itemSize(item: Item): number {
  return Buffer.byteLength(JSON.stringify(item));
}
