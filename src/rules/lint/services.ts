/** Lints on services: health checks, stickiness for WebSockets, path prefixes. */
import type { Finding } from "../../diagnostics/types.js";
import type { LintRule } from "../types.js";

export const noHealth: LintRule = {
  code: "lint/no-health",
  check: (stack) =>
    stack.services
      .filter((s) => s.public && s.health === null)
      .map(
        (s): Finding => ({
          code: "lint/no-health",
          message: `service "${s.name}" gets traffic from the edge but has no health check`,
          path: ["services", s.name],
        }),
      ),
};

export const websocketNoSticky: LintRule = {
  code: "lint/websocket-no-sticky",
  check: (stack) =>
    stack.services
      .filter((s) => s.websockets && s.stickyMs === null && Math.max(s.replicas, s.scale?.max ?? 0) > 1)
      .map(
        (s): Finding => ({
          code: "lint/websocket-no-sticky",
          message: `service "${s.name}" holds WebSockets on up to ${Math.max(s.replicas, s.scale?.max ?? 0)} replicas without sticky sessions`,
          path: ["services", s.name, "websockets"],
        }),
      ),
};

export const prefixUnknown: LintRule = {
  code: "lint/prefix-unknown",
  check: (stack) => {
    const findings: Finding[] = [];
    const services = new Map(stack.services.map((s) => [s.name, s]));
    for (const [i, route] of stack.routes.entries()) {
      const service = services.get(route.to);
      if (!service || route.path === "/" || service.basePath) continue;
      if (service.framework === "streamlit" || (service.websockets && !route.strip)) {
        findings.push({
          code: "lint/prefix-unknown",
          message: `service "${service.name}" is served under ${route.path} but does not know it: its links and WebSocket URL will point at /`,
          path: ["routes", i, "path"],
          hint: `Add \`base_path: ${route.path}\` to service "${service.name}".`,
        });
      }
    }
    return findings;
  },
};
