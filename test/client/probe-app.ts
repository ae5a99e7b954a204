/**
 * The server the client tests talk to, over real sockets: `/ws/probe/` does what each message
 * asks (`{ do: "echo" | "push" | "silent" | "close", ... }`; only `echo` is answered), `/ws/refuse/` refuses every
 * handshake with 403.
 */
import { JsonWebsocketConsumer } from "../../src/consumers/json-websocket-consumer.js";
import { WebsocketConsumer } from "../../src/consumers/websocket-consumer.js";
import { path, protocolTypeRouter, urlRouter } from "../../src/routing/index.js";
import type { Application } from "../../src/types/asgi.js";

/** What a test asks `/ws/probe/` to do. */
export type ProbeMessage =
  | { do: "echo"; text: string }
  | { do: "push"; text: string }
  | { do: "silent" }
  | { do: "close"; code: number; reason: string };

/** What `/ws/probe/` sends: replies to `echo` (with the request's `ref`), and pushes. */
export type ProbeReply = { echo: string; ref: string } | { pushed: string };

class Probe extends JsonWebsocketConsumer {
  override async receiveJson(content: unknown): Promise<void> {
    const message = content as ProbeMessage;
    if (message.do === "echo") return this.reply(content, { echo: message.text });
    if (message.do === "push") return this.sendJson({ pushed: message.text });
    if (message.do === "close") return this.close(message.code, message.reason);
  }
}

class Refuse extends WebsocketConsumer {
  override async connect(): Promise<void> {
    await this.close();
  }
}

export function probeApp(): Application {
  const options = { channelLayer: null };
  return protocolTypeRouter({
    websocket: urlRouter([
      path("ws/probe/", Probe.asApp(options)),
      path("ws/refuse/", Refuse.asApp(options)),
    ]),
  });
}
