import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateDir } from "../testing/index.js";
import { ResourceError } from "../types.js";
import { checkReachable } from "./unprivileged.js";

const nobody = { name: "nobody", uid: 65534, gid: 65534 };

describe("a server user that must reach the cluster folder", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  beforeAll(async () => {
    state = await stateDir("reach");
  });
  afterAll(async () => {
    await chmod(join(state.dir, "closed"), 0o755).catch(() => {});
    await state.remove();
  });

  it("passes through folders open to others, and names the closed one with the chmod to run", async () => {
    await mkdir(join(state.dir, "open", "db"), { recursive: true });
    expect(() => checkReachable("db", join(state.dir, "open", "db", "cluster"), nobody)).not.toThrow();
    await mkdir(join(state.dir, "closed", "db"), { recursive: true });
    await chmod(join(state.dir, "closed"), 0o700);
    let error: unknown;
    try {
      checkReachable("db", join(state.dir, "closed", "db", "cluster"), nobody);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as ResourceError).message).toContain(`cannot enter ${join(state.dir, "closed")}`);
    expect((error as ResourceError).hint).toContain(`chmod o+x ${join(state.dir, "closed")}`);
  });
});
