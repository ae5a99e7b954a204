import type { Headers } from "../types/asgi.js";

type Header = Headers[number];

/**
 * Headers whose values recur across connections: every client of a site sends the same host and
 * origin, most the same user agent and accept lists. Per-client values (cookies, keys, tokens)
 * are never looked up.
 */
const RECURRING = [
  "host",
  "origin",
  "user-agent",
  "connection",
  "upgrade",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "accept",
  "accept-encoding",
  "accept-language",
  "cache-control",
  "pragma",
];

const MAX_VALUES_PER_NAME = 64;

/**
 * A server's shared header pairs: a recurring header gets one frozen `[name, value]` pair shared
 * by every connection that sent the same value, so an idle WebSocket does not keep its own copy
 * of a 100-byte user agent (the pair is `readonly` in the scope's type anyway).
 *
 * @example
 * ```ts
 * const pairs = new HeaderPairs();
 * pairs.pair("origin", "https://example.com") === pairs.pair("origin", "https://example.com"); // true
 * ```
 */
export class HeaderPairs {
  /** Per recurring name, its pairs by value; a table is emptied when full, so it cannot grow. */
  readonly #pairs = new Map<string, Map<string, Header>>(
    RECURRING.map((name) => [name, new Map()]),
  );

  /** The scope's pair for a header (`name` already lower-cased). */
  pair(name: string, value: string): Header {
    const values = this.#pairs.get(name);
    if (values === undefined) return [name, value];
    let pair = values.get(value);
    if (pair === undefined) {
      if (values.size >= MAX_VALUES_PER_NAME) values.clear();
      pair = Object.freeze([name, value] as const);
      values.set(value, pair);
    }
    return pair;
  }
}
