/**
 * The auth-handshake scenario on Switchboard: serve → protocolTypeRouter → authMiddlewareStack
 * (cookie → SQLite session → SQLite user) → urlRouter → a WebsocketConsumer greeting the user.
 */
import { authMiddlewareStack, type AuthScope } from "../../../src/auth/auth-middleware-stack.js";
import { ModelBackend } from "../../../src/auth/model-backend.js";
import { WebsocketConsumer } from "../../../src/consumers/websocket-consumer.js";
import { path } from "../../../src/routing/path.js";
import { protocolTypeRouter } from "../../../src/routing/protocol-type-router.js";
import { urlRouter } from "../../../src/routing/url-router.js";
import { serve, silentLogger } from "../../../src/server/index.js";
import { SqlSessionStore } from "../../../src/stores/sql-session-store.js";
import { SqliteDatabase } from "../../../src/stores/sqlite-database.js";
import type { WebsocketScope } from "../../../src/types/asgi.js";
import { SqlUserStore } from "../../../src/users/sql-user-store.js";
import { prepareDatabase, SECRET_KEY } from "./fixture.js";

class ChatConsumer extends WebsocketConsumer<WebsocketScope & AuthScope> {
  override async connect() {
    const user = this.scope.user;
    if (!user.isAuthenticated) return this.close();
    await this.accept();
    await this.send({ text: `hello ${user.username}` });
  }
}

export async function start(): Promise<number> {
  const db = new SqliteDatabase(await prepareDatabase());
  const application = protocolTypeRouter({
    websocket: authMiddlewareStack(urlRouter([path("chat/", ChatConsumer.asApp())]), {
      store: new SqlSessionStore(db),
      backends: [new ModelBackend({ users: new SqlUserStore(db) })],
      secretKey: SECRET_KEY,
    }),
  });
  const server = await serve(application, { host: "127.0.0.1", port: 0, logger: silentLogger });
  return server.port;
}
