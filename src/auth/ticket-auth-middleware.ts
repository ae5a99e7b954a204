import type { SessionScope } from "../sessions/session-middleware.js";
import { Session } from "../sessions/session.js";
import type { SessionStore } from "../stores/session-store.js";
import type { TicketStore } from "../stores/ticket-store.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { answerSubprotocol, refuseToken } from "./handshake-answers.js";
import { redeemTicket } from "./ticket-record.js";

/**
 * Options for {@link ticketAuthMiddleware}.
 *
 * @example
 * ```ts
 * const options: TicketAuthOptions = { tickets, store, queryParam: false };
 * ```
 */
export interface TicketAuthOptions {
  /** Where `wsTicketApp` minted the tickets. */
  tickets: TicketStore;
  /** The session store of the session middleware, to load the ticket's session from. */
  store: SessionStore;
  /** As `sessionMiddleware`'s `maxAge`. */
  maxAge?: number;
  /** Query-string parameter to read, or `false` to ignore the query string. Default `"ticket"`. */
  queryParam?: string | false;
  /**
   * Subprotocol prefix, or `false`. Default `"switchboard.ticket"`: the client offers
   * `["switchboard.ticket", "switchboard.ticket.<ticket>"]` and the handshake answers with the
   * plain `switchboard.ticket` unless the application picks another, so the ticket is never
   * echoed back.
   */
  subprotocol?: string | false;
}

interface FoundTicket {
  ticket: string;
  fromSubprotocol: boolean;
}

/**
 * Opens a WebSocket as the session a connection ticket (from `wsTicketApp`) stands for, for
 * clients that cannot send the session cookie. The ticket comes as a subprotocol offer
 * `switchboard.ticket.<ticket>` (preferred: query strings end up in access logs) or as
 * `?ticket=`. It works once: a used, expired or unknown ticket refuses the handshake with HTTP 403
 * on every process sharing the ticket store. A valid one replaces `scope.session`, and
 * `authMiddleware` (inside this one) resolves the user from it as for a cookie, so a logged-out
 * session or a changed password is honoured. Without a ticket the connection is left alone; HTTP
 * requests are never touched. `authMiddlewareStack` installs it when given `tickets`.
 *
 * @example
 * ```ts
 * const app = cookieMiddleware()(
 *   sessionMiddleware({ store })(
 *     ticketAuthMiddleware({ tickets, store })(authMiddleware({ backends, secretKey })(router)),
 *   ),
 * );
 * ```
 */
export const ticketAuthMiddleware = (options: TicketAuthOptions) => {
  const { tickets, store, maxAge } = options;
  const queryParam = options.queryParam ?? "ticket";
  const subprotocol = options.subprotocol ?? "switchboard.ticket";
  const prefix = `${subprotocol}.`;

  function findTicket(scope: WebsocketScope): FoundTicket | null {
    if (subprotocol !== false) {
      const offer = scope.subprotocols.find((offered) => offered.startsWith(prefix));
      if (offer !== undefined) return { ticket: offer.slice(prefix.length), fromSubprotocol: true };
    }
    if (queryParam !== false && scope.queryString !== "") {
      const ticket = new URLSearchParams(scope.queryString).get(queryParam);
      if (ticket !== null) return { ticket, fromSubprotocol: false };
    }
    return null;
  }

  return <S extends (HttpScope | WebsocketScope) & SessionScope>(
    inner: Application<S>,
  ): Application<S> =>
    async function ticketAuth(scope, receive, send) {
      const found = scope.type === "websocket" ? findTicket(scope) : null;
      if (found === null || scope.type !== "websocket") return inner(scope, receive, send);
      const record = await redeemTicket(tickets, found.ticket, "connect");
      if (record === null) return refuseToken(scope, receive, send);
      const session = new Session(store, record.sessionKey, { maxAge });
      if (!found.fromSubprotocol || subprotocol === false) {
        return inner({ ...scope, session }, receive, send);
      }
      const fields: SessionScope & Pick<WebsocketScope, "subprotocols"> = {
        session,
        subprotocols: scope.subprotocols.filter(
          (offered) => offered !== subprotocol && !offered.startsWith(prefix),
        ),
      };
      const answered = scope.subprotocols.includes(subprotocol);
      return inner(
        { ...scope, ...fields },
        receive,
        answered ? answerSubprotocol(send, subprotocol) : send,
      );
    };
};
