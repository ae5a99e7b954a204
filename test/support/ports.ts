import { once } from "node:events";
import { createServer } from "node:net";

/**
 * A loopback port nothing listens on right now, for child processes whose bound port cannot be
 * read back (the serve command cannot report a port 0 it bound).
 */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}
