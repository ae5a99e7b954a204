/**
 * The scale bench on raw `ws`: on upgrade, the session and user lookups of `rawUserLookup`; the
 * group is a Map from socket to its user, and {@link broadcast} a send loop over it.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { rawUserLookup, type UserRow } from "../scenarios/auth-handshake/raw-lookup.js";
import { databaseFromEnv, PAYLOAD } from "./fixture.js";

const everyone = new Map<WebSocket, UserRow>();

export async function start(): Promise<number> {
  const userFor = rawUserLookup(databaseFromEnv());
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
  });
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => {
    const user = req.url === "/ws/" ? userFor(req.headers.cookie ?? "") : null;
    if (user === null) {
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      everyone.set(ws, user);
      ws.on("close", () => everyone.delete(ws));
      ws.on("error", () => {});
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

/** Sends one message to every member; returns when the send started (epoch ms). */
export function broadcast(): number {
  const sentAt = performance.timeOrigin + performance.now();
  for (const ws of everyone.keys()) ws.send(PAYLOAD);
  return sentAt;
}
