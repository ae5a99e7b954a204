import { ImproperlyConfigured } from "../errors.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { anonymousUser, type AnyUser } from "../users/anonymous-user.js";
import type { UserStore } from "../users/user-store.js";
import type { UserScope } from "./auth-middleware.js";
import { verifyToken } from "./auth-token.js";
import { answerSubprotocol, refuseToken } from "./handshake-answers.js";
import { checkSecretKey, checkSecretKeyFallbacks } from "./secret-key.js";

/** Options for {@link tokenAuthMiddleware}. */
export interface TokenAuthOptions {
  /** The secret `createToken` signed with; at least 32 characters. */
  secret: string;
  /**
   * Previous secrets, as Django's `SECRET_KEY_FALLBACKS`: tokens they signed are still accepted,
   * so `secret` can rotate while tokens are in flight. Sign new tokens with `secret` only.
   */
  secretFallbacks?: readonly string[];
  /** Where the token's user is looked up; a missing or inactive user is anonymous. */
  users: UserStore;
  /**
   * Longest remaining lifetime a token may claim, in seconds; a token minted to live longer is
   * refused. Default 300, `createToken`'s default.
   */
  maxAgeSeconds?: number;
  /** Refuse connections without a valid token (WebSocket: HTTP 403; HTTP: 401). Default `false`. */
  required?: boolean;
  /** Query-string parameter to read, or `false` to ignore the query string. Default `"token"`. */
  queryParam?: string | false;
  /**
   * Subprotocol that announces a token in `Sec-WebSocket-Protocol`, or `false`. Default
   * `"access_token"`: the client offers `["access_token", token]`.
   */
  subprotocol?: string | false;
}

/** Where a token was found; the subprotocol form needs the handshake answer adjusted. */
interface FoundToken {
  token: string;
  /** Index of the token entry in `scope.subprotocols`, when it came from there. */
  subprotocolIndex?: number;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Authenticates a connection from a signed, expiring token made by `createToken`, found in (in
 * this order) an `Authorization: Bearer <token>` header, a `Sec-WebSocket-Protocol` offer of
 * `access_token, <token>`, or the `?token=` query parameter. Browsers cannot set headers on a
 * WebSocket, so prefer the subprotocol form: query strings end up in access logs. When a token
 * arrives as a subprotocol it is removed from `scope.subprotocols` and, unless the application
 * picks another, the handshake answers with `access_token` (browsers drop a connection whose
 * offered protocols get no answer).
 *
 * A valid token's user goes on `scope.user`; a bad, expired or forged token gives the anonymous
 * user (or a refusal when `required`); no token keeps a `user` already on the scope. To accept a
 * token or else the session, put this middleware inside `authMiddlewareStack`.
 *
 * Why not the seed's `QueryAuthMiddleware`: it takes a bare user id from the query string, so
 * anyone who changes the number becomes that user, and it never expires. Here the id is signed
 * with a server secret and carries an expiry, so it cannot be forged or changed, and a leaked
 * token is useful only for minutes.
 *
 * @example
 * ```ts
 * const app = tokenAuthMiddleware({ secret: process.env.TOKEN_SECRET!, users, required: true })(
 *   urlRouter([path("api/live/", LiveConsumer.asApp())]),
 * );
 * ```
 */
export const tokenAuthMiddleware = (options: TokenAuthOptions) => {
  const secrets = [
    checkSecretKey(options.secret, "tokenAuthMiddleware's secret"),
    ...checkSecretKeyFallbacks(options.secretFallbacks, "tokenAuthMiddleware's secretFallbacks"),
  ];
  const maxAgeMs = (options.maxAgeSeconds ?? 300) * 1000;
  if (!(maxAgeMs > 0)) {
    throw new ImproperlyConfigured(
      `tokenAuthMiddleware's maxAgeSeconds must be a positive number; got ${options.maxAgeSeconds}.`,
    );
  }
  const { users, required = false } = options;
  const queryParam = options.queryParam ?? "token";
  const subprotocol = options.subprotocol ?? "access_token";

  function findToken(scope: HttpScope | WebsocketScope): FoundToken | null {
    for (const [name, value] of scope.headers) {
      if (name !== "authorization") continue;
      const match = BEARER.exec(value);
      if (match?.[1] !== undefined) return { token: match[1] };
    }
    if (subprotocol !== false && scope.type === "websocket") {
      const index = scope.subprotocols.indexOf(subprotocol) + 1;
      const token = index > 0 ? scope.subprotocols[index] : undefined;
      if (token !== undefined) return { token, subprotocolIndex: index };
    }
    if (queryParam !== false && scope.queryString !== "") {
      const token = new URLSearchParams(scope.queryString).get(queryParam);
      if (token !== null) return { token };
    }
    return null;
  }

  async function userFor(token: string): Promise<AnyUser | null> {
    const now = new Date();
    const claims = verifyToken(token, secrets, now);
    if (claims === null || claims.expiresAt.getTime() - now.getTime() > maxAgeMs) return null;
    const user = await users.getById(claims.userId);
    return user?.isActive ? user : null;
  }

  return <S extends HttpScope | WebsocketScope>(
    inner: Application<S & UserScope>,
  ): Application<S> =>
    async function tokenAuth(scope, receive, send) {
      const found = findToken(scope);
      const user = found === null ? null : await userFor(found.token);
      if (user === null && required) return refuseToken(scope, receive, send);
      const given = (scope as Partial<UserScope>).user;
      const resolved = user ?? (found === null ? given : undefined) ?? anonymousUser;
      if (
        found?.subprotocolIndex === undefined ||
        scope.type !== "websocket" ||
        subprotocol === false
      ) {
        return inner({ ...scope, user: resolved }, receive, send);
      }
      const subprotocols = scope.subprotocols.filter((_, i) => i !== found.subprotocolIndex);
      const fields: UserScope & Pick<WebsocketScope, "subprotocols"> = {
        user: resolved,
        subprotocols,
      };
      return inner({ ...scope, ...fields }, receive, answerSubprotocol(send, subprotocol));
    };
};
