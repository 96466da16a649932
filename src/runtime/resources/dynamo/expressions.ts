/**
 * DynamoDB expressions: condition/filter/key-condition expressions, update expressions and
 * projections, parsed by a small recursive-descent parser and evaluated against items.
 */
import { type AttributeValue, compare, equal, type Item, typeOf } from "./values.js";

export class ExpressionError extends Error {}

type Step = string | number;
export type Path = readonly Step[];
type Operand = { kind: "path"; path: Path } | { kind: "value"; name: string } | { kind: "size"; path: Path };

export type Condition =
  | { kind: "and" | "or"; left: Condition; right: Condition }
  | { kind: "not"; inner: Condition }
  | { kind: "compare"; op: string; left: Operand; right: Operand }
  | { kind: "between"; value: Operand; low: Operand; high: Operand }
  | { kind: "in"; value: Operand; list: Operand[] }
  | { kind: "function"; name: string; path: Path; arg: Operand | null };

export interface Names {
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, AttributeValue>>;
}

const TOKEN = /\s*(<>|<=|>=|[()[\],.=<>+-]|#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|\d+)/y;

class Parser {
  private tokens: string[] = [];
  private at = 0;
  constructor(
    text: string,
    private readonly names: Names,
  ) {
    TOKEN.lastIndex = 0;
    let index = 0;
    while (index < text.length) {
      if (/^\s*$/.test(text.slice(index))) break;
      TOKEN.lastIndex = index;
      const m = TOKEN.exec(text);
      if (!m) throw new ExpressionError(`Invalid expression: unexpected text at "${text.slice(index, index + 20)}"`);
      this.tokens.push(m[1] as string);
      index = TOKEN.lastIndex;
    }
  }
  peek(): string | undefined {
    return this.tokens[this.at];
  }
  keyword(word: string): boolean {
    if (this.peek()?.toUpperCase() === word) {
      this.at++;
      return true;
    }
    return false;
  }
  expect(token: string): void {
    if (this.tokens[this.at] !== token)
      throw new ExpressionError(`Invalid expression: expected "${token}" near "${this.tokens.slice(this.at, this.at + 3).join(" ")}"`);
    this.at++;
  }
  done(): boolean {
    return this.at >= this.tokens.length;
  }
  name(token: string): string {
    if (token.startsWith("#")) {
      const real = this.names.names[token];
      if (real === undefined) throw new ExpressionError(`An expression attribute name used in the document path is not defined; attribute name: ${token}`);
      return real;
    }
    return token;
  }
  path(): Path {
    const first = this.tokens[this.at++];
    if (!first || !/^[#A-Za-z_]/.test(first)) throw new ExpressionError(`Invalid expression: expected an attribute name, found "${first ?? "end"}"`);
    const steps: Step[] = [this.name(first)];
    for (;;) {
      if (this.peek() === ".") {
        this.at++;
        steps.push(this.name(this.tokens[this.at++] ?? ""));
      } else if (this.peek() === "[") {
        this.at++;
        steps.push(Number(this.tokens[this.at++]));
        this.expect("]");
      } else return steps;
    }
  }
  operand(): Operand {
    const token = this.peek() ?? "";
    if (token.startsWith(":")) {
      this.at++;
      if (!(token in this.names.values))
        throw new ExpressionError(`An expression attribute value used in expression is not defined; attribute value: ${token}`);
      return { kind: "value", name: token };
    }
    if (token.toLowerCase() === "size" && this.tokens[this.at + 1] === "(") {
      this.at += 2;
      const path = this.path();
      this.expect(")");
      return { kind: "size", path };
    }
    return { kind: "path", path: this.path() };
  }
  condition(): Condition {
    let left = this.conjunction();
    while (this.keyword("OR")) left = { kind: "or", left, right: this.conjunction() };
    return left;
  }
  conjunction(): Condition {
    let left = this.negation();
    while (this.keyword("AND")) left = { kind: "and", left, right: this.negation() };
    return left;
  }
  negation(): Condition {
    if (this.keyword("NOT")) return { kind: "not", inner: this.negation() };
    return this.primary();
  }
  primary(): Condition {
    if (this.peek() === "(") {
      this.at++;
      const inner = this.condition();
      this.expect(")");
      return inner;
    }
    const fn = this.peek()?.toLowerCase() ?? "";
    if (["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"].includes(fn) && this.tokens[this.at + 1] === "(") {
      this.at += 2;
      const path = this.path();
      let arg: Operand | null = null;
      if (this.peek() === ",") {
        this.at++;
        arg = this.operand();
      }
      this.expect(")");
      return { kind: "function", name: fn, path, arg };
    }
    const left = this.operand();
    if (this.keyword("BETWEEN")) {
      const low = this.operand();
      if (!this.keyword("AND")) throw new ExpressionError("Invalid expression: BETWEEN needs AND");
      return { kind: "between", value: left, low, high: this.operand() };
    }
    if (this.keyword("IN")) {
      this.expect("(");
      const list = [this.operand()];
      while (this.peek() === ",") {
        this.at++;
        list.push(this.operand());
      }
      this.expect(")");
      return { kind: "in", value: left, list };
    }
    const op = this.tokens[this.at++] ?? "";
    if (!["=", "<>", "<", "<=", ">", ">="].includes(op)) throw new ExpressionError(`Invalid expression: unexpected "${op || "end"}"`);
    return { kind: "compare", op, left, right: this.operand() };
  }
}

/** Parses a condition (ConditionExpression, FilterExpression, KeyConditionExpression). */
export function parseCondition(text: string, names: Names): Condition {
  const parser = new Parser(text, names);
  const condition = parser.condition();
  if (!parser.done()) throw new ExpressionError(`Invalid expression: unexpected "${parser.peek()}"`);
  return condition;
}

/** The value at `path` in `item`, or undefined. */
export function getPath(item: Item, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = { M: item };
  for (const step of path) {
    if (!current) return undefined;
    current = typeof step === "number" ? current.L?.[step] : current.M?.[step];
  }
  return current;
}

function resolve(operand: Operand, item: Item, names: Names): AttributeValue | undefined {
  if (operand.kind === "value") return names.values[operand.name];
  const value = getPath(item, operand.path);
  if (operand.kind === "path" || !value) return value;
  const t = typeOf(value);
  const size =
    t === "S"
      ? Buffer.byteLength(value.S as string)
      : t === "B"
        ? Buffer.from(value.B as string, "base64").length
        : t === "M"
          ? Object.keys(value.M as object).length
          : ((value[t as "L"] as unknown[] | undefined)?.length ?? 0);
  return { N: String(size) };
}

/** Evaluates a parsed condition against an item. */
export function evaluate(condition: Condition, item: Item, names: Names): boolean {
  switch (condition.kind) {
    case "and":
      return evaluate(condition.left, item, names) && evaluate(condition.right, item, names);
    case "or":
      return evaluate(condition.left, item, names) || evaluate(condition.right, item, names);
    case "not":
      return !evaluate(condition.inner, item, names);
    case "between": {
      const v = resolve(condition.value, item, names);
      const lo = resolve(condition.low, item, names);
      const hi = resolve(condition.high, item, names);
      if (!v || !lo || !hi) return false;
      const a = compare(v, lo);
      const b = compare(v, hi);
      return a !== null && b !== null && a >= 0 && b <= 0;
    }
    case "in": {
      const v = resolve(condition.value, item, names);
      return condition.list.some((o) => equal(v, resolve(o, item, names)));
    }
    case "compare": {
      const a = resolve(condition.left, item, names);
      const b = resolve(condition.right, item, names);
      if (condition.op === "=") return equal(a, b);
      if (condition.op === "<>") return !!a && !equal(a, b);
      if (!a || !b) return false;
      const c = compare(a, b);
      if (c === null) return false;
      return condition.op === "<" ? c < 0 : condition.op === "<=" ? c <= 0 : condition.op === ">" ? c > 0 : c >= 0;
    }
    case "function": {
      const value = getPath(item, condition.path);
      const arg = condition.arg ? resolve(condition.arg, item, names) : undefined;
      switch (condition.name) {
        case "attribute_exists":
          return value !== undefined;
        case "attribute_not_exists":
          return value === undefined;
        case "attribute_type":
          return !!value && typeOf(value) === arg?.S;
        case "begins_with":
          if (value?.S !== undefined && arg?.S !== undefined) return value.S.startsWith(arg.S);
          if (value?.B !== undefined && arg?.B !== undefined)
            return Buffer.from(value.B, "base64").subarray(0, Buffer.from(arg.B, "base64").length).equals(Buffer.from(arg.B, "base64"));
          return false;
        case "contains":
          if (!value || !arg) return false;
          if (value.S !== undefined && arg.S !== undefined) return value.S.includes(arg.S);
          if (value.SS && arg.S !== undefined) return value.SS.includes(arg.S);
          if (value.NS && arg.N !== undefined) return value.NS.some((n) => Number(n) === Number(arg.N));
          if (value.L) return value.L.some((v) => equal(v, arg));
          return false;
      }
    }
  }
  return false;
}

/** Top-level attribute paths of a ProjectionExpression. */
export function parseProjection(text: string, names: Names): Path[] {
  const parser = new Parser(text, names);
  const paths = [parser.path()];
  while (parser.peek() === ",") {
    parser.expect(",");
    paths.push(parser.path());
  }
  if (!parser.done()) throw new ExpressionError(`Invalid ProjectionExpression near "${parser.peek()}"`);
  return paths;
}

/** Keeps only the projected paths of an item. */
export function project(item: Item, paths: Path[] | null): Item {
  if (!paths) return item;
  const out: Item = {};
  for (const path of paths) {
    const value = getPath(item, path);
    if (value === undefined) continue;
    // Paths through lists keep the whole top-level attribute: simpler, and a superset of the answer.
    if (path.some((s) => typeof s === "number")) out[path[0] as string] = item[path[0] as string] as AttributeValue;
    else setPath(out, path, structuredClone(value));
  }
  return out;
}

/** Sets the value at `path`, creating intermediate maps. */
export function setPath(item: Item, path: Path, value: AttributeValue): void {
  let container: AttributeValue = { M: item };
  for (const [i, step] of path.entries()) {
    const last = i === path.length - 1;
    if (typeof step === "number") {
      const list = container.L;
      if (!list) throw new ExpressionError("The document path provided in the update expression is invalid for update");
      if (last) {
        if (step >= list.length) list.push(value);
        else list[step] = value;
        return;
      }
      container = list[step] as AttributeValue;
    } else {
      const map = container.M;
      if (!map) throw new ExpressionError("The document path provided in the update expression is invalid for update");
      if (last) {
        map[step] = value;
        return;
      }
      map[step] ??= { M: {} };
      container = map[step] as AttributeValue;
    }
  }
}

export function removePath(item: Item, path: Path): void {
  const parent = path.length === 1 ? ({ M: item } as AttributeValue) : getPath(item, path.slice(0, -1));
  const step = path[path.length - 1] as Step;
  if (typeof step === "number") parent?.L?.splice(step, 1);
  else if (parent?.M) delete parent.M[step];
}

export { Parser };
