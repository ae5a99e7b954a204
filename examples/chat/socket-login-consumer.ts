import {
  authenticate,
  JsonWebsocketConsumer,
  login,
  sessionHandoff,
  type Application,
  type AuthScope,
  type TicketStore,
  type WebsocketScope,
} from "switchboard";

type SocketLoginScope = WebsocketScope & AuthScope & { handoffTickets: TicketStore };

/**
 * `/ws/login/`: the login page's "Sign in over WebSocket". Takes `{ username, password }`, logs
 * in, and answers `{ handoff }`: a one-time token the page exchanges at `/session/handoff/` for
 * the new session cookie (the browser still holds the one it connected with), or `{ error }`.
 * The answer carries the message's `ref`, if any, for `request()` of `switchboard/client`.
 */
export class SocketLoginConsumer extends JsonWebsocketConsumer<SocketLoginScope> {
  override async receiveJson(content: unknown): Promise<void> {
    const { username, password } = (content ?? {}) as Record<string, unknown>;
    const user = await authenticate({ username, password }, this.scope);
    if (user === null) {
      await this.reply(content, { error: "That username and password do not match an account." });
      return;
    }
    await login(this.scope, user);
    await this.reply(content, {
      handoff: await sessionHandoff(this.scope, this.scope.handoffTickets),
    });
  }
}

/** Puts the hand-off ticket store on the scope, where `SocketLoginConsumer` finds it. */
export const provideHandoffTickets =
  (tickets: TicketStore) =>
  (inner: Application<SocketLoginScope>): Application<WebsocketScope & AuthScope> =>
    async function handoffTickets(scope, receive, send) {
      return inner({ ...scope, handoffTickets: tickets }, receive, send);
    };
