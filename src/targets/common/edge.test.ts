/** The edge's public URL names the port nginx listens on (`proxyPorts`), not the file's port as written. */
import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { edgeUrl, proxyPorts } from "./edge.js";

const shop = (edge: string) =>
  stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
routes: [{ path: /, to: web }]
edge: ${edge}
environments: { prod: { target: vm, domain: shop.example.org } }
`);

describe("the edge's URL", () => {
  it("with TLS, the file's port 80 is served on 443: no port in the URL", () => {
    const stack = shop("{ tls: auto }");
    expect(proxyPorts(stack)).toEqual({ main: 443, redirect: 80 });
    expect(edgeUrl(stack)).toBe("https://shop.example.org");
  });

  it("another port is named; without TLS, 80 is the scheme's own", () => {
    expect(edgeUrl(shop("{ tls: auto, port: 8443 }"))).toBe("https://shop.example.org:8443");
    expect(edgeUrl(shop("{ tls: false }"))).toBe("http://shop.example.org");
  });

  it("behind a Kubernetes Ingress, the scheme's own port whatever edge.port says", () => {
    expect(edgeUrl(shop("{ tls: auto, port: 8443 }"), "ingress")).toBe("https://shop.example.org");
    expect(edgeUrl(shop("{ tls: false, port: 8080 }"), "ingress")).toBe("http://shop.example.org");
  });
});
