import { ImproperlyConfigured } from "../errors.js";
import { splitTarget } from "../server/split-target.js";
import type { RequestTarget } from "../server/split-target.js";
import type { BaseScope, Headers } from "../types/asgi.js";
import { checkString, describeValue } from "./communicator-arguments.js";

/** Headers as a test writes them: [name, value] pairs (an array, a Map...), or name → value. */
export type HeadersInit = Iterable<readonly [string, string]> | Readonly<Record<string, string>>;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** `user:pass@example.com:8080/path`: an authority without its scheme, told by user-info or port. */
const BARE_AUTHORITY = /^[^/?#]*(?:@[^/?#]*|:\d+)(?=[/?#]|$)/;

/**
 * Splits a request target the way the server does: the query string (without `?`) comes off the
 * path, the fragment is dropped, and the path is percent-decoded. An absolute URL
 * (`ws://user:pass@host:8080/path?x=1`), or one without its scheme whose user-info or port shows
 * where the authority ends (`user:pass@host:8080/path?x=1`), contributes only its path and query.
 */
export function parseRequestTarget(target: unknown): RequestTarget {
  checkString(target, "Communicator path", '"/chat/lobby/?token=x"');
  let rest = target;
  if (SCHEME.test(rest)) rest = pathAndQuery(target, target);
  else if (BARE_AUTHORITY.test(rest)) rest = pathAndQuery(target, `http://${target}`);
  if (!rest.startsWith("/")) {
    throw new ImproperlyConfigured(
      `Communicator path "${target}" must start with "/" (e.g. "/chat/lobby/?token=x") or be an absolute URL.`,
    );
  }
  const hash = rest.indexOf("#");
  return splitTarget(hash === -1 ? rest : rest.slice(0, hash));
}

function pathAndQuery(target: string, url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch (cause) {
    throw new ImproperlyConfigured(
      `Communicator path "${target}" looks like a URL but is not a valid one; pass a path such as "/chat/lobby/?token=x".`,
      { cause },
    );
  }
}

/**
 * Header pairs with lower-cased names, as the server puts them on the scope. Throws
 * `ImproperlyConfigured` naming the entry that is not a [name, value] pair of strings.
 */
export function normalizeHeaders(headers: HeadersInit | undefined): Headers {
  if (headers === undefined) return [];
  if (typeof headers !== "object" || headers === null) {
    throw new ImproperlyConfigured(
      `headers must be an iterable of [name, value] pairs or an object of name → value, got ${describeValue(headers)}.`,
    );
  }
  if (Symbol.iterator in headers) {
    return Array.from(headers as Iterable<unknown>, (pair, index) => {
      if (
        !Array.isArray(pair) ||
        pair.length !== 2 ||
        typeof pair[0] !== "string" ||
        typeof pair[1] !== "string"
      ) {
        throw new ImproperlyConfigured(
          `headers must be an iterable of [name, value] pairs of strings, but entry ${index} is ${describeValue(pair)}: write [["origin", "https://example.com"]] or { origin: "https://example.com" }.`,
        );
      }
      return [pair[0].toLowerCase(), pair[1]] as const;
    });
  }
  return Object.entries(headers as Record<string, unknown>).map(([name, value]) => {
    if (typeof value !== "string") {
      throw new ImproperlyConfigured(
        `headers["${name}"] must be a string, got ${describeValue(value)}.`,
      );
    }
    return [name.toLowerCase(), value] as const;
  });
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
