import { parseCookie } from "cookie";
import type { Application, Headers, HttpScope, WebsocketScope } from "../types/asgi.js";

/**
 * What {@link cookieMiddleware} adds to the scope.
 *
 * @example
 * ```ts
 * const app: Application<HttpScope & CookieScope> = async (scope) => {
 *   console.log(scope.cookies.theme);
 * };
 * ```
 */
export interface CookieScope {
  /** Cookies the client sent, by name; the first of duplicate names wins. */
  cookies: Record<string, string>;
}

/**
 * Parses every `Cookie` header once per connection (HTTP/2 clients may split them). Pairs
 * without a name or `=` are skipped, and a value whose percent-encoding is broken is kept as
 * sent, so a hostile header never fails the request.
 *
 * @example
 * ```ts
 * parseCookies([["cookie", "a=1; b=%E2%9C%93"], ["cookie", "c=3"]]); // { a: "1", b: "✓", c: "3" }
 * ```
 */
export function parseCookies(headers: Headers): Record<string, string> {
  let header: string | undefined;
  for (const [name, value] of headers) {
    if (name === "cookie") header = header === undefined ? value : `${header}; ${value}`;
  }
  if (header === undefined) return Object.create(null) as Record<string, string>;
  // cookie's result already has no prototype; only a nameless or valueless pair is dropped
  const cookies = parseCookie(header);
  for (const name in cookies) {
    if (name === "" || cookies[name] === undefined) delete cookies[name];
  }
  return cookies as Record<string, string>;
}

/**
 * Middleware that puts the request's cookies on `scope.cookies`. Needed by `sessionMiddleware`.
 *
 * @example
 * ```ts
 * const app = cookieMiddleware()(async (scope, receive, send) => {
 *   console.log(scope.cookies.theme); // "dark"
 * });
 * ```
 */
export const cookieMiddleware =
  () =>
  <S extends HttpScope | WebsocketScope>(inner: Application<S & CookieScope>): Application<S> =>
    async function cookies(scope, receive, send) {
      return inner(
        Object.assign({}, scope, { cookies: parseCookies(scope.headers) }),
        receive,
        send,
      );
    };
