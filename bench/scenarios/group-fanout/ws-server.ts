/** The group-fanout scenario on raw `ws`: the same upgrade path, a Set of sockets, a send loop. */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { GO, PAYLOAD } from "./fixture.js";

export async function start(): Promise<number> {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
  });
  const group = new Set<WebSocket>();
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      group.add(ws);
      ws.on("message", (data) => {
        if (String(data) === GO) for (const member of group) member.send(PAYLOAD);
      });
      ws.on("close", () => group.delete(ws));
      ws.on("error", () => {});
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}
