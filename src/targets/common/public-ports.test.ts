/** The ports a machine opens: the edge's, edge.open's, and SSH, open to any address only when the file names no admin address. */
import { describe, expect, it } from "vitest";
import { exampleStack, stackFrom } from "../../test-support/index.js";
import { publicPorts } from "./public-ports.js";

const brief = (stack: Parameters<typeof publicPorts>[0]) =>
  publicPorts(stack).map((r) => `${r.port}/${r.protocol} ${r.sources.join(" ")}${r.defaulted ? " (defaulted)" : ""}`);

describe("a machine's port rules", () => {
  it("CityFlow mvp: nginx's 443 and its redirect on 80 to anyone, SSH from the admin address", async () => {
    expect(brief(await exampleStack("cityflow", "mvp"))).toEqual(["22/tcp 198.51.100.7/32", "80/tcp 0.0.0.0/0 ::/0", "443/tcp 0.0.0.0/0 ::/0"]);
  });

  it("Mangetamain: no proxy, the dashboard's own port as the file writes it", async () => {
    expect(brief(await exampleStack("mangetamain", "production"))).toEqual(["22/tcp 198.51.100.7/32", "8501/tcp 0.0.0.0/0"]);
  });

  it("an edge allow list narrows the edge's ports; SSH with no rule is open to any address, said defaulted; UDP kept", () => {
    const stack = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
routes: [{ path: /, to: web }]
edge:
  port: 8080
  allow: [203.0.113.0/24]
  open: [{ port: 51820, protocol: udp, description: vpn }]
environments: { prod: { target: vm } }
`);
    expect(brief(stack)).toEqual(["22/tcp 0.0.0.0/0 ::/0 (defaulted)", "8080/tcp 203.0.113.0/24", "51820/udp 0.0.0.0/0 ::/0"]);
  });
});
