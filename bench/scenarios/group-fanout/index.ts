import type { Scenario } from "../../harness/scenario.js";

/** One message to every socket of a group, in one process: layer fan-out vs a `ws` send loop. */
export const groupFanout: Scenario = {
  name: "group-fanout",
  description:
    "A group message to 1,000 and 10,000 sockets: WebsocketConsumer groups on InMemoryChannelLayer vs ws looping over its clients",
  servers: {
    switchboard: "bench/scenarios/group-fanout/switchboard-server.ts",
    raw: "bench/scenarios/group-fanout/ws-server.ts",
  },
  load: "bench/scenarios/group-fanout/load.ts",
};
