import type { Scenario } from "../../harness/scenario.js";

/** Authenticated handshakes: session cookie → SQLite session → SQLite user, then a greeting. */
export const authHandshake: Scenario = {
  name: "auth-handshake",
  description:
    "Authenticated WebSocket handshakes: authMiddlewareStack + consumer vs ws doing the same SQLite lookups by hand",
  servers: {
    switchboard: "bench/scenarios/auth-handshake/switchboard-server.ts",
    raw: "bench/scenarios/auth-handshake/ws-server.ts",
  },
  load: "bench/scenarios/auth-handshake/load.ts",
};
