import type { CookieScope } from "../cookies/cookie-middleware.js";
import { deleteCookie, setCookie } from "../cookies/set-cookie.js";
import { ImproperlyConfigured } from "../errors.js";
import type { SessionStore } from "../stores/session-store.js";
import type {
  Application,
  Headers,
  HttpResponseStartEvent,
  HttpScope,
  Send,
  WebsocketScope,
} from "../types/asgi.js";
import { LIVE_SESSIONS, type LiveScope } from "../live/live-socket.js";
import { DEFAULT_SESSION_MAX_AGE, Session } from "./session.js";
import { sessionCookie } from "./session-cookie.js";

/**
 * What {@link sessionMiddleware} adds to the scope.
 *
 * @example
 * ```ts
 * const app: Application<HttpScope & CookieScope & SessionScope> = async (scope) => {
 *   await scope.session.get("user");
 * };
 * ```
 */
export interface SessionScope {
  /** This connection's session, loaded on first use; every scope copy shares the same object. */
  session: Session;
}

/**
 * Options for {@link sessionMiddleware}; the cookie ones mirror Django's `SESSION_COOKIE_*`.
 *
 * @example
 * ```ts
 * const options: SessionMiddlewareOptions = { store, secure: true, sameSite: "strict" };
 * ```
 */
export interface SessionMiddlewareOptions {
  store: SessionStore;
  /** Default `"sessionid"`. */
  cookieName?: string;
  /** Seconds a session lives without an expiry of its own. Default 1209600 (two weeks). */
  maxAge?: number;
  /** Default `"/"`. */
  path?: string;
  domain?: string;
  /** Default `false`; set it behind HTTPS. */
  secure?: boolean;
  /** Default `true`: page scripts cannot read the session cookie. */
  httpOnly?: boolean;
  /** Default `"lax"`. */
  sameSite?: "lax" | "strict" | "none";
  /** Save and re-send the cookie on every HTTP response, not only when the session changed. */
  saveEveryRequest?: boolean;
}

/**
 * Middleware that puts a lazily-loaded {@link Session} on `scope.session`, keyed by the session
 * cookie; the store is not touched unless the application reads or writes the session. Needs
 * `scope.cookies`, so wrap it in `cookieMiddleware()`.
 *
 * Over HTTP, on `http.response.start` it saves a modified session and adds its `Set-Cookie`
 * (only when the status is below 500), deletes the cookie of a flushed or emptied session, and
 * adds `Vary: Cookie` when the session was read. Start the response after your last session
 * change: later changes are not saved. A save that finds the session deleted meanwhile throws
 * `SessionInterrupted` (HTTP 400) from `send`.
 *
 * Over a WebSocket nothing is saved unless the consumer calls `await scope.session.save()`, and
 * the browser keeps the cookie it connected with: a key rotated by `login()` over a socket reaches
 * it through a hand-off (`sessionHandoff` and `sessionHandoffApp`; Channels #1453, #1745).
 *
 * @example
 * ```ts
 * const app = cookieMiddleware()(
 *   sessionMiddleware({ store: new InMemorySessionStore() })(async (scope, receive, send) => {
 *     const visits = ((await scope.session.get("visits")) as number | undefined) ?? 0;
 *     await scope.session.set("visits", visits + 1);
 *     await send({ type: "http.response.start", status: 200 }); // saves, sets the cookie
 *     await send({ type: "http.response.body", body: Buffer.from(`visit ${visits + 1}`) });
 *   }),
 * );
 * ```
 */
export const sessionMiddleware = (options: SessionMiddlewareOptions) => {
  const { store, saveEveryRequest = false } = options;
  if (typeof store?.load !== "function") {
    throw new ImproperlyConfigured(
      "sessionMiddleware needs a store, e.g. sessionMiddleware({ store: new InMemorySessionStore() }).",
    );
  }
  // Fails now, at startup, on a bad cookie name or attribute rather than on the first response.
  const { name: cookieName, options: cookieOptions } = sessionCookie(options);
  const maxAge = options.maxAge ?? DEFAULT_SESSION_MAX_AGE;

  /** The response start with the session saved and its cookie set or deleted, as described above. */
  async function finish(
    event: HttpResponseStartEvent,
    session: Session,
    hadCookie: boolean,
  ): Promise<HttpResponseStartEvent> {
    let headers: Headers = event.headers ?? [];
    if (hadCookie && session.isEmpty) {
      headers = deleteCookie(headers, cookieName, cookieOptions);
      return { ...event, headers: varyOnCookie(headers) };
    }
    if (session.accessed) headers = varyOnCookie(headers);
    if ((session.modified || saveEveryRequest) && !session.isEmpty && event.status < 500) {
      await session.save();
      const persistent = !session.expireAtBrowserClose;
      headers = setCookie(headers, cookieName, session.sessionKey ?? "", {
        ...cookieOptions,
        maxAge: persistent ? session.getExpiryAge() : undefined,
      });
    }
    return headers === event.headers ? event : { ...event, headers };
  }

  return <S extends (HttpScope | WebsocketScope) & CookieScope>(
    inner: Application<S & SessionScope>,
  ): Application<S> =>
    async function session(scope, receive, send) {
      const { cookies } = scope;
      if (typeof cookies !== "object" || cookies === null) {
        throw new ImproperlyConfigured(
          "sessionMiddleware found no scope.cookies: wrap it in cookieMiddleware(), " +
            "e.g. cookieMiddleware()(sessionMiddleware({ store })(app)).",
        );
      }
      const hadCookie = cookies[cookieName] !== undefined;
      const current = new Session(store, cookies[cookieName] ?? null, {
        maxAge,
        onFlush: (scope as LiveScope)[LIVE_SESSIONS]?.sessionEnded,
      });
      const sendSaving: Send = async (event) =>
        send(
          event.type === "http.response.start" ? await finish(event, current, hadCookie) : event,
        );
      return inner(
        Object.assign({}, scope, { session: current }),
        receive,
        scope.type === "http" ? sendSaving : send,
      );
    };
};

// Like Django's patch_vary_headers: add Cookie to an existing Vary unless it (or *) is there.
function varyOnCookie(headers: Headers): Headers {
  const index = headers.findIndex(([name]) => name === "vary");
  if (index === -1) return [...headers, ["vary", "Cookie"]];
  const value = headers[index]?.[1] ?? "";
  const fields = value.split(",").map((field) => field.trim().toLowerCase());
  if (fields.includes("cookie") || fields.includes("*")) return headers;
  return headers.map((header, i) => (i === index ? ["vary", `${value}, Cookie`] : header));
}
