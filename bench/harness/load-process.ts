/**
 * Child process entry: runs the load module argv[2] against the port argv[3]; server samples are
 * relayed through the parent, which owns the server process. Sends back its figures.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { Figure, Load, ServerSample } from "./scenario.js";

const [modulePath, port, quick] = process.argv.slice(2) as [string, string, string];
const module = (await import(pathToFileURL(resolve(modulePath)).href)) as { load: Load };

let nextId = 0;
const pending = new Map<number, (sample: ServerSample) => void>();
process.on("message", (message: { type: "sample"; id: number; sample: ServerSample }) => {
  pending.get(message.id)?.(message.sample);
  pending.delete(message.id);
});

const figures: Figure[] = await module.load({
  wsUrl: `ws://127.0.0.1:${port}`,
  httpUrl: `http://127.0.0.1:${port}`,
  quick: quick === "quick",
  sample: (options = {}) =>
    new Promise((resolveSample) => {
      const id = nextId++;
      pending.set(id, resolveSample);
      process.send?.({ type: "sample", id, settle: options.settle === true });
    }),
});
process.send?.({ type: "figures", figures }, () => process.exit(0));
