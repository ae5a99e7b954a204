import {
  authMiddlewareStack,
  clientFilesApp,
  consoleLogger,
  getChannelLayer,
  ModelBackend,
  openDatabase,
  Passwords,
  path,
  protocolTypeRouter,
  setChannelLayer,
  sessionHandoffApp,
  SqlUserStore,
  urlRouter,
  type Application,
  type AuthMiddlewareStackOptions,
  type HttpScope,
  type TicketStore,
} from "switchboard";
import { authLog } from "./auth-log.js";
import { CHAT_ROUTE, ChatConsumer, provideRoomMembers } from "./chat-consumer.js";
import { provideServices, type ChatServices } from "./chat-scope.js";
import { EchoConsumer } from "./echo-consumer.js";
import { LocalRoomMembers } from "./local-room-members.js";
import { LoginConsumer } from "./login-consumer.js";
import { LogoutConsumer } from "./logout-consumer.js";
import { RoomStore } from "./room-store.js";
import { ROOM_PAGE_ROUTE, RoomPageConsumer } from "./room-page-consumer.js";
import { RoomsConsumer } from "./rooms-consumer.js";
import type { ChatSettings } from "./settings.js";
import { openSharedState } from "./shared-state.js";
import { SignupConsumer } from "./signup-consumer.js";
import { provideHandoffTickets, SocketLoginConsumer } from "./socket-login-consumer.js";
import { STATIC_ROUTE, StaticConsumer } from "./static-consumer.js";
import { WhoamiConsumer } from "./whoami-consumer.js";

/** What the demo reports to, besides the server's access log. */
export interface ChatOptions {
  /** Where auth events go, one line each. Default: the server's default logger (stdout). */
  log?: (line: string) => void;
}

/** The chat demo, ready to serve; `close()` releases the database, Redis and the layer. */
export interface Chat {
  application: Application;
  close(): Promise<void>;
}

// Pages read nothing from the channel layer: without one, a request costs no layer channel.
const noLayer = { channelLayer: null } as const;

function httpApplication(
  settings: ChatSettings,
  services: ChatServices,
  auth: AuthMiddlewareStackOptions,
  tickets: TicketStore,
) {
  const pages = urlRouter([
    path("", RoomsConsumer.asApp(noLayer)),
    path("login/", LoginConsumer.asApp(noLayer)),
    path("signup/", SignupConsumer.asApp(noLayer)),
    path("logout/", LogoutConsumer.asApp(noLayer)),
    path("whoami/", WhoamiConsumer.asApp(noLayer)),
    path(ROOM_PAGE_ROUTE, RoomPageConsumer.asApp(noLayer)),
  ]);
  // The stack checks the CSRF token of every form; a load generator logs in without one.
  const csrf = { exempt: settings.bench ? ["/login/"] : [] };
  return urlRouter<HttpScope>([
    // Outside the auth stack: a stylesheet needs no session lookup. The pages' scripts import
    // switchboard/client from /static/switchboard-client/index.js.
    path("static/switchboard-client/", clientFilesApp()),
    path(STATIC_ROUTE, StaticConsumer.asApp(noLayer)),
    // Exchanges the token "Sign in over WebSocket" gets for the new session cookie (and a new
    // CSRF token, the stack's cookie).
    path("session/handoff/", sessionHandoffApp({ tickets, ...auth, csrf })),
    path("", authMiddlewareStack(provideServices(services)(pages), { ...auth, csrf }), {
      nested: true,
    }),
  ]);
}

/**
 * Builds the chat application from `settings`: opens and migrates the database, opens the
 * session store and channel layer (Redis when configured) and installs the layer with
 * `setChannelLayer`, so the chat consumers find it.
 *
 * @example
 * ```ts
 * const chat = await createChat(settingsFromEnv());
 * const server = await serve(chat.application, { ...chatServeOptions(settings), port: 8000 });
 * ```
 */
export async function createChat(
  settings: ChatSettings,
  { log = consoleLogger.info }: ChatOptions = {},
): Promise<Chat> {
  const db = await openDatabase(settings.database, { readTransactionPerTurn: true });
  const users = new SqlUserStore(db);
  const rooms = new RoomStore(db);
  await users.migrate();
  await rooms.migrate();
  const shared = await openSharedState(settings, db);
  setChannelLayer(shared.layer);

  const passwords = new Passwords();
  const backends = [new ModelBackend({ users, passwords })];
  const auth = {
    store: shared.sessions,
    backends,
    secretKey: settings.secretKey,
    secretKeyFallbacks: settings.secretKeyFallbacks,
    signals: authLog(log),
  };
  // The stack refuses a foreign Origin; scripts and load generators send none and still need a
  // valid session cookie.
  const websocket = authMiddlewareStack(
    urlRouter([
      path("ws/echo/", EchoConsumer.asApp(noLayer)),
      path("ws/login/", provideHandoffTickets(shared.tickets)(SocketLoginConsumer.asApp(noLayer))),
      path(CHAT_ROUTE, provideRoomMembers(new LocalRoomMembers())(ChatConsumer.asApp())),
    ]),
    auth,
  );
  const services = { users, rooms, passwords };
  return {
    application: protocolTypeRouter({
      http: httpApplication(settings, services, auth, shared.tickets),
      websocket,
    }),
    async close() {
      if (getChannelLayer() === shared.layer) setChannelLayer(null);
      await shared.close();
      await db.close();
    },
  };
}
