import { constantTimeEqual } from "../auth/constant-time-equal.js";
import type { CookieScope } from "../cookies/cookie-middleware.js";
import { setCookie } from "../cookies/set-cookie.js";
import { csrfCookie, newCsrfToken } from "./csrf-cookie.js";
import type { Application, HttpScope, Receive, ReceiveEvent, Send } from "../types/asgi.js";
import { headerValue, originHeader, originIsHost, REPEATED } from "./origin-validator.js";
import { readBody } from "./read-body.js";

/**
 * Where {@link csrfMiddleware} leaves a function that replaces the request's CSRF token: the
 * response then sets the new cookie. `login()` calls it, as Django's `rotate_token`, so a token
 * seen before authentication is worthless after it. A symbol, so it survives scope copies.
 */
export const ROTATE_CSRF_TOKEN = Symbol.for("switchboard.rotateCsrfToken");

/** What {@link csrfMiddleware} adds to the scope: the token to embed in forms. */
export interface CsrfScope {
  /** This request's token; after a rotation (login) the response carries a new one. */
  csrfToken: string;
  [ROTATE_CSRF_TOKEN]?: () => void;
}

/** Options of {@link csrfMiddleware}. */
export interface CsrfOptions {
  /** Cookie holding the token; `"csrftoken"` as in Django. */
  cookieName?: string;
  /** Header a script sends the token in; `"x-csrftoken"`. */
  headerName?: string;
  /** Form field a page sends the token in; `"csrfmiddlewaretoken"`. */
  fieldName?: string;
  /** Largest form body read to find the field; bigger bodies are refused with 413. */
  maxBodyBytes?: number;
  /** Mark the cookie `Secure` (serve over HTTPS). */
  secure?: boolean;
  /** Extra origins allowed to post, e.g. `["https://app.example.com"]`. */
  trustedOrigins?: readonly string[];
  /** Requests that skip the check (keep it narrow); see {@link CsrfExempt}. */
  exempt?: CsrfExempt;
}

/**
 * Requests {@link csrfMiddleware} lets through unchecked: a list of paths, each matched exactly
 * against the whole `scope.path` (`"/api/hook/"`) or, as a `RegExp`, searched in it (anchor it:
 * `/^\/api\//`), or a predicate for anything else.
 */
export type CsrfExempt = ReadonlyArray<string | RegExp> | ((scope: HttpScope) => boolean);

function exemption(exempt: CsrfExempt | undefined): (scope: HttpScope) => boolean {
  if (exempt === undefined) return () => false;
  if (typeof exempt === "function") return exempt;
  const paths = new Set(exempt.filter((entry) => typeof entry === "string"));
  const patterns = exempt.filter((entry) => entry instanceof RegExp);
  // search(), unlike test(), ignores and keeps lastIndex, so a /g pattern answers the same every time
  return ({ path }) => paths.has(path) || patterns.some((pattern) => path.search(pattern) !== -1);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;
const FORM_TYPE = "application/x-www-form-urlencoded";

async function refuse(send: Send, status: number, reason: string): Promise<void> {
  await send({
    type: "http.response.start",
    status,
    headers: [["content-type", "text/plain; charset=utf-8"]],
  });
  await send({
    type: "http.response.body",
    body: Buffer.from(`CSRF verification failed: ${reason}\n`),
  });
}

/** A `receive` that yields the already-read body once, then defers to the real one. */
function replay(body: Buffer, receive: Receive): Receive {
  let pending: ReceiveEvent | null = { type: "http.request", body, moreBody: false };
  return async () => {
    const event = pending;
    pending = null;
    return event ?? receive();
  };
}

function sameOrigin(scope: HttpScope, trusted: ReadonlySet<string>): boolean {
  const raw = originHeader(scope.headers);
  if (raw === REPEATED) return false;
  if (raw === undefined) return headerValue(scope.headers, "sec-fetch-site") !== "cross-site";
  return trusted.has(raw.toLowerCase()) || originIsHost(raw, scope.headers);
}

/**
 * Protects HTTP forms and scripts against cross-site request forgery, the way Django does: a
 * random token in a `SameSite=Lax`, HttpOnly cookie must come back in the form field
 * `csrfmiddlewaretoken` or the `X-CSRFToken` header of every unsafe request (POST, PUT, PATCH,
 * DELETE), and a browser's `Origin` must be this host. Tokens are compared in constant time. The
 * token for the current request is on `scope.csrfToken`; put it in a hidden field. Needs
 * `cookieMiddleware` outside it.
 *
 * @example
 * ```ts
 * const http = cookieMiddleware()(csrfMiddleware()(async (scope, receive, send) => {
 *   const form = `<input type="hidden" name="csrfmiddlewaretoken" value="${scope.csrfToken}">`;
 *   // ...
 * }));
 * ```
 */
export const csrfMiddleware = (options: CsrfOptions = {}) => {
  const { name: cookieName, options: cookieOptions } = csrfCookie(options);
  const headerName = (options.headerName ?? "x-csrftoken").toLowerCase();
  const fieldName = options.fieldName ?? "csrfmiddlewaretoken";
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const trusted = new Set((options.trustedOrigins ?? []).map((origin) => origin.toLowerCase()));
  const exempt = exemption(options.exempt);

  return <S extends HttpScope & CookieScope>(inner: Application<S & CsrfScope>): Application<S> =>
    async function csrf(scope, receive, send) {
      const fromCookie = scope.cookies[cookieName];
      const known = fromCookie !== undefined && TOKEN_SHAPE.test(fromCookie);
      const csrfToken = known ? fromCookie : newCsrfToken();
      // the cookie goes out when the client has no usable token or the token was rotated
      let issued: string | null = known ? null : csrfToken;
      const sendWithCookie: Send = (event) =>
        send(
          event.type === "http.response.start" && issued !== null
            ? {
                ...event,
                headers: setCookie(event.headers ?? [], cookieName, issued, cookieOptions),
              }
            : event,
        );
      const rotate = () => {
        issued = newCsrfToken();
      };
      const next = { ...scope, csrfToken, [ROTATE_CSRF_TOKEN]: rotate };
      if (SAFE_METHODS.has(scope.method) || exempt(scope))
        return inner(next, receive, sendWithCookie);

      if (!sameOrigin(scope, trusted))
        return refuse(send, 403, "the request came from another origin.");
      if (!known)
        return refuse(send, 403, "the CSRF cookie is missing; reload the form and retry.");

      let submitted = headerValue(scope.headers, headerName);
      let bodyReceive = receive;
      const contentType = headerValue(scope.headers, "content-type") ?? "";
      if (
        submitted === undefined &&
        contentType.split(";")[0]?.trim().toLowerCase() === FORM_TYPE
      ) {
        const body = await readBody(receive, maxBodyBytes);
        if (body === null)
          return refuse(send, 413, `the form is larger than ${maxBodyBytes} bytes.`);
        submitted = new URLSearchParams(body.toString("latin1")).get(fieldName) ?? undefined;
        bodyReceive = replay(body, receive);
      }
      if (submitted === undefined) {
        const where = `the form field "${fieldName}" or the header "${headerName}"`;
        return refuse(send, 403, `the CSRF token is missing; send it in ${where}.`);
      }
      if (!constantTimeEqual(Buffer.from(submitted), Buffer.from(csrfToken))) {
        return refuse(send, 403, "the CSRF token is incorrect; reload the form and retry.");
      }
      return inner(next, bodyReceive, sendWithCookie);
    };
};
