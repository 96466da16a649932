/**
 * Where the probes go: the public address of the environment, from `--url`, the running local
 * gateway, the environment's domain, or its hosts. Pure.
 */
import type { Stack } from "../model/types.js";
import { tlsOn } from "../targets/common/edge.js";
import { proxyPorts } from "../targets/common/nginx.js";
import type { Entrance, VerifyHost } from "./types.js";

/** The gateway of `cairn up` listens on this address. */
export const LOCAL_ADDRESS = "127.0.0.1";

export interface Where {
  /** A local `cairn up`: plain HTTP, no firewall, no SSH. */
  readonly local: boolean;
  /** Each public entrance, with the name a request without a route host carries. */
  readonly entrances: readonly (Entrance & { readonly name: string })[];
  readonly hosts: readonly VerifyHost[];
  /** Each service's own address at the local gateway (`127.0.0.1:41234`), for health paths no route exposes. */
  readonly serviceAddresses: ReadonlyMap<string, string>;
  /** The address as shown in the report. */
  readonly shown: string;
}

export interface WhereInput {
  readonly url?: string;
  readonly hosts: readonly VerifyHost[];
  /**
   * Send the probes to each host's own address even when the environment has a domain (whose name
   * still goes in Host and SNI): `cairn deploy` checks the hosts it has just deployed, before DNS
   * may point at them.
   */
  readonly viaHosts?: boolean;
  readonly serviceAddresses?: ReadonlyMap<string, string>;
}

export type WhereResult = { readonly where: Where } | { readonly error: string; readonly hint: string };

const defaultPort = (scheme: "http" | "https") => (scheme === "https" ? 443 : 80);

/** `scheme://name[:port]`, the port left out when it is the scheme's own. */
export function origin(scheme: "http" | "https", name: string, port: number): string {
  const host = name.includes(":") ? `[${name}]` : name;
  return `${scheme}://${host}${port === defaultPort(scheme) ? "" : `:${port}`}`;
}

function fromUrl(stack: Stack, text: string, input: WhereInput): WhereResult {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `--url ${text} is not a URL`, hint: "Give the public address with its scheme, such as --url https://203.0.113.10." };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { error: `--url ${text}: only http and https addresses are probed`, hint: "Give an http:// or https:// address." };
  const scheme = url.protocol === "https:" ? "https" : "http";
  const connect = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port ? Number(url.port) : defaultPort(scheme);
  const name = stack.environment.domain ?? connect;
  return {
    where: {
      local: false,
      entrances: [{ scheme, connect, port, label: null, name }],
      hosts: input.hosts,
      serviceAddresses: input.serviceAddresses ?? new Map(),
      shown: origin(scheme, connect, port),
    },
  };
}

/** The entrances of the environment, or why there is none. */
export function whereOf(stack: Stack, input: WhereInput): WhereResult {
  if (input.url !== undefined) return fromUrl(stack, input.url, input);
  const serviceAddresses = input.serviceAddresses ?? new Map();
  if (stack.environment.target === "local") {
    const port = stack.edge.port;
    return {
      where: {
        local: true,
        entrances: [{ scheme: "http", connect: LOCAL_ADDRESS, port, label: null, name: stack.environment.domain ?? "localhost" }],
        hosts: [],
        serviceAddresses,
        shown: origin("http", LOCAL_ADDRESS, port),
      },
    };
  }
  const scheme = tlsOn(stack) ? "https" : "http";
  const port = proxyPorts(stack).main;
  const domain = stack.environment.domain;
  if (input.viaHosts && input.hosts.length)
    return {
      where: {
        local: false,
        entrances: input.hosts.map((h) => ({ scheme, connect: h.host, port, label: input.hosts.length > 1 ? h.host : null, name: domain ?? h.host })),
        hosts: input.hosts,
        serviceAddresses,
        shown: input.hosts.map((h) => origin(scheme, h.host, port)).join(", "),
      },
    };
  if (domain)
    return {
      where: {
        local: false,
        entrances: [{ scheme, connect: null, port, label: null, name: domain }],
        hosts: input.hosts,
        serviceAddresses,
        shown: origin(scheme, domain, port),
      },
    };
  if (input.hosts.length)
    return {
      where: {
        local: false,
        entrances: input.hosts.map((h) => ({ scheme, connect: h.host, port, label: input.hosts.length > 1 ? h.host : null, name: h.host })),
        hosts: input.hosts,
        serviceAddresses,
        shown: input.hosts.map((h) => origin(scheme, h.host, port)).join(", "),
      },
    };
  return {
    error: `the environment ${stack.environment.name} has no public address to probe`,
    hint: "Give one with --url https://<address>, or set `domain:` or `hosts:` on the environment.",
  };
}
