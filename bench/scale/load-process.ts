/**
 * Child process entry of the scale bench: opens logged-in WebSockets to argv[2] for sessions
 * [argv[3], argv[4]) from the source addresses argv[5] (comma-separated, one after another, so
 * each address's ports last), at most argv[6] handshakes in flight, reporting progress over IPC.
 * Then it holds them idle; on `expect` it counts the next message on every socket and reports
 * when the last one arrived.
 */
import { WebSocket } from "ws";
import { sessionKey } from "./fixture.js";

export type LoadRequest = { type: "expect"; id: number } | { type: "report"; id: number };

export type LoadMessage =
  | { type: "progress"; open: number; failed: number; closed: number }
  | { type: "filled"; open: number; failed: number; closed: number; firstError: string | null }
  | { type: "armed"; id: number }
  | ReceivedReport;

/** How many sockets got the expected message, and when the last one did (epoch ms). */
export interface ReceivedReport {
  type: "received";
  id: number;
  received: number;
  lastAt: number;
  /**
   * This process's CPU time from `expect` to the last receive, µs: close to the wall time, the
   * load was what took the time; far below it, the server was.
   */
  cpuMicros: number;
}

const [url, from, to, sourceList, inFlight] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const first = Number(from);
const end = Number(to);
const sources = sourceList.split(",");
const perSource = Math.ceil((end - first) / sources.length);
const send = (message: LoadMessage) => process.send?.(message);
const now = () => performance.timeOrigin + performance.now();

let next = first;
let open = 0;
let failed = 0;
let closed = 0;
let firstError: string | null = null;

let expecting = -1;
let received = 0;
let lastAt = 0;
let cpuAtExpect = 0;

function report(): ReceivedReport {
  const cpu = process.cpuUsage();
  return {
    type: "received",
    id: expecting,
    received,
    lastAt,
    cpuMicros: cpu.user + cpu.system - cpuAtExpect,
  };
}

function onMessage(): void {
  received++;
  lastAt = now();
  if (received === open) send(report());
}

function onClose(): void {
  open--;
  closed++;
}

// listeners shared by every socket (`this` is the socket): a closure each would be load memory
function onOpen(this: WebSocket): void {
  open++;
  this.on("message", onMessage);
  this.once("close", onClose);
  connectNext();
}

function onError(this: WebSocket, error: Error): void {
  firstError ??= error.message;
  // before "open" the handshake failed; after it, "close" follows and counts the socket
  if (this.listenerCount("message") === 0) {
    failed++;
    connectNext();
  }
}

function connectNext(): void {
  if (next === end) {
    if (open + failed + closed === end - first) {
      send({ type: "filled", open, failed, closed, firstError });
    }
    return;
  }
  const i = next++;
  const ws = new WebSocket(url, {
    headers: { cookie: `sessionid=${sessionKey(i)}` },
    localAddress: sources[Math.floor((i - first) / perSource)],
    perMessageDeflate: false,
  });
  ws.once("open", onOpen);
  ws.on("error", onError);
}

process.on("message", (request: LoadRequest) => {
  if (request.type === "expect") {
    expecting = request.id;
    received = 0;
    lastAt = 0;
    const cpu = process.cpuUsage();
    cpuAtExpect = cpu.user + cpu.system;
    send({ type: "armed", id: request.id });
  } else {
    send(report());
  }
});
process.on("disconnect", () => process.exit(0));

const progress = setInterval(() => send({ type: "progress", open, failed, closed }), 1000);
progress.unref();
for (let k = 0; k < Number(inFlight); k++) connectNext();
