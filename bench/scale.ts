/**
 * `npm run bench:scale`: holds N logged-in idle WebSockets (default 100,000) on one server
 * process, Switchboard and raw `ws` in turn, then sends group messages to all of them. Prints
 * the fill rate, RSS and heap per socket (settled) and the time until the last socket has each
 * message, with the ratios Switchboard / raw. Not part of `npm test`; see bench/README.md.
 *
 *   npm run bench:scale -- --sockets 200000 --servers switchboard
 *   npm run bench:scale -- --sockets 5000 --servers switchboard --stack consumer
 *   npm run bench:scale -- --sockets 19500 --message handler
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { hasGroup, prepareDatabase, STACKS, type Stack } from "./scale/fixture.js";
import { checkDescriptors, ephemeralPorts, raiseKernelLimits } from "./scale/kernel-limits.js";
import { DESCRIPTOR_MARGIN, runVariant, type VariantFigures } from "./scale/run-variant.js";

const MODULES = {
  raw: "bench/scale/ws-server.ts",
  switchboard: "bench/scale/switchboard-server.ts",
} as const;
type Name = keyof typeof MODULES;

const { values } = parseArgs({
  options: {
    sockets: { type: "string", default: "100000" },
    servers: { type: "string", default: "raw,switchboard" },
    "in-flight": { type: "string", default: "200" },
    messages: { type: "string", default: "3" },
    "no-pin": { type: "boolean", default: false },
    stack: { type: "string", default: "auth" },
    message: { type: "string", default: "broadcast" },
  },
});
const stack = values.stack as Stack;
if (!STACKS.includes(stack)) throw new Error(`--stack takes ${STACKS.join(", ")}, not "${stack}"`);
if (values.message !== "broadcast" && values.message !== "handler") {
  throw new Error(`--message takes broadcast or handler, not "${values.message}"`);
}
const sockets = Number(values.sockets);
const names = values.servers.split(",") as Name[];
for (const name of names) {
  if (!(name in MODULES)) throw new Error(`--servers takes raw and/or switchboard, not "${name}"`);
}

const log = (line: string) => console.log(line);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

const descriptors = sockets + DESCRIPTOR_MARGIN;
try {
  const needs = { descriptorsPerProcess: descriptors, connections: sockets };
  for (const change of raiseKernelLimits(needs)) log(change);
  checkDescriptors(descriptors, DESCRIPTOR_MARGIN);
} catch (error) {
  // a limit this run cannot get past: the message says what to do, a stack would not
  console.error((error as Error).message);
  process.exit(1);
}
// Each source address has its own ports. Only a quarter of them are used: bind() searches the
// range for a free port, and at 19,500 sockets on one address the load process spent its time
// in that search (fill rate 650/s falling to 100/s, 40 % system CPU).
const perAddress = Math.floor(ephemeralPorts() / 4);
const addressCount = Math.ceil(sockets / perAddress);

log(
  `load average ${load()}; Switchboard serves --stack ${stack}, sends --message ${values.message}; preparing ${sockets} users and sessions`,
);
const database = await prepareDatabase(sockets);
const results: VariantFigures[] = [];
for (const [index, name] of names.entries()) {
  // a fresh block of source addresses per run: no port of the previous run is still held
  const sources = Array.from({ length: addressCount }, (_, k) => `127.0.${index + 1}.${k + 1}`);
  log(`${name}: ${sockets} sockets from ${sources[0]}–${sources.at(-1)}, load average ${load()}`);
  results.push(
    await runVariant(
      {
        name,
        module: MODULES[name],
        serverEnv: { SCALE_DATABASE: database, SCALE_STACK: stack, SCALE_MESSAGE: values.message },
        sockets,
        sources,
        inFlight: Number(values["in-flight"]),
        // a server without the group has no one to send to
        messages: name === "switchboard" && !hasGroup(stack) ? 0 : Number(values.messages),
        // the server gets a CPU of its own; more load processes would only share the other one
        pin: values["no-pin"] ? null : { server: "0", load: "1" },
      },
      log,
    ),
  );
}
log(`load average ${load()}\n`);

const kb = (bytes: number) => (bytes / 1024).toFixed(2).padStart(9);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0).padStart(7);
const rows = results.map((r) => ({
  name: r.name,
  rss: (r.idle.rss - r.baseline.rss) / r.open,
  heap: (r.idle.heapUsed - r.baseline.heapUsed) / r.open,
  rate: r.open / r.fillSeconds,
  result: r,
}));
log(
  "server        sockets failed  fill s  opened/s  rss MB  heap MB  rss/sock KB heap/sock KB  fds",
);
for (const { name, rss, heap, rate, result: r } of rows) {
  const fill = `${r.fillSeconds.toFixed(1).padStart(7)} ${rate.toFixed(0).padStart(9)}`;
  log(
    `${name.padEnd(12)} ${String(r.open).padStart(8)} ${String(r.failed).padStart(6)} ${fill}` +
      `${mb(r.idle.rss)} ${mb(r.idle.heapUsed)}  ${kb(rss)}   ${kb(heap)} ${String(r.fds).padStart(6)}`,
  );
}
log("\ngroup message to every socket: ms until the last one has it (server CPU ms, load CPU ms)");
for (const { name, result: r } of rows) {
  const each = r.deliveries.map(
    (d) =>
      `${d.ms.toFixed(0)} (${d.serverCpuMs.toFixed(0)}, ${d.loadCpuMs.toFixed(0)})` +
      (d.received === r.open ? "" : ` only ${d.received} got it`),
  );
  log(`${name.padEnd(12)} ${each.join("   ") || `no group with --stack ${stack}`}`);
}
const raw = rows.find((row) => row.name === "raw");
const switchboard = rows.find((row) => row.name === "switchboard");
if (raw !== undefined && switchboard !== undefined) {
  log(
    `\nswitchboard / raw: heap per socket ${(switchboard.heap / raw.heap).toFixed(2)} (target ≤ 1.6), ` +
      `RSS per socket ${(switchboard.rss / raw.rss).toFixed(2)} (target ≤ 1.45), ` +
      `sockets opened per second ${(switchboard.rate / raw.rate).toFixed(2)}`,
  );
}
