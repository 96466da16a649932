/** The console's pure decisions: admission, log levels and filters, the bounds, the Redis reply parser. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConsoleAuth, cookieValue, MAX_SESSIONS } from "./auth.js";
import { MAX_ROWS, wrapQuery } from "./data/postgres.js";
import { encodeCommand, parseReply } from "./data/resp.js";
import { decodeCursor, encodeCursor } from "./data/tables.js";
import { History, SAMPLES } from "./history.js";
import { LINE_CHARS, LogStore, levelOf, serviceOf } from "./logs.js";
import { worstStates } from "./overview.js";

let n = 0;
const counter = (bytes: number) => String(++n).padStart(bytes * 2, "0");
const ask = (auth: ConsoleAuth, patch: Partial<Parameters<ConsoleAuth["admit"]>[0]> = {}) =>
  auth.admit({ method: "GET", url: "/", host: `127.0.0.1:${auth.port}`, cookie: undefined, csrf: undefined, origin: undefined, ...patch });

describe("admission", () => {
  it("logs in once with the token, then needs the cookie, and the CSRF token to change anything", () => {
    const auth = new ConsoleAuth(4318, counter);
    const token = auth.issueToken();
    expect(ask(auth)).toMatchObject({ kind: "refuse", status: 401 });
    const login = ask(auth, { url: `/jobs?token=${token}&x=1` });
    if (login.kind !== "login") throw new Error("no login");
    expect(login.location).toBe("/jobs?x=1");
    expect(ask(auth, { url: `/?token=${token}` })).toMatchObject({ kind: "refuse", status: 401 });
    const cookie = `a=b; cairn_console=${login.session.id}`;
    expect(ask(auth, { cookie })).toMatchObject({ kind: "pass" });
    expect(ask(auth, { cookie, method: "POST" })).toMatchObject({ kind: "refuse", status: 403 });
    expect(ask(auth, { cookie, method: "POST", csrf: login.session.csrf })).toMatchObject({ kind: "pass" });
    expect(ask(auth, { cookie, method: "POST", csrf: login.session.csrf, origin: "http://127.0.0.1:4318" })).toMatchObject({ kind: "pass" });
    expect(ask(auth, { cookie, method: "POST", csrf: login.session.csrf, origin: "http://attacker.test" })).toMatchObject({ status: 403 });
    expect(auth.issueToken()).not.toBe(token);
  });

  it("refuses every Host but the loopback ones, before looking at anything else", () => {
    const auth = new ConsoleAuth(4318, counter);
    for (const host of [undefined, "", "evil.test:4318", "127.0.0.1", "127.0.0.1:4319", "localhost.evil.test:4318", "10.0.0.1:4318"])
      expect(ask(auth, { host, url: `/?token=${auth.issueToken()}` })).toMatchObject({ kind: "refuse", status: 403 });
    for (const host of ["127.0.0.1:4318", "LOCALHOST:4318", "[::1]:4318"]) expect(ask(auth, { host })).toMatchObject({ status: 401 });
  });

  it("keeps at most MAX_SESSIONS sessions, forgetting the oldest", () => {
    const auth = new ConsoleAuth(4318, counter);
    const ids: string[] = [];
    for (let i = 0; i <= MAX_SESSIONS; i++) {
      const login = ask(auth, { url: `/?token=${auth.issueToken()}` });
      if (login.kind === "login") ids.push(login.session.id);
    }
    expect(ask(auth, { cookie: `cairn_console=${ids[0]}` })).toMatchObject({ status: 401 });
    expect(ask(auth, { cookie: `cairn_console=${ids.at(-1)}` })).toMatchObject({ kind: "pass" });
  });

  it("never throws on any input", () => {
    const auth = new ConsoleAuth(4318);
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string()), fc.option(fc.string()), (method, url, host, cookie) => {
        const answer = auth.admit({ method, url, host: host ?? undefined, cookie: cookie ?? undefined, csrf: undefined, origin: undefined });
        expect(["refuse", "login", "pass"]).toContain(answer.kind);
      }),
    );
    expect(cookieValue("x=1;;=;cairn_console", "cairn_console")).toBeUndefined();
  });
});

describe("logs", () => {
  it("tells a line's level from JSON, a level word, or its stream", () => {
    expect(levelOf("out", '{"level":"warn","msg":"disk"}')).toBe("warn");
    expect(levelOf("out", "ERROR cannot connect")).toBe("error");
    expect(levelOf("out", "[debug] cache miss")).toBe("debug");
    expect(levelOf("err", "plain text on stderr")).toBe("error");
    expect(levelOf("out", "GET /health 200")).toBe("info");
    expect(serviceOf("api.12")).toBe("api");
    expect(serviceOf("job:processor")).toBe("job:processor");
  });

  it("filters by service, level and text, and keeps only the last lines, each cut to LINE_CHARS", () => {
    const store = new LogStore(100);
    const time = new Date(0);
    for (let i = 0; i < 250; i++) store.add({ source: i % 2 ? "api.1" : "web.2", stream: i % 5 ? "out" : "err", text: `line ${i}`, time });
    expect(store.size).toBe(100);
    expect(store.query({ limit: 1000 })[0]?.text).toBe("line 150");
    expect(store.query({ service: "api" }).every((l) => l.source === "api.1")).toBe(true);
    expect(store.query({ level: "error" }).map((l) => l.text)).toEqual(
      store
        .query({ limit: 1000 })
        .filter((l) => l.stream === "err")
        .map((l) => l.text),
    );
    expect(store.query({ text: "LINE 24" }).map((l) => l.text)).toEqual([
      "line 240",
      "line 241",
      "line 242",
      "line 243",
      "line 244",
      "line 245",
      "line 246",
      "line 247",
      "line 248",
      "line 249",
    ]);
    store.add({ source: "api.1", stream: "out", text: "y".repeat(LINE_CHARS * 3), time });
    expect(store.query({ limit: 1 })[0]?.text.length).toBe(LINE_CHARS + 1);
  });

  it("keeps a bounded history per replica", () => {
    const history = new History();
    const report = (pid: number) =>
      ({ services: [{ replicas: [{ id: "api.1", cpu: 1, memoryBytes: 2, state: "healthy", health: "healthy", pid }] }], jobs: [] }) as never;
    for (let i = 0; i < SAMPLES + 20; i++) history.record(report(i < 10 ? 1 : 2), new Date(i * 1000).toISOString());
    expect(history.samplesOf("api.1")).toHaveLength(SAMPLES);
    expect(history.changesOf("api.1").map((c) => c.pid)).toEqual([1, 2]);
  });
});

describe("data helpers", () => {
  it("parses what it encodes, and any byte string without hanging (a reply, more bytes needed, or an error)", () => {
    const encoded = encodeCommand(["SCAN", "0", "MATCH", "user:*"]);
    expect(parseReply(encoded)).toEqual({ reply: ["SCAN", "0", "MATCH", "user:*"], next: encoded.length });
    expect(parseReply(Buffer.from("*2\r\n$1\r\n0\r\n*1\r\n$3\r\nkey\r\n"))?.reply).toEqual(["0", ["key"]]);
    expect(parseReply(Buffer.from("$5\r\nab"))).toBeNull();
    expect(parseReply(Buffer.from("-ERR no\r\n"))?.reply).toEqual(new Error("ERR no"));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          const parsed = parseReply(Buffer.from(bytes));
          if (parsed) expect(parsed.next).toBeLessThanOrEqual(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
    );
  });

  it("wraps one query to return at most MAX_ROWS + 1 rows", () => {
    expect(wrapQuery(" SELECT 1 ;; \n")).toBe(`SELECT * FROM (SELECT 1\n) AS console_query LIMIT ${MAX_ROWS + 1}`);
  });

  it("refuses a cursor it did not give", () => {
    expect(decodeCursor(encodeCursor({ id: "a" }))).toEqual({ id: "a" });
    expect(() => decodeCursor("@@")).toThrow();
    expect(() => decodeCursor(Buffer.from("[1]").toString("base64url"))).toThrow();
  });
});

describe("alarms on the overview", () => {
  it("shows an alarm on several services in its worst state, with that state's time", () => {
    const states = worstStates([
      { alarm: "cpu > 80% for 5m", state: "OK", since: "2026-01-01T00:00:00Z" },
      { alarm: "cpu > 80% for 5m", state: "ALARM", since: "2026-01-01T00:05:00Z" },
      { alarm: "cpu > 80% for 5m", state: "INSUFFICIENT_DATA", since: "2026-01-01T00:01:00Z" },
      { alarm: "p95 > 500ms for 5m", state: "INSUFFICIENT_DATA", since: null },
    ]);
    expect(states.get("cpu > 80% for 5m")).toEqual({ state: "ALARM", since: "2026-01-01T00:05:00Z" });
    expect(states.get("p95 > 500ms for 5m")).toEqual({ state: "INSUFFICIENT_DATA", since: null });
  });
});
