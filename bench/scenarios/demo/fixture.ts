/** What the demo scenario's load and its raw server agree on. */

/** The room every fan-out socket joins, at `/ws/chat/<room>/`. */
export const ROOM = "benchroom";
