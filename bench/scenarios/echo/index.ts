import type { Scenario } from "../../harness/scenario.js";

/** WebSocket echo: the server hot path (handshake, message in, message out) and idle memory. */
export const echo: Scenario = {
  name: "echo",
  description: "WebSocket echo: a raw ASGI echo app on serve() vs a ws WebSocketServer",
  servers: {
    switchboard: "bench/scenarios/echo/switchboard-server.ts",
    raw: "bench/scenarios/echo/ws-server.ts",
  },
  load: "bench/scenarios/echo/load.ts",
};
