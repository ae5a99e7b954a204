/**
 * The scale bench on Switchboard: serve → protocolTypeRouter → authMiddlewareStack (cookie →
 * SQLite session → SQLite user) → urlRouter → a consumer that joins the group "everyone".
 * {@link broadcast} is one `groupSend` to the group: a `websocket.broadcast`, which idle members
 * send as one shared frame, or with `SCALE_MESSAGE=handler` (`--message handler`) a
 * `scale.announce` that each member's own handler sends.
 *
 * `SCALE_STACK` (`--stack`) serves less of it, to find where a socket's bytes go: `asgi` (a plain
 * application that accepts and waits), `consumer` (the routers and a `WebsocketConsumer`, no
 * layer), `layer` (the consumer in the group), `auth` (everything; the default).
 */
import {
  authMiddlewareStack,
  InMemoryChannelLayer,
  ModelBackend,
  path,
  protocolTypeRouter,
  serve,
  silentLogger,
  SqliteDatabase,
  SqlSessionStore,
  SqlUserStore,
  urlRouter,
  WebsocketConsumer,
  type Application,
  type AuthScope,
  type WebsocketScope,
} from "switchboard";
import { SECRET_KEY } from "../scenarios/auth-handshake/fixture.js";
import { databaseFromEnv, PAYLOAD, type Stack } from "./fixture.js";

const layer = new InMemoryChannelLayer();

/** A member of the group "everyone"; it sends each `scale.announce` to its client itself. */
class Member<S extends WebsocketScope = WebsocketScope> extends WebsocketConsumer<S> {
  static override groups = ["everyone"];
  async scaleAnnounce(message: { text: string }) {
    await this.send({ text: message.text });
  }
}

class LoggedInMember extends Member<WebsocketScope & AuthScope> {
  override async connect() {
    if (!this.scope.user.isAuthenticated) return this.close();
    await this.accept();
  }
}

const idle: Application = async (_scope, receive, send) => {
  await receive(); // websocket.connect
  await send({ type: "websocket.accept" });
  while ((await receive()).type !== "websocket.disconnect");
};

function application(stack: Stack): Application {
  const routed = (consumer: Application<WebsocketScope>) =>
    protocolTypeRouter({ websocket: urlRouter([path("ws/", consumer)]) });
  if (stack === "asgi") return idle;
  if (stack === "consumer") return routed(WebsocketConsumer.asApp({ channelLayer: null }));
  if (stack === "layer") return routed(Member.asApp({ channelLayer: layer }));
  const db = new SqliteDatabase(databaseFromEnv(), { readTransactionPerTurn: true });
  return protocolTypeRouter({
    websocket: authMiddlewareStack(
      urlRouter([path("ws/", LoggedInMember.asApp({ channelLayer: layer }))]),
      {
        store: new SqlSessionStore(db),
        backends: [new ModelBackend({ users: new SqlUserStore(db) })],
        secretKey: SECRET_KEY,
      },
    ),
  });
}

export async function start(): Promise<number> {
  const stack = (process.env.SCALE_STACK ?? "auth") as Stack;
  const server = await serve(application(stack), {
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    // the raw server pings no one either
    keepaliveIntervalMs: 0,
    maxConnections: 0,
  });
  return server.port;
}

/** Sends one message to every member; returns when the send started (epoch ms). */
export function broadcast(): number {
  const sentAt = performance.timeOrigin + performance.now();
  const type = process.env.SCALE_MESSAGE === "handler" ? "scale.announce" : "websocket.broadcast";
  void layer.groupSend("everyone", { type, text: PAYLOAD });
  return sentAt;
}
