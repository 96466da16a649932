import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postgres } from "../../../model/types.js";
import { contextFor, resourceFrom, stateDir } from "../testing/index.js";
import { ResourceError } from "../types.js";
import { choosePostgres } from "./index.js";

const db = resourceFrom("name: t\nresources:\n  db: { type: postgres, version: 15 }\n", "db") as Postgres;

describe("choosing the Postgres engine", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  beforeAll(async () => {
    state = await stateDir("choose");
  });
  afterAll(() => state.remove());

  it("uses the machine's server when installed, the embedded one when asked", () => {
    const ctx = contextFor(join(state.dir, "fresh"));
    expect(choosePostgres(db, ctx, { PATH: process.env.PATH }).engine).toBe("native");
    expect(choosePostgres(db, ctx, { PATH: process.env.PATH, CAIRN_POSTGRES: "embedded" }).engine).toBe("embedded");
  });

  it("keeps the embedded engine for a folder that already holds embedded data", async () => {
    const dataDir = join(state.dir, "had-embedded");
    await mkdir(join(dataDir, "pglite"), { recursive: true });
    await writeFile(join(dataDir, "pglite", "PG_VERSION"), "17\n");
    expect(choosePostgres(db, contextFor(dataDir), { PATH: process.env.PATH }).engine).toBe("embedded");
    expect(choosePostgres(db, contextFor(dataDir), { PATH: process.env.PATH, CAIRN_POSTGRES: "native" }).engine).toBe("native");
  });

  it("rejects an unknown CAIRN_POSTGRES value", () => {
    const error = (() => {
      try {
        choosePostgres(db, contextFor(join(state.dir, "x")), { CAIRN_POSTGRES: "docker" });
      } catch (e) {
        return e;
      }
    })() as ResourceError;
    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toContain('CAIRN_POSTGRES="docker"');
    expect(error.hint).toBe("Use native, embedded or auto.");
  });
});
