/**
 * Heap per idle consumer connection and CPU per group delivery, in process (no sockets): `count`
 * WebsocketCommunicator connections to a WebsocketConsumer that joins one group on an
 * InMemoryChannelLayer, then rounds of one `groupSend` that every member echoes to its client:
 * alternately a `chat.message` its own handler sends on, and a `websocket.broadcast` the default
 * handler sends (in place, while the consumer is idle). CPU time rather than wall time, so other
 * processes on the machine move it less; the best round and the median are printed for each
 * (noise only slows a round).
 *
 *   node --expose-gc --import tsx bench/consumer-fan-out.ts [--connections 5000] [--rounds 25]
 */
import { setTimeout } from "node:timers/promises";
import { parseArgs } from "node:util";
import {
  InMemoryChannelLayer,
  WebsocketConsumer,
  type ChannelMessage,
  type WebsocketBroadcast,
} from "switchboard";
import { WebsocketCommunicator } from "switchboard/testing";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "5000" },
    rounds: { type: "string", default: "25" },
  },
});
const count = Number(values.connections);
const rounds = Number(values.rounds);
const { gc } = globalThis as { gc?: () => void };
if (gc === undefined) throw new Error("run with node --expose-gc");
const collect: () => void = gc;

type ChatMessage = { type: "chat.message"; text: string };

class Room extends WebsocketConsumer {
  static override groups = ["room"];
  async chatMessage(message: ChatMessage) {
    await this.send({ text: message.text });
  }
}

const layer = new InMemoryChannelLayer({ capacity: 100 });
const app = Room.asApp({ channelLayer: layer });

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    collect();
    await setTimeout(20);
  }
  return process.memoryUsage().heapUsed;
}

const before = await settledHeap();
const communicators: WebsocketCommunicator[] = [];
for (let i = 0; i < count; i++) {
  const communicator = new WebsocketCommunicator(app, "/");
  if (!(await communicator.connect()).connected) throw new Error("the consumer refused");
  communicators.push(communicator);
}
const idle = (await settledHeap()) - before;

/** CPU µs per member of one group send of `message`, until every client has its frame. */
async function deliver(message: ChannelMessage): Promise<number> {
  const started = process.cpuUsage();
  await layer.groupSend("room", message);
  await Promise.all(communicators.map((communicator) => communicator.receiveFrom()));
  const { user, system } = process.cpuUsage(started);
  return (user + system) / count;
}

const handled: number[] = [];
const broadcast: number[] = [];
for (let round = 0; round < rounds; round++) {
  handled.push(await deliver({ type: "chat.message", text: "hi" } satisfies ChatMessage));
  broadcast.push(
    await deliver({ type: "websocket.broadcast", text: "hi" } satisfies WebsocketBroadcast),
  );
}
console.log(`heap per idle consumer connection (${count}): ${(idle / count).toFixed(0)} B`);
for (const [name, perMember] of [
  ["chat.message handler", handled],
  ["websocket.broadcast", broadcast],
] as const) {
  perMember.sort((a, b) => a - b);
  console.log(
    `group delivery (${name}), CPU per member: best ${perMember[0]!.toFixed(2)} µs, median ${perMember[perMember.length >> 1]!.toFixed(2)} µs`,
  );
}
await layer.close();
