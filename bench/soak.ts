/**
 * `npm run soak [-- --rounds 4 --per-round 5000 --concurrency 50 --route echo --budget 300]`:
 * serves the chat demo (SWITCHBOARD_BENCH=1) in a child process, signs one user up over HTTP, then
 * opens rounds of authenticated WebSockets back to back — connect with the session cookie, send,
 * read the echo, close — and prints after each round its duration and the server's RSS, heap,
 * CPU time and open descriptors. After the last round the server settles (forced GCs, RSS steady)
 * and the end is compared with the start. Exits 1 when a socket failed or the end is not back at
 * the start's level, 2 when the budget ran out. See bench/README.md, "Soak".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ChatClient } from "../examples/chat/testing/chat-client.js";
import type { ServerSample } from "./harness/scenario.js";
import { openFds, timeWait } from "./soak/proc.js";
import { runRound } from "./soak/round.js";
import { SoakServer } from "./soak/server.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "4" },
    "per-round": { type: "string", default: "5000" },
    concurrency: { type: "string", default: "50" },
    route: { type: "string", default: "echo" },
    budget: { type: "string", default: "300" },
  },
});
const rounds = Number(values.rounds);
const perRound = Number(values["per-round"]);
const concurrency = Number(values.concurrency);
const WARM_UP = 500;
const MB = 1024 * 1024;
// The end counts as back at the start when its settled RSS is within this much of the start's
// (V8 and the allocator keep some pages they grew into), its live heap within HEAP_TOLERANCE
// (a leak of 100 bytes per socket over 20,000 sockets would exceed it) and its descriptors
// within FD_TOLERANCE; and when no round took more than SLOWDOWN times the first.
const RSS_TOLERANCE = 24 * MB;
const HEAP_TOLERANCE = 2 * MB;
const FD_TOLERANCE = 2;
const SLOWDOWN = 1.5;

const paths: Record<string, (slot: number) => string> = {
  echo: () => "/ws/echo/",
  // a room per in-flight slot, so a raw client reads back its own message and no one else's
  chat: (slot) => `/ws/chat/soak${slot}/`,
  // every socket in one room, as a busy room sees it: each message reaches every member
  room: () => "/ws/chat/soak/",
};
const path = paths[values.route];
if (path === undefined) {
  console.error(`--route is echo, chat or room, not ${values.route}`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "sb-soak-"));
const server = await SoakServer.start({
  SWITCHBOARD_DB: join(dir, "soak.sqlite3"),
  SWITCHBOARD_BENCH: "1",
});
const budget = setTimeout(
  () => {
    console.error(`soak: over its budget of ${values.budget} s, stopped\n${server.output()}`);
    server.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    process.exit(2);
  },
  Number(values.budget) * 1000,
);

interface Row {
  label: string;
  sockets: number;
  seconds: number | null;
  failures: number;
  sample: ServerSample;
  fds: number;
  timeWait: { server: number; client: number };
}

const rows: Row[] = [];
const measure = async (
  label: string,
  settle: boolean,
  round?: Awaited<ReturnType<typeof runRound>>,
) => {
  const row: Row = {
    label,
    sockets: round === undefined ? 0 : perRound,
    seconds: round === undefined ? null : round.durationMs / 1000,
    failures: round?.failures ?? 0,
    sample: await server.sample(settle),
    fds: openFds(server.child.pid as number),
    timeWait: timeWait(server.port),
  };
  rows.push(row);
  printRow(row);
  if (round?.firstFailure) console.log(`  first failure: ${round.firstFailure}`);
  return row;
};

function printRow(row: Row): void {
  const cells = [
    row.label.padEnd(16),
    String(row.sockets).padStart(7),
    (row.seconds === null ? "" : row.seconds.toFixed(1)).padStart(8),
    String(row.failures).padStart(6),
    (row.sample.cpuMicros / 1e6).toFixed(1).padStart(8),
    (row.sample.rss / MB).toFixed(1).padStart(8),
    (row.sample.heapUsed / MB).toFixed(1).padStart(8),
    String(row.fds).padStart(5),
    `${row.timeWait.server}/${row.timeWait.client}`.padStart(13),
  ];
  console.log(cells.join(" "));
}

let exitCode = 0;
try {
  const client = new ChatClient(`http://127.0.0.1:${server.port}`);
  await client.signup("soak", "steady-harbour-1234");
  const route = `${values.route} (${path(0)})`;
  console.log(
    `soak: ${rounds} rounds of ${perRound} sockets on ${route}, ${concurrency} in flight, ` +
      `after ${WARM_UP} to warm up; demo pid ${server.child.pid} on port ${server.port}`,
  );
  console.log(
    "phase            sockets  seconds failed  cpu s   rss MB  heap MB   fds  TIME_WAIT s/c",
  );
  const roundOptions = { client, path, concurrency, timeoutMs: 10_000 };
  const warmUp = await runRound({ ...roundOptions, count: WARM_UP });
  if (warmUp.failures > 0) throw new Error(`warm-up failed: ${warmUp.firstFailure}`);
  const start = await measure("start (settled)", true);
  const timed: Row[] = [];
  for (let round = 1; round <= rounds; round++) {
    const result = await runRound({ ...roundOptions, count: perRound });
    timed.push(await measure(`round ${round}`, false, result));
  }
  const end = await measure("end (settled)", true);
  exitCode = verdict(start, end, timed) ? 0 : 1;
} catch (error) {
  console.error(`soak: ${(error as Error).message}\n${server.output()}`);
  exitCode = 1;
} finally {
  clearTimeout(budget);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

/** Prints the verdict line; `true` when the end is back at the start's level and no round failed. */
function verdict(start: Row, end: Row, timed: Row[]): boolean {
  const rss = end.sample.rss - start.sample.rss;
  const heap = end.sample.heapUsed - start.sample.heapUsed;
  const fds = end.fds - start.fds;
  const failures = timed.reduce((sum, row) => sum + row.failures, 0);
  const first = timed[0]?.seconds ?? 0;
  const slowest = Math.max(...timed.map((row) => row.seconds ?? 0));
  const checks = [
    [failures === 0, `${failures} sockets failed`],
    [rss <= RSS_TOLERANCE, `RSS ${sign(rss / MB)} MB (tolerance +${RSS_TOLERANCE / MB})`],
    [heap <= HEAP_TOLERANCE, `heap ${sign(heap / MB)} MB (tolerance +${HEAP_TOLERANCE / MB})`],
    [Math.abs(fds) <= FD_TOLERANCE, `fds ${sign(fds, 0)} (tolerance ±${FD_TOLERANCE})`],
    [
      slowest <= first * SLOWDOWN,
      `slowest round ${(slowest / first).toFixed(2)} × the first (tolerance ${SLOWDOWN})`,
    ],
  ] as const;
  const ok = checks.every(([passed]) => passed);
  const total = timed.length * perRound;
  console.log(
    `verdict: ${ok ? "PASS" : "FAIL"} after ${total} sockets: ` +
      checks.map(([passed, text]) => (passed ? text : `${text} ✗`)).join(", "),
  );
  return ok;
}

function sign(value: number, digits = 1): string {
  return `${value >= 0 ? "+" : ""}${value.toFixed(digits)}`;
}
