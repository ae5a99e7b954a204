/**
 * Group messages across processes through Redis: two receiver processes each read M channels
 * (all in one group) of a RedisChannelLayer; this process sends R group messages, one at a time,
 * and measures until both receivers have every message. Prints group messages/s and deliveries/s.
 *
 *   node --import tsx bench/redis-group-throughput.ts [--channels 500] [--messages 200]
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { RedisChannelLayer } from "switchboard/redis";

const { values } = parseArgs({
  options: {
    role: { type: "string", default: "sender" },
    prefix: { type: "string" },
    channels: { type: "string", default: "500" },
    messages: { type: "string", default: "200" },
  },
});
const channels = Number(values.channels);
const messages = Number(values.messages);
const redis = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
// Receivers may lag behind the sender for a while: room for every message, so none is dropped.
const options = { redis, capacity: messages + 1 };

if (values.role === "receiver") {
  const layer = new RedisChannelLayer({ ...options, prefix: values.prefix });
  const names = await Promise.all(Array.from({ length: channels }, () => layer.newChannel()));
  for (const name of names) await layer.groupAdd("bench", name);
  let remaining = channels * messages;
  for (const name of names) {
    void (async () => {
      for (let i = 0; i < messages; i++) await layer.receive(name);
      remaining -= messages;
      if (remaining === 0) process.send?.("done");
    })();
  }
  process.send?.("ready");
  process.once("message", () => void layer.close().then(() => process.exit(0)));
} else {
  const prefix = `bench:redis-group:${process.pid}:`;
  const receivers: ChildProcess[] = [0, 1].map(() =>
    fork(
      fileURLToPath(import.meta.url),
      [
        "--role",
        "receiver",
        "--prefix",
        prefix,
        "--channels",
        String(channels),
        "--messages",
        String(messages),
      ],
      {
        execArgv: ["--import", "tsx"],
      },
    ),
  );
  await Promise.all(receivers.map((child) => once(child, "message")));
  const done = Promise.all(receivers.map((child) => once(child, "message")));
  const layer = new RedisChannelLayer({ ...options, prefix });
  const started = performance.now();
  for (let i = 0; i < messages; i++) await layer.groupSend("bench", { type: "bench.message", i });
  const sent = performance.now();
  await done;
  const seconds = (performance.now() - started) / 1000;
  const deliveries = messages * channels * receivers.length;
  console.log(
    `${messages} group messages to ${channels * receivers.length} channels in 2 processes: ` +
      `${(messages / seconds).toFixed(0)} group messages/s, ${(deliveries / seconds).toFixed(0)} deliveries/s ` +
      `(sending took ${(sent - started).toFixed(0)} ms, all delivered after ${(seconds * 1000).toFixed(0)} ms)`,
  );
  for (const child of receivers) child.send("stop");
  await Promise.all(receivers.map((child) => once(child, "exit")));
  await layer.flush();
  await layer.close();
}
