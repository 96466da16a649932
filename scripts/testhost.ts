/**
 * The end-to-end tests' Debian host, by hand: `npx tsx scripts/testhost.ts build|up|down [name] [net]`.
 * `build` makes the cached base rootfs; `up` boots a fresh copy as root@<net>.2 (default testhost,
 * 10.231.0) with the harness key printed; `down` powers it off and removes its disk and bridge.
 */
import { ensureBase, TestHost } from "../test/testhost/host.js";

const [verb = "up", name = "testhost", net = "10.231.0"] = process.argv.slice(2);
if (verb === "build") {
  const { rootfs, builtMs } = ensureBase((line) => console.log(line));
  console.log(builtMs === null ? `base already built: ${rootfs}` : `built ${rootfs} in ${(builtMs / 1000).toFixed(1)} s`);
} else if (verb === "up") {
  const host = new TestHost({ name, net });
  const ms = await host.start();
  console.log(`root@${host.address} is up after ${(ms / 1000).toFixed(1)} s; ssh -i ${host.key} -o StrictHostKeyChecking=no root@${host.address}`);
} else if (verb === "down") {
  await new TestHost({ name, net }).close();
  console.log(`${name} is down`);
} else {
  console.error("usage: scripts/testhost.ts build|up|down [name] [net]");
  process.exit(2);
}
