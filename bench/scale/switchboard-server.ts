/**
 * The scale bench on Switchboard: serve → protocolTypeRouter → authMiddlewareStack (cookie →
 * SQLite session → SQLite user) → urlRouter → a consumer that joins the group "everyone" and
 * writes each announcement to its socket. {@link broadcast} is one `groupSend` to the group.
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
  type AuthScope,
  type WebsocketScope,
} from "switchboard";
import { SECRET_KEY } from "../scenarios/auth-handshake/fixture.js";
import { databaseFromEnv, PAYLOAD } from "./fixture.js";

const layer = new InMemoryChannelLayer();

class Member extends WebsocketConsumer<WebsocketScope & AuthScope> {
  static override groups = ["everyone"];
  override async connect() {
    if (!this.scope.user.isAuthenticated) return this.close();
    await this.accept();
  }
  async scaleAnnounce(message: { text: string }) {
    await this.send({ text: message.text });
  }
}

export async function start(): Promise<number> {
  const db = new SqliteDatabase(databaseFromEnv(), { readTransactionPerTurn: true });
  const application = protocolTypeRouter({
    websocket: authMiddlewareStack(
      urlRouter([path("ws/", Member.asApp({ channelLayer: layer }))]),
      {
        store: new SqlSessionStore(db),
        backends: [new ModelBackend({ users: new SqlUserStore(db) })],
        secretKey: SECRET_KEY,
      },
    ),
  });
  const server = await serve(application, {
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
  void layer.groupSend("everyone", { type: "scale.announce", text: PAYLOAD });
  return sentAt;
}
