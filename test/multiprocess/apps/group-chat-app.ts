/**
 * The app the multi-process test serves: every WebSocket joins the group `chat`; a text frame is
 * sent to the group as `{ type: "chat.message", text, pid }`, and each group message is written
 * back to the client as JSON. A raw application using the layer directly, so the test exercises
 * the layer and the server and nothing else. Configured by the environment the test sets:
 * `REDIS_URL`, `SB_LAYER_PREFIX`, `SB_CONNECTION_NAME`.
 */
import { setChannelLayer } from "../../../src/index.js";
import type { Application, ChannelMessage, ReceiveEvent } from "../../../src/index.js";
import { RedisChannelLayer } from "../../../src/redis.js";

const layer = new RedisChannelLayer({
  redis: process.env.REDIS_URL,
  prefix: process.env.SB_LAYER_PREFIX,
  connectionName: process.env.SB_CONNECTION_NAME,
});
setChannelLayer(layer);

export const application: Application = async (scope, receive, send) => {
  if (scope.type !== "websocket") throw new Error("this test app serves WebSockets only");
  if ((await receive()).type !== "websocket.connect") return;
  const channel = await layer.newChannel();
  await layer.groupAdd("chat", channel);
  await send({ type: "websocket.accept" });
  const left = new AbortController();
  let fromClient: Promise<ReceiveEvent> = receive();
  let fromLayer: Promise<ChannelMessage> = layer.receive(channel, left.signal);
  try {
    for (;;) {
      const next = await Promise.race([
        fromClient.then((event) => ({ event })),
        fromLayer.then((message) => ({ message })),
      ]);
      if ("message" in next) {
        await send({ type: "websocket.send", text: JSON.stringify(next.message) });
        fromLayer = layer.receive(channel, left.signal);
      } else if (next.event.type === "websocket.receive") {
        await layer.groupSend("chat", {
          type: "chat.message",
          text: next.event.text,
          pid: process.pid,
        });
        fromClient = receive();
      } else return;
    }
  } finally {
    left.abort(new Error("client left"));
    fromLayer.catch(() => {});
    await layer.groupDiscard("chat", channel);
  }
};
