/**
 * The app the multi-process test serves: every WebSocket joins the group `chat`; a text frame is
 * sent to the group as `{ type: "chat.message", text, pid }`, and each group message is written
 * back to the client as JSON. A group send that fails (Redis down) is answered with
 * `{ type: "chat.error", code, message }` instead of closing the socket, so a test sees the error
 * and keeps the connection. Configured by the environment the test sets: `REDIS_URL`,
 * `SB_LAYER_PREFIX`, `SB_CONNECTION_NAME`.
 */
import {
  protocolTypeRouter,
  setChannelLayer,
  SwitchboardError,
  WebsocketConsumer,
} from "../../../src/index.js";
import type { ChannelMessage, WebsocketFrame } from "../../../src/index.js";
import { RedisChannelLayer } from "../../../src/redis.js";

setChannelLayer(
  new RedisChannelLayer({
    redis: process.env.REDIS_URL,
    prefix: process.env.SB_LAYER_PREFIX,
    connectionName: process.env.SB_CONNECTION_NAME,
  }),
);

class ChatConsumer extends WebsocketConsumer {
  static override groups = ["chat"];

  override async receive({ text }: WebsocketFrame) {
    try {
      await this.channelLayer!.groupSend("chat", { type: "chat.message", text, pid: process.pid });
    } catch (error) {
      if (!(error instanceof SwitchboardError)) throw error;
      await this.send({
        text: JSON.stringify({ type: "chat.error", code: error.code, message: error.message }),
      });
    }
  }

  async chatMessage(message: ChannelMessage) {
    await this.send({ text: JSON.stringify(message) });
  }
}

export const application = protocolTypeRouter({ websocket: ChatConsumer.asApp() });
