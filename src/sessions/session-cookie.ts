import { setCookie, type CookieOptions } from "../cookies/set-cookie.js";
import type { SessionMiddlewareOptions } from "./session-middleware.js";

/** The session cookie's name and attributes, as `sessionMiddleware` options resolve them. */
export interface SessionCookie {
  name: string;
  options: CookieOptions;
}

/**
 * Resolves the cookie parts of {@link SessionMiddlewareOptions} with their defaults (`sessionid`,
 * path `/`, HttpOnly, SameSite=Lax), so everything that sets the session cookie sets the same
 * one. Throws `ImproperlyConfigured` at startup for a bad name or attribute.
 *
 * @example
 * ```ts
 * const cookie = sessionCookie({ store, secure: true });
 * const headers = setCookie([], cookie.name, key, { ...cookie.options, maxAge: 3600 });
 * ```
 */
export function sessionCookie(options: Omit<SessionMiddlewareOptions, "store">): SessionCookie {
  const name = options.cookieName ?? "sessionid";
  const cookieOptions: CookieOptions = {
    path: options.path ?? "/",
    domain: options.domain,
    secure: options.secure ?? false,
    httpOnly: options.httpOnly ?? true,
    sameSite: options.sameSite ?? "lax",
  };
  setCookie([], name, "", cookieOptions);
  return { name, options: cookieOptions };
}
