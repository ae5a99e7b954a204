/**
 * Cookies: `cookieMiddleware` parses them onto `scope.cookies`; `setCookie` and `deleteCookie`
 * write `Set-Cookie` headers.
 * @module
 */
export { cookieMiddleware, parseCookies } from "./cookie-middleware.js";
export type { CookieScope } from "./cookie-middleware.js";
export { setCookie, deleteCookie } from "./set-cookie.js";
export type { CookieOptions } from "./set-cookie.js";
