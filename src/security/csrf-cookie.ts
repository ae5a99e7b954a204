import { randomBytes } from "node:crypto";
import { setCookie, type CookieOptions } from "../cookies/set-cookie.js";
import type { CsrfOptions } from "./csrf-middleware.js";

/** The CSRF cookie's name and attributes, as `csrfMiddleware` options resolve them. */
export interface CsrfCookie {
  name: string;
  options: CookieOptions;
}

/**
 * Resolves the cookie parts of {@link CsrfOptions} with their defaults (`csrftoken`, a year, path
 * `/`, HttpOnly, SameSite=Lax), so everything that sets the CSRF cookie sets the same one.
 *
 * @example
 * ```ts
 * const cookie = csrfCookie({ secure: true });
 * const headers = setCookie([], cookie.name, newCsrfToken(), cookie.options);
 * ```
 */
export function csrfCookie(options: CsrfOptions): CsrfCookie {
  const name = options.cookieName ?? "csrftoken";
  const cookieOptions: CookieOptions = {
    maxAge: 365 * 24 * 3600,
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: options.secure ?? false,
  };
  setCookie([], name, "", cookieOptions);
  return { name, options: cookieOptions };
}

/**
 * A new random CSRF token: 32 URL-safe base64 characters.
 *
 * @example
 * ```ts
 * const token = newCsrfToken(); // "kq3Xv..." (32 characters)
 * ```
 */
export function newCsrfToken(): string {
  return randomBytes(24).toString("base64url");
}
