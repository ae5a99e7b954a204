/** Every scenario `npm run bench` knows; add yours here (one line) after its folder. */
import type { Scenario } from "../harness/scenario.js";
import { authHandshake } from "./auth-handshake/index.js";
import { demo } from "./demo/index.js";
import { echo } from "./echo/index.js";
import { groupFanout } from "./group-fanout/index.js";

// Lightest first: each scenario gets an equal share of the time left, so echo (~40 s a round,
// with its 10,000-socket memory phase) comes last and inherits what the others did not use.
export const scenarios: readonly Scenario[] = [authHandshake, groupFanout, demo, echo];
