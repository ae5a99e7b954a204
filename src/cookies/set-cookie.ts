import { stringifySetCookie } from "cookie";
import { ImproperlyConfigured } from "../errors.js";
import type { Headers } from "../types/asgi.js";

/**
 * Attributes of a `Set-Cookie` header.
 *
 * @example
 * ```ts
 * const options: CookieOptions = { maxAge: 600, path: "/", secure: true, sameSite: "strict" };
 * ```
 */
export interface CookieOptions {
  /** Lifetime in seconds; also sets a matching `Expires` for clients that ignore `Max-Age`. */
  maxAge?: number;
  expires?: Date;
  path?: string;
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: "lax" | "strict" | "none";
  /** CHIPS: a cookie keyed to the top-level site too. Needs `secure`. */
  partitioned?: boolean;
}

// RFC 6265 cookie-name: an RFC 7230 token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Returns `headers` plus a `Set-Cookie` header for `name=value`; use it on the headers of an
 * `http.response.start`. The value is percent-encoded, so any string is safe;
 * `cookieMiddleware` decodes it back. Throws `ImproperlyConfigured` for a name that is not a
 * token, an attribute that would break the header, or `sameSite: "none"` / `partitioned`
 * without `secure` (browsers drop such cookies).
 *
 * @example
 * ```ts
 * const headers = setCookie([["content-type", "text/plain"]], "theme", "dark", {
 *   maxAge: 3600, path: "/", httpOnly: true, sameSite: "lax",
 * });
 * await send({ type: "http.response.start", status: 200, headers });
 * ```
 */
export function setCookie(
  headers: Headers,
  name: string,
  value: string,
  options: CookieOptions = {},
): Headers {
  if (!TOKEN.test(name)) {
    throw new ImproperlyConfigured(
      `Cookie name ${JSON.stringify(name)} is not a token: use letters, digits and !#$%&'*+-.^_\`|~ only.`,
    );
  }
  if ((options.sameSite === "none" || options.partitioned) && !options.secure) {
    throw new ImproperlyConfigured(
      `Cookie ${name}: sameSite "none" and partitioned need secure: true, or browsers reject the cookie.`,
    );
  }
  const { maxAge } = options;
  if (maxAge !== undefined && !Number.isFinite(maxAge)) {
    throw new ImproperlyConfigured(`Cookie ${name}: maxAge must be a finite number of seconds.`);
  }
  const seconds = maxAge === undefined ? undefined : Math.floor(maxAge);
  const expires =
    options.expires ?? (seconds === undefined ? undefined : new Date(Date.now() + seconds * 1000));
  let header: string;
  try {
    header = stringifySetCookie(name, value, { ...options, maxAge: seconds, expires });
  } catch (error) {
    throw new ImproperlyConfigured(`Cookie ${name}: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  return [...headers, ["set-cookie", header]];
}

/**
 * Returns `headers` plus a `Set-Cookie` header that makes the client drop cookie `name`. Pass
 * the `path` and `domain` the cookie was set with, or the client keeps it.
 *
 * @example
 * ```ts
 * const headers = deleteCookie([], "sessionid", { path: "/" });
 * ```
 */
export function deleteCookie(
  headers: Headers,
  name: string,
  options: Omit<CookieOptions, "maxAge" | "expires" | "httpOnly"> = {},
): Headers {
  return setCookie(headers, name, "", { ...options, maxAge: 0, expires: new Date(0) });
}
