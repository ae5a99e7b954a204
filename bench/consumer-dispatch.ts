/**
 * Per-event cost of consumer dispatch, in process (no sockets): one WebsocketConsumer echoes
 * client frames, then handles layer messages sent to its channel on an InMemoryChannelLayer.
 * Measures the consumer's serialized dispatch plus the communicator's queues.
 *
 *   node --import tsx bench/consumer-dispatch.ts [--events 100000]
 */
import { parseArgs } from "node:util";
import { InMemoryChannelLayer, WebsocketConsumer } from "switchboard";
import type { ChannelMessage, WebsocketFrame } from "switchboard";
import { WebsocketCommunicator } from "switchboard/testing";

const { values } = parseArgs({ options: { events: { type: "string", default: "100000" } } });
const events = Number(values.events);

class Echo extends WebsocketConsumer {
  override async connect() {
    await this.accept();
    await this.send({ text: this.channelName ?? "" });
  }
  override receive(frame: WebsocketFrame) {
    return this.send(frame);
  }
  chatMessage(message: ChannelMessage) {
    return this.send({ text: String(message.text) });
  }
}

const layer = new InMemoryChannelLayer({ capacity: events });
const communicator = new WebsocketCommunicator(Echo.asApp({ channelLayer: layer }), "/");
await communicator.connect();
const channel = String(await communicator.receiveFrom());

function report(label: string, started: bigint): void {
  const ns = Number(process.hrtime.bigint() - started);
  console.log(
    `${label}: ${events} events, ${(events / (ns / 1e9)).toFixed(0)}/s, ${(ns / events / 1000).toFixed(2)} µs each`,
  );
}

let started = process.hrtime.bigint();
for (let i = 0; i < events; i++) {
  await communicator.sendTo({ text: "x" });
  await communicator.receiveFrom();
}
report("client frames", started);

started = process.hrtime.bigint();
for (let i = 0; i < events; i++) {
  await layer.send(channel, { type: "chat.message", text: "x" });
  await communicator.receiveFrom();
}
report("layer messages", started);

await communicator.disconnect();
await layer.close();
