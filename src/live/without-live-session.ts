import { ImproperlyConfigured } from "../errors.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import type { LiveSessions } from "./live-sessions.js";
import { LIVE_SESSIONS, LIVE_SOCKET, type LiveScope } from "./live-socket.js";

/**
 * Opts a route out of live sessions: its sockets stay open when their session ends or expires
 * (they were still authenticated once, at the handshake, as in Channels). Wrap the route's
 * application, inside `authMiddlewareStack`.
 *
 * @example
 * ```ts
 * urlRouter([
 *   path("chat/<room>/", ChatConsumer.asApp()),
 *   path("ticker/", withoutLiveSession(TickerConsumer.asApp())),
 * ]);
 * ```
 */
export function withoutLiveSession<S extends WebsocketScope>(
  inner: Application<S>,
): Application<S> {
  return async function withoutLiveSession(scope, receive, send) {
    (scope as LiveScope)[LIVE_SOCKET]?.optOut();
    await inner(scope, receive, send);
  };
}

/**
 * The {@link LiveSessions} of the server serving `scope`, e.g. to close a user's sockets after
 * an admin deactivated them.
 *
 * @example
 * ```ts
 * await users.update(id, { isActive: false });
 * await liveSessionsOf(this.scope).revoke({ user: String(id), reason: "account deactivated" });
 * ```
 */
export function liveSessionsOf(scope: HttpScope | WebsocketScope): LiveSessions {
  const live = (scope as LiveScope)[LIVE_SESSIONS];
  if (live === undefined) {
    throw new ImproperlyConfigured(
      "This scope was not built by serve(): live sessions exist only on a running server.",
    );
  }
  return live;
}
