import { fileURLToPath } from "node:url";
import type { Scenario } from "../../harness/scenario.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * The chat demo as `npm start` runs it: `switchboard serve examples/chat/app.ts` from `dist/`, its
 * own settings (a SQLite file in its working directory, a generated secret key, no Redis), its
 * access and auth logs on, and `SWITCHBOARD_BENCH=1`, which lifts the rate and per-user limits.
 */
export const demo: Scenario = {
  name: "demo",
  description:
    "The chat demo as npm start serves it (logs on, SWITCHBOARD_BENCH=1), logged in over HTTP: /ws/echo/ handshakes and echo, a chat room's fan-out, idle sockets vs ws doing the same SQLite lookups by hand",
  servers: {
    switchboard: {
      script: `${ROOT}bin/switchboard.js`,
      args: ["serve", `${ROOT}examples/chat/app.ts`],
      // the demo's defaults, whatever the environment the bench runs in says
      env: {
        SWITCHBOARD_BENCH: "1",
        SWITCHBOARD_DB: "",
        REDIS_URL: "",
        SWITCHBOARD_ALLOWED_HOSTS: "",
      },
    },
    raw: "bench/scenarios/demo/ws-server.ts",
  },
  load: "bench/scenarios/demo/load.ts",
};
