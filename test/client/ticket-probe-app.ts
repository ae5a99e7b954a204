/**
 * {@link ticketApp} (log in, mint tickets, hand-off) plus what the client tests need: a JSON
 * socket `/ws/who/` for logged-in users that answers `{ user }` to a request (or closes with
 * the code asked for).
 */
import { authMiddlewareStack, type AuthScope } from "../../src/auth/auth-middleware-stack.js";
import { JsonWebsocketConsumer } from "../../src/consumers/json-websocket-consumer.js";
import { path, protocolTypeRouter, urlRouter } from "../../src/routing/index.js";
import type { SessionStore } from "../../src/stores/session-store.js";
import type { TicketStore } from "../../src/stores/ticket-store.js";
import type { WebsocketScope } from "../../src/types/asgi.js";
import { SECRET_KEY, ticketApp, type openUsers } from "../support/ticket-apps.js";

/** What a test sends `/ws/who/`. */
export type WhoMessage = { do: "who" } | { do: "close"; code: number };

class Who extends JsonWebsocketConsumer<WebsocketScope & AuthScope> {
  override async connect(): Promise<void> {
    if (this.scope.user.isAuthenticated) await this.accept();
    else await this.close();
  }

  override async receiveJson(content: unknown): Promise<void> {
    const message = content as WhoMessage;
    if (message.do === "close") return this.close(message.code);
    await this.reply(content, { user: this.scope.user.username });
  }
}

export function ticketProbeApp(
  store: SessionStore,
  tickets: TicketStore,
  backends: Awaited<ReturnType<typeof openUsers>>["backends"],
) {
  const auth = { store, backends, secretKey: SECRET_KEY, tickets };
  const options = { channelLayer: null };
  const shared = ticketApp(store, tickets, backends);
  return protocolTypeRouter({
    http: shared,
    websocket: urlRouter<WebsocketScope>([
      path("ws/who/", authMiddlewareStack(Who.asApp(options), auth)),
      path("", shared, { nested: true }),
    ]),
  });
}
