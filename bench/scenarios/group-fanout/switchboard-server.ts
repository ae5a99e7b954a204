/**
 * The group-fanout scenario on Switchboard: every socket is a WebsocketConsumer in group "bench"
 * on an InMemoryChannelLayer; "go" from any socket is one `groupSend` of a `websocket.broadcast`,
 * which each consumer's default handler writes to its socket (the frame made once). With
 * `BENCH_FANOUT=handler` it sends a `bench.message` instead, which each consumer's own handler
 * sends on with `send`: the way without a broadcast, for comparison.
 */
import {
  InMemoryChannelLayer,
  protocolTypeRouter,
  serve,
  silentLogger,
  WebsocketConsumer,
  type WebsocketBroadcast,
  type WebsocketFrame,
} from "switchboard";
import { GO, PAYLOAD } from "./fixture.js";

type BenchMessage = { type: "bench.message"; text: string };

const layer = new InMemoryChannelLayer();
const message: WebsocketBroadcast | BenchMessage =
  process.env.BENCH_FANOUT === "handler"
    ? { type: "bench.message", text: PAYLOAD }
    : { type: "websocket.broadcast", text: PAYLOAD };

class Member extends WebsocketConsumer {
  static override groups = ["bench"];
  override async receive({ text }: WebsocketFrame) {
    if (text === GO) await layer.groupSend("bench", message);
  }
  async benchMessage({ text }: BenchMessage) {
    await this.send({ text });
  }
}

export async function start(): Promise<number> {
  const application = protocolTypeRouter({ websocket: Member.asApp({ channelLayer: layer }) });
  const server = await serve(application, {
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    keepaliveIntervalMs: 0,
  });
  return server.port;
}
