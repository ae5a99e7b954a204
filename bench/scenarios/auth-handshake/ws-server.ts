/**
 * The auth-handshake scenario on raw `ws`: on upgrade, the session and user lookups of
 * `rawUserLookup`, by hand.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { prepareDatabase } from "./fixture.js";
import { rawUserLookup } from "./raw-lookup.js";

export async function start(): Promise<number> {
  const userFor = rawUserLookup(await prepareDatabase());
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
  });
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => {
    const user = req.url === "/chat/" ? userFor(req.headers.cookie ?? "") : null;
    if (user === null) {
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("error", () => {});
      ws.send(`hello ${user.username}`);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}
