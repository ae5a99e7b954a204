/**
 * Child process entry: starts the server module given as argv[2], reports its port over IPC,
 * answers `sample` requests (see `sampling.ts`) and, for a module that exports `broadcast`
 * (bench/scale), `broadcast` requests with when the send started; exits on `stop` or when the
 * parent goes away.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { answerSamples } from "./sampling.js";
import type { Broadcast, StartServer } from "./scenario.js";

const module = (await import(pathToFileURL(resolve(process.argv[2] as string)).href)) as {
  start: StartServer;
  broadcast?: Broadcast;
};
const port = await module.start();
answerSamples({ started: true });
process.on("message", (request: { type: string; id?: number }) => {
  if (request.type !== "broadcast") return;
  if (module.broadcast === undefined) throw new Error(`${process.argv[2]} exports no broadcast`);
  process.send?.({ type: "broadcast", id: request.id, sentAt: module.broadcast() });
});
process.send?.({ type: "ready", port });
