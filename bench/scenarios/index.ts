/** Every scenario `npm run bench` knows; add yours here (one line) after its folder. */
import type { Scenario } from "../harness/scenario.js";
import { authHandshake } from "./auth-handshake/index.js";
import { echo } from "./echo/index.js";
import { groupFanout } from "./group-fanout/index.js";

export const scenarios: readonly Scenario[] = [echo, authHandshake, groupFanout];
