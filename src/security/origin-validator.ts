import { ImproperlyConfigured } from "../errors.js";
import type { Application, Headers, WebsocketScope } from "../types/asgi.js";
import { escapeLogText } from "./escape-log-text.js";

/**
 * An allowed origin as parsed once: scheme and port are optional constraints. A pattern with a
 * scheme has a port: the one it names, else the scheme's default, as an `Origin` has.
 */
interface OriginPattern {
  scheme: string | null;
  /** Lower-cased host; a leading `.` matches the domain and every subdomain. */
  host: string;
  /** `null` (any port) only for a pattern without a scheme and without a port. */
  port: string | null;
  any: boolean;
}

/** The parts of an `Origin` header that matter for matching. */
interface ParsedOrigin {
  scheme: string;
  host: string;
  port: string;
}

const DEFAULT_PORTS: Record<string, string> = { http: "80", https: "443", ws: "80", wss: "443" };

function parsePattern(pattern: string): OriginPattern {
  if (pattern === "*") return { scheme: null, host: "", port: null, any: true };
  const schemeEnd = pattern.indexOf("://");
  const scheme = schemeEnd === -1 ? null : pattern.slice(0, schemeEnd).toLowerCase();
  const rest = (schemeEnd === -1 ? pattern : pattern.slice(schemeEnd + 3)).toLowerCase();
  const portMatch = /^(.*?)(?::(\d+))?$/.exec(rest);
  const host = portMatch?.[1] ?? rest;
  if (host === "" || host.includes("/")) {
    throw new ImproperlyConfigured(
      `Allowed origin "${pattern}" is not a host pattern: use "*", "example.com", ".example.com" or "https://example.com:8443".`,
    );
  }
  const port = portMatch?.[2] ?? (scheme === null ? null : (DEFAULT_PORTS[scheme] ?? ""));
  return { scheme, host, port, any: false };
}

/** Parses an `Origin` header value; `null` for a missing, `"null"` or malformed origin. */
export function parseOrigin(value: string | undefined): ParsedOrigin | null {
  if (value === undefined || value === "null") return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const scheme = url.protocol.slice(0, -1);
  if (url.hostname === "") return null;
  return {
    scheme,
    host: url.hostname.toLowerCase(),
    port: url.port || DEFAULT_PORTS[scheme] || "",
  };
}

/**
 * Whether the `Origin` value names the host and port the request was sent to (its `Host` header);
 * a default port may be left out of either side.
 */
export function originIsHost(rawOrigin: string, headers: Headers): boolean {
  const origin = parseOrigin(rawOrigin);
  const host = headerValue(headers, "host")?.toLowerCase();
  if (origin === null || host === undefined) return false;
  const port = origin.port === DEFAULT_PORTS[origin.scheme] ? "" : `:${origin.port}`;
  return host === `${origin.host}${port}` || host === `${origin.host}:${origin.port}`;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith(".")) return host === pattern.slice(1) || host.endsWith(pattern);
  return host === pattern;
}

function matches(pattern: OriginPattern, origin: ParsedOrigin): boolean {
  if (pattern.any) return true;
  if (pattern.scheme !== null && pattern.scheme !== origin.scheme) return false;
  if (pattern.port !== null && pattern.port !== origin.port) return false;
  return hostMatches(pattern.host, origin.host);
}

/** The first value of a header, by lower-cased name. */
export function headerValue(headers: Headers, name: string): string | undefined {
  for (const [key, value] of headers) if (key === name) return value;
  return undefined;
}

/** What {@link originHeader} answers for a request carrying several `Origin` headers. */
export const REPEATED = Symbol("repeated Origin header");

/**
 * The handshake's one `Origin` value, `undefined` when it has none, or `REPEATED` when it has
 * several: no browser sends two, and which one an intermediary would honour is anybody's guess,
 * so every validator (and `csrfMiddleware`) refuses such a request whatever it allows.
 */
export function originHeader(headers: Headers): string | undefined | typeof REPEATED {
  let origin: string | undefined;
  for (const [key, value] of headers) {
    if (key !== "origin") continue;
    if (origin !== undefined) return REPEATED;
    origin = value;
  }
  return origin;
}

/** What a validator decides from the handshake's one `Origin` value (if any) and its scope. */
export type OriginCheck = (origin: string | undefined, scope: WebsocketScope) => boolean;

/**
 * Runs `inner` only when the handshake carries at most one `Origin` and `check` passes; otherwise
 * refuses the handshake (HTTP 403) without running it. Shared by every origin validator so they
 * differ only in the check.
 */
function guard<S extends WebsocketScope>(
  inner: Application<S>,
  check: OriginCheck,
  logger: (line: string) => void,
): Application<S> {
  return async function originGuard(scope, receive, send) {
    if (scope.type !== "websocket") {
      throw new ImproperlyConfigured(
        `Origin validation applies to WebSocket connections only, not "${String((scope as { type: unknown }).type)}": wrap only the "websocket" entry of protocolTypeRouter.`,
      );
    }
    const origin = originHeader(scope.headers);
    if (origin !== REPEATED && check(origin, scope)) return inner(scope, receive, send);
    const shown =
      origin === REPEATED ? "(several Origin headers)" : (origin ?? "(no Origin header)");
    logger(`origin refused: ${escapeLogText(shown)} for ${escapeLogText(scope.path)}`);
    // The client's first event is always websocket.connect; answering it with a close refuses the
    // handshake, which the server turns into an HTTP 403.
    await receive();
    await send({ type: "websocket.close", code: 1008, reason: "Origin not allowed" });
  };
}

/** Options shared by the origin validators. */
export interface OriginValidatorOptions {
  /** Where refusals are reported; `console.warn` by default. */
  logger?: (line: string) => void;
  /**
   * Let through handshakes that carry no `Origin` at all. Browsers always send one on a WebSocket
   * handshake, and cross-site socket hijacking needs a browser carrying the victim's cookie, so a
   * missing Origin means a non-browser client (a script, a load generator) that must still prove
   * who it is with its credentials. Off by default (`"*"` allows it too).
   */
  allowMissingOrigin?: boolean;
}

/**
 * Lets a WebSocket through only when its `Origin` header matches one of `allowedOrigins`, as
 * Channels' `OriginValidator` does. Patterns: `"*"` (anything, including no Origin), `"example.com"`
 * (any scheme and port), `".example.com"` (the domain and its subdomains), `"example.com:8443"`
 * (that port, any scheme), `"https://example.com"` (that scheme on its default port, 443) and
 * `"https://example.com:8443"`. A connection without an Origin header passes only under `"*"`;
 * one with several Origin headers never passes.
 *
 * @example
 * ```ts
 * const application = protocolTypeRouter({
 *   websocket: originValidator(authMiddlewareStack(router, auth), [".example.com"]),
 * });
 * ```
 */
export function originValidator<S extends WebsocketScope>(
  inner: Application<S>,
  allowedOrigins: readonly string[],
  options: OriginValidatorOptions = {},
): Application<S> {
  const patterns = allowedOrigins.map(parsePattern);
  const anyOrigin = patterns.some((pattern) => pattern.any);
  const allowMissing = options.allowMissingOrigin ?? false;
  return guard(
    inner,
    (raw) => {
      const origin = parseOrigin(raw);
      if (origin === null) return anyOrigin || (raw === undefined && allowMissing);
      return patterns.some((pattern) => matches(pattern, origin));
    },
    options.logger ?? console.warn,
  );
}

/**
 * Channels' `AllowedHostsOriginValidator`: the allowed origins are your allowed hosts (any scheme
 * and port). Pass the host names your site is served under. With no hosts every handshake is
 * refused, as Django refuses every request when `ALLOWED_HOSTS` is empty, and one log line says
 * so when the validator is built.
 *
 * @example
 * ```ts
 * const websocket = allowedHostsOriginValidator(app, ["chat.example.com", "localhost"]);
 * ```
 */
export function allowedHostsOriginValidator<S extends WebsocketScope>(
  inner: Application<S>,
  allowedHosts: readonly string[],
  options: OriginValidatorOptions = {},
): Application<S> {
  if (allowedHosts.length === 0) {
    (options.logger ?? console.warn)(
      'allowedHostsOriginValidator has no allowed hosts, so it refuses every WebSocket handshake: pass the hosts the site is served under, e.g. ["localhost"], or use sameOriginValidator.',
    );
  }
  return originValidator(inner, allowedHosts, options);
}

/** Options of {@link sameOriginValidator}: those of every origin validator. */
export type SameOriginValidatorOptions = OriginValidatorOptions;

/**
 * Lets a WebSocket through only when its `Origin` names the same host and port as its `Host`
 * header: the page that opens the socket was served by this server. Needs no configuration, so it
 * is the safe default behind any hostname; a reverse proxy must pass the original `Host` on.
 *
 * @example
 * ```ts
 * const websocket = sameOriginValidator(authMiddlewareStack(router, auth), {
 *   allowMissingOrigin: true, // scripts without an Origin still need a valid session
 * });
 * ```
 */
export function sameOriginValidator<S extends WebsocketScope>(
  inner: Application<S>,
  options: SameOriginValidatorOptions = {},
): Application<S> {
  const allowMissing = options.allowMissingOrigin ?? false;
  return guard(
    inner,
    (raw, scope) => {
      if (raw === undefined) return allowMissing;
      return originIsHost(raw, scope.headers);
    },
    options.logger ?? console.warn,
  );
}
