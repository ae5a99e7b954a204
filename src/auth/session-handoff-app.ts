import { setCookie } from "../cookies/set-cookie.js";
import { csrfCookie, newCsrfToken } from "../security/csrf-cookie.js";
import type { CsrfOptions } from "../security/csrf-middleware.js";
import { sessionCookie } from "../sessions/session-cookie.js";
import type { SessionMiddlewareOptions } from "../sessions/session-middleware.js";
import type { TicketStore } from "../stores/ticket-store.js";
import type { Application, HttpScope } from "../types/asgi.js";
import { acceptPost, sendJson } from "./ticket-endpoint.js";
import { redeemTicket } from "./ticket-record.js";

/**
 * Options for {@link sessionHandoffApp}: the ticket store `sessionHandoff` minted in, the
 * session middleware's options, so the cookie it sets is the session cookie, and the CSRF check's
 * (`csrf`, as `authMiddlewareStack` takes it), so the token it rotates is the stack's.
 *
 * @example
 * ```ts
 * const options: SessionHandoffAppOptions = { tickets, store, secure: true, csrf: { secure: true } };
 * ```
 */
export type SessionHandoffAppOptions = SessionMiddlewareOptions & {
  tickets: TicketStore;
  /** The stack's CSRF options; `false` when it runs without the check. Default `{}`. */
  csrf?: CsrfOptions | false;
};

/**
 * The HTTP endpoint that exchanges a token from `sessionHandoff` for the session cookie: `POST`
 * `{"token": "..."}` as `application/json` from the same origin, and it answers 204 with
 * `Set-Cookie` for the session the socket holds (with the session middleware's name and
 * attributes) and a new CSRF token cookie, as `login()` over HTTP rotates it (Django's
 * `rotate_token`): a token seen before the login is worthless after it. The next page is a fresh
 * request that renders the new token. A used, expired or unknown token, or a session that ended
 * meanwhile, gets 400 and no cookie. Cross-site requests cannot use it: a foreign `Origin` is
 * refused (403), and a form or `no-cors` fetch cannot send `application/json` (415), so it needs
 * no CSRF token. Mount it outside `authMiddlewareStack`: it needs no other middleware, and under
 * the stack a script would have to send the CSRF token too.
 *
 * @example
 * ```ts
 * const http = urlRouter([
 *   path("session/handoff/", sessionHandoffApp({ tickets, ...auth })),
 *   path("", authMiddlewareStack(pages, auth), { nested: true }),
 * ]);
 * ```
 */
export function sessionHandoffApp(options: SessionHandoffAppOptions): Application<HttpScope> {
  const { tickets, store } = options;
  const cookie = sessionCookie(options);
  const csrf = options.csrf === false ? null : csrfCookie(options.csrf ?? {});
  return async function handoff(scope, receive, send) {
    const body = await acceptPost(scope, receive, send, true);
    if (body === null) return;
    const token = tokenOf(body);
    const record = token === null ? null : await redeemTicket(tickets, token, "handoff");
    if (record === null || !(await store.exists(record.sessionKey))) {
      return sendJson(send, 400, { error: "This hand-off token is used, expired or unknown." });
    }
    const maxAge = record.maxAge ?? undefined;
    let headers = setCookie([["cache-control", "no-store"]], cookie.name, record.sessionKey, {
      ...cookie.options,
      maxAge,
    });
    if (csrf !== null) headers = setCookie(headers, csrf.name, newCsrfToken(), csrf.options);
    await send({ type: "http.response.start", status: 204, headers });
    await send({ type: "http.response.body", body: Buffer.alloc(0) });
  };
}

function tokenOf(body: Buffer): string | null {
  try {
    const { token } = JSON.parse(body.toString("utf8")) as { token?: unknown };
    return typeof token === "string" ? token : null;
  } catch {
    return null;
  }
}
