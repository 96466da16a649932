/** Free loopback ports: a resource keeps its previous port when it is still free, else gets a new one. */
import { createServer } from "node:net";

/** True when nothing listens on `host:port` and this process may bind it. */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free on `host`; `preferred` first when it is free. */
export async function freePort(host: string, preferred?: number | null): Promise<number> {
  if (preferred && (await portFree(host, preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
