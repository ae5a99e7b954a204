/**
 * The auth-handshake scenario on Switchboard: serve → protocolTypeRouter → authMiddlewareStack
 * (cookie → SQLite session → SQLite user) → urlRouter → a WebsocketConsumer greeting the user.
 */
import {
  authMiddlewareStack,
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
import { prepareDatabase, SECRET_KEY } from "./fixture.js";

class ChatConsumer extends WebsocketConsumer<WebsocketScope & AuthScope> {
  override async connect() {
    const user = this.scope.user;
    if (!user.isAuthenticated) return this.close();
    await this.accept();
    await this.send({ text: `hello ${user.username}` });
  }
}

/** The application, on the SQLite database file `file`. */
export function authApplication(file: string): Application {
  const db = new SqliteDatabase(file, { readTransactionPerTurn: true });
  return protocolTypeRouter({
    websocket: authMiddlewareStack(urlRouter([path("chat/", ChatConsumer.asApp())]), {
      store: new SqlSessionStore(db),
      backends: [new ModelBackend({ users: new SqlUserStore(db) })],
      secretKey: SECRET_KEY,
    }),
  });
}

export async function start(): Promise<number> {
  const application = authApplication(await prepareDatabase());
  const server = await serve(application, { host: "127.0.0.1", port: 0, logger: silentLogger });
  return server.port;
}
