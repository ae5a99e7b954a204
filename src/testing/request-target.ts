import { ImproperlyConfigured } from "../errors.js";
import { splitTarget } from "../server/split-target.js";
import type { RequestTarget } from "../server/split-target.js";
import type { BaseScope, Headers } from "../types/asgi.js";

/** Headers as a test writes them: pairs, or an object of name → value. */
export type HeadersInit = Headers | Readonly<Record<string, string>>;

/**
 * Splits a request target the way the server does: the query string (without `?`) comes off the
 * path, the fragment is dropped, and the path is percent-decoded. An absolute URL
 * (`ws://host/path`) contributes only its path and query.
 */
export function parseRequestTarget(target: string): RequestTarget {
  let rest = target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) {
    const url = new URL(rest);
    rest = url.pathname + url.search;
  }
  if (!rest.startsWith("/")) {
    throw new ImproperlyConfigured(
      `Communicator path "${target}" must start with "/" (e.g. "/chat/lobby/?token=x") or be an absolute URL.`,
    );
  }
  const hash = rest.indexOf("#");
  return splitTarget(hash === -1 ? rest : rest.slice(0, hash));
}

/** Header pairs with lower-cased names, as the server puts them on the scope. */
export function normalizeHeaders(headers: HeadersInit | undefined): Headers {
  if (headers === undefined) return [];
  const pairs: Iterable<readonly [string, string]> = Array.isArray(headers)
    ? (headers as Headers)
    : Object.entries(headers);
  return Array.from(pairs, ([name, value]) => [name.toLowerCase(), value] as const);
}

/**
 * The scope fields every communicator fills alike, as the server would for a client at
 * 127.0.0.1 talking to `testserver`: target, headers, addresses, HTTP version.
 */
export function connectionFields(
  target: string,
  headers: HeadersInit | undefined,
): Omit<BaseScope, "urlRoute"> & { httpVersion: string } {
  return {
    ...parseRequestTarget(target),
    rootPath: "",
    headers: normalizeHeaders(headers),
    client: ["127.0.0.1", 50000],
    server: ["testserver", 80],
    httpVersion: "1.1",
  };
}
