/** UpdateExpression: SET (with +, -, if_not_exists, list_append), REMOVE, ADD and DELETE. */
import { ExpressionError, getPath, type Names, Parser, type Path, removePath, setPath } from "./expressions.js";
import { type AttributeValue, equal, type Item, typeOf } from "./values.js";

type Value =
  | { kind: "operand"; path: Path | null; value: string | null }
  | { kind: "if_not_exists"; path: Path; fallback: Value }
  | { kind: "list_append"; a: Value; b: Value }
  | { kind: "arith"; op: "+" | "-"; a: Value; b: Value };

type Action = { kind: "SET"; path: Path; value: Value } | { kind: "REMOVE"; path: Path } | { kind: "ADD" | "DELETE"; path: Path; value: string };

function operand(p: Parser): Value {
  const token = p.peek() ?? "";
  const fn = token.toLowerCase();
  if ((fn === "if_not_exists" || fn === "list_append") && p.keyword(token.toUpperCase())) {
    p.expect("(");
    if (fn === "if_not_exists") {
      const path = p.path();
      p.expect(",");
      const fallback = operand(p);
      p.expect(")");
      return { kind: "if_not_exists", path, fallback };
    }
    const a = operand(p);
    p.expect(",");
    const b = operand(p);
    p.expect(")");
    return { kind: "list_append", a, b };
  }
  if (token.startsWith(":")) {
    p.operand();
    return { kind: "operand", path: null, value: token };
  }
  return { kind: "operand", path: p.path(), value: null };
}

function value(p: Parser): Value {
  const a = operand(p);
  const op = p.peek();
  if (op === "+" || op === "-") {
    p.expect(op);
    return { kind: "arith", op, a, b: operand(p) };
  }
  return a;
}

/** Parses an UpdateExpression into actions. */
export function parseUpdate(text: string, names: Names): Action[] {
  const p = new Parser(text, names);
  const actions: Action[] = [];
  const seen = new Set<string>();
  while (!p.done()) {
    const clause = (p.peek() ?? "").toUpperCase();
    if (!["SET", "REMOVE", "ADD", "DELETE"].includes(clause) || !p.keyword(clause))
      throw new ExpressionError(`Invalid UpdateExpression: unexpected "${p.peek()}"`);
    if (seen.has(clause)) throw new ExpressionError(`Invalid UpdateExpression: the "${clause}" section can only be used once`);
    seen.add(clause);
    do {
      if (actions.length && p.peek() === ",") p.expect(",");
      const path = p.path();
      if (clause === "SET") {
        p.expect("=");
        actions.push({ kind: "SET", path, value: value(p) });
      } else if (clause === "REMOVE") actions.push({ kind: "REMOVE", path });
      else {
        const token = p.peek() ?? "";
        p.operand();
        actions.push({ kind: clause as "ADD" | "DELETE", path, value: token });
      }
    } while (p.peek() === ",");
  }
  return actions;
}

function evaluateValue(v: Value, item: Item, names: Names): AttributeValue {
  switch (v.kind) {
    case "operand": {
      const found = v.value ? names.values[v.value] : getPath(item, v.path as Path);
      if (!found) throw new ExpressionError("The provided expression refers to an attribute that does not exist in the item");
      return found;
    }
    case "if_not_exists":
      return getPath(item, v.path) ?? evaluateValue(v.fallback, item, names);
    case "list_append": {
      const a = evaluateValue(v.a, item, names);
      const b = evaluateValue(v.b, item, names);
      if (!a.L || !b.L) throw new ExpressionError("Incorrect operand type for operator or function; operator or function: list_append");
      return { L: [...a.L, ...b.L] };
    }
    case "arith": {
      const a = evaluateValue(v.a, item, names);
      const b = evaluateValue(v.b, item, names);
      if (a.N === undefined || b.N === undefined) throw new ExpressionError(`Incorrect operand type for operator or function; operator: ${v.op}`);
      return { N: String(v.op === "+" ? Number(a.N) + Number(b.N) : Number(a.N) - Number(b.N)) };
    }
  }
}

/** Applies actions to a copy of `item`; returns the new item and the top-level names touched. */
export function applyUpdate(item: Item, actions: Action[], names: Names): { item: Item; touched: string[] } {
  const next = structuredClone(item);
  // Every SET value is computed from the item as it was before the update, as DynamoDB does.
  const values = actions.map((a) => (a.kind === "SET" ? evaluateValue(a.value, item, names) : null));
  actions.forEach((action, i) => {
    if (action.kind === "SET") setPath(next, action.path, values[i] as AttributeValue);
    else if (action.kind === "REMOVE") removePath(next, action.path);
    else {
      const operandValue = names.values[action.value] as AttributeValue;
      const current = getPath(next, action.path);
      const t = typeOf(operandValue);
      if (action.kind === "ADD" && t === "N") {
        if (current && current.N === undefined) throw new ExpressionError("An operand in the update expression has an incorrect data type");
        setPath(next, action.path, { N: String(Number(current?.N ?? 0) + Number(operandValue.N)) });
      } else if (t === "SS" || t === "NS" || t === "BS") {
        const key = t as "SS" | "NS" | "BS";
        const existing = current?.[key] ?? [];
        const incoming = operandValue[key] as string[];
        const merged =
          action.kind === "ADD"
            ? [...existing, ...incoming.filter((x) => !existing.some((e) => equal({ [key]: [e] }, { [key]: [x] })))]
            : existing.filter((e) => !incoming.includes(e));
        if (merged.length) setPath(next, action.path, { [key]: merged });
        else removePath(next, action.path);
      } else throw new ExpressionError(`${action.kind} only supports numbers and sets`);
    }
  });
  return { item: next, touched: [...new Set(actions.map((a) => String(a.path[0])))] };
}
