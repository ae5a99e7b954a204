/**
 * The group-fanout scenario on Switchboard: every socket is a WebsocketConsumer in group "bench"
 * on an InMemoryChannelLayer; "go" from any socket is one `groupSend`, and each consumer writes
 * the message to its socket from its `benchMessage` handler.
 */
import {
  InMemoryChannelLayer,
  protocolTypeRouter,
  serve,
  silentLogger,
  WebsocketConsumer,
  type WebsocketFrame,
} from "switchboard";
import { GO, PAYLOAD } from "./fixture.js";

const layer = new InMemoryChannelLayer();

class Member extends WebsocketConsumer {
  static override groups = ["bench"];
  override async receive({ text }: WebsocketFrame) {
    if (text === GO) await layer.groupSend("bench", { type: "bench.message", text: PAYLOAD });
  }
  async benchMessage(message: { text: string }) {
    await this.send({ text: message.text });
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
