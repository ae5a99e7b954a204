/**
 * Heap per idle consumer connection and CPU per group delivery, in process (no sockets): `count`
 * WebsocketCommunicator connections to a WebsocketConsumer that joins one group on an
 * InMemoryChannelLayer, then rounds of one `groupSend` that every member echoes to its client:
 * alternately a `chat.message` its own handler sends on, and a `websocket.broadcast` the default
 * handler sends (in place, while the consumer is idle). CPU time rather than wall time, so other
 * processes on the machine move it less; the best round and the median are printed for each
 * (noise only slows a round), and the bytes allocated per member over 5 more rounds of each (V8's
 * sampling heap profiler, counting what was collected too: they do not move between runs).
 *
 * With `--redis`, the group is on a RedisChannelLayer (REDIS_URL, default 127.0.0.1:6379) instead;
 * its heap figure then counts the layer's bookkeeping too.
 *
 *   node --expose-gc --import tsx bench/consumer-fan-out.ts [--connections 5000] [--rounds 25] [--redis]
 */
import { Session as Inspector } from "node:inspector/promises";
import { setTimeout } from "node:timers/promises";
import { parseArgs } from "node:util";
import {
  InMemoryChannelLayer,
  WebsocketConsumer,
  type ChannelMessage,
  type WebsocketBroadcast,
} from "switchboard";
import { RedisChannelLayer } from "switchboard/redis";
import { WebsocketCommunicator } from "switchboard/testing";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "5000" },
    rounds: { type: "string", default: "25" },
    redis: { type: "boolean", default: false },
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

const layer = values.redis
  ? new RedisChannelLayer({
      redis: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      prefix: `bench:fan-out:${process.pid}:`,
      capacity: 100,
    })
  : new InMemoryChannelLayer({ capacity: 100 });
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

interface SamplingNode {
  selfSize: number;
  children: SamplingNode[];
}

/** Bytes allocated per member over 5 group sends of `message`. */
async function allocated(message: ChannelMessage): Promise<number> {
  const sends = 5;
  const inspector = new Inspector();
  inspector.connect();
  await inspector.post("HeapProfiler.startSampling", {
    samplingInterval: 32,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let send = 0; send < sends; send++) await deliver(message);
  const { profile } = await inspector.post("HeapProfiler.stopSampling");
  inspector.disconnect();
  const total = (node: SamplingNode): number =>
    node.children.reduce((sum, child) => sum + total(child), node.selfSize);
  return total(profile.head as SamplingNode) / sends / count;
}

const chat: ChatMessage = { type: "chat.message", text: "hi" };
const toAll: WebsocketBroadcast = { type: "websocket.broadcast", text: "hi" };
const handled: number[] = [];
const broadcast: number[] = [];
for (let round = 0; round < rounds; round++) {
  handled.push(await deliver(chat));
  broadcast.push(await deliver(toAll));
}
const bytes = { handled: await allocated(chat), broadcast: await allocated(toAll) };
console.log(`heap per idle consumer connection (${count}): ${(idle / count).toFixed(0)} B`);
for (const [name, perMember, allocatedBytes] of [
  ["chat.message handler", handled, bytes.handled],
  ["websocket.broadcast", broadcast, bytes.broadcast],
] as const) {
  perMember.sort((a, b) => a - b);
  console.log(
    `group delivery (${name}), per member: CPU best ${perMember[0]!.toFixed(2)} µs, median ${perMember[perMember.length >> 1]!.toFixed(2)} µs; ${allocatedBytes.toFixed(0)} B allocated`,
  );
}
await layer.flush();
await layer.close();
