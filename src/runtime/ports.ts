/** Loopback ports for everything `cairn up` starts: a free one from the operating system, or a check. */
import { createServer } from "node:net";

/** True when nothing listens on `host:port` and this process may bind it. */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free on `host`; `preferred` first when it is free (a resource keeps its port). */
export async function freePort(host = "127.0.0.1", preferred?: number | null): Promise<number> {
  if (preferred && (await portIsFree(preferred, host))) return preferred;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
