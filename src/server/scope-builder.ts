import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { LiveSessions } from "../live/live-sessions.js";
import {
  LIVE_SESSIONS,
  LIVE_SOCKET,
  type LiveScope,
  type LiveSocket,
} from "../live/live-socket.js";
import type { Headers, HostPort, HttpScope, WebsocketScope } from "../types/asgi.js";
import { HeaderPairs } from "./shared-header.js";
import { SharedStrings } from "./shared-string.js";
import { splitTarget } from "./split-target.js";
import type { RequestTarget } from "./split-target.js";

const MAX_LOWER_NAMES = 512;

/** Where a connection's `scope.server` comes from: one shared tuple, or the socket's own address. */
export type ServerAddress = (socket: Socket) => HostPort | null;

/**
 * A server bound to one address answers every connection on it, so `scope.server` is one frozen
 * tuple and no `getsockname` call; a wildcard bind (`0.0.0.0`, `::`) asks each socket.
 */
export function serverAddress(host: string, port: number): ServerAddress {
  if (host !== "0.0.0.0" && host !== "::" && host !== "") {
    const fixed: HostPort = Object.freeze([host, port] as const);
    return () => fixed;
  }
  return (socket) => hostPort(socket.localAddress, socket.localPort);
}

interface RequestFields extends RequestTarget {
  headers: Headers;
  client: HostPort | null;
  httpVersion: string;
}

/**
 * Builds a server's scopes from its requests. It shares what recurs between connections — header
 * names and pairs, WebSocket paths — so that an idle WebSocket's scope holds no copies of its own
 * (docs/performance.md#scopes-share-recurring-strings); the tables are bounded and per server.
 *
 * @example
 * ```ts
 * const scopes = new ScopeBuilder(serverAddress("127.0.0.1", 8000));
 * const scope = scopes.websocket(req);
 * ```
 */
export class ScopeBuilder {
  /** Where `scope.server` comes from; set again once the server knows its port. */
  serverAddress: ServerAddress;
  /** Lower-cased header names; bounded, so hostile names cannot grow it. */
  readonly #lowerNames = new Map<string, string>();
  readonly #pairs = new HeaderPairs();
  readonly #strings = new SharedStrings();
  readonly #live: LiveSessions | undefined;

  constructor(address: ServerAddress, live?: LiveSessions) {
    this.serverAddress = address;
    this.#live = live;
  }

  /** The scope of an HTTP request. */
  http(req: IncomingMessage): HttpScope & LiveScope {
    const fields = this.#requestFields(req, false);
    // one literal with every field: docs/performance.md#scopes-share-recurring-strings
    return {
      type: "http",
      method: req.method ?? "GET",
      scheme: "http",
      httpVersion: fields.httpVersion,
      path: fields.path,
      rawPath: fields.rawPath,
      rootPath: "",
      queryString: fields.queryString,
      headers: fields.headers,
      client: fields.client,
      server: this.serverAddress(req.socket),
      [LIVE_SESSIONS]: this.#live,
    };
  }

  /** The scope of a WebSocket handshake request; `socket` is how the application reaches it. */
  websocket(req: IncomingMessage, socket?: LiveSocket): WebsocketScope & LiveScope {
    const fields = this.#requestFields(req, true);
    return {
      type: "websocket",
      scheme: "ws",
      httpVersion: fields.httpVersion,
      path: fields.path,
      rawPath: fields.rawPath,
      rootPath: "",
      queryString: fields.queryString,
      headers: fields.headers,
      client: fields.client,
      server: this.serverAddress(req.socket),
      subprotocols: parseSubprotocols(req.headers["sec-websocket-protocol"]),
      [LIVE_SESSIONS]: this.#live,
      [LIVE_SOCKET]: socket,
    };
  }

  /**
   * What HTTP and WebSocket scopes share, read from a request: the target split into decoded path,
   * raw path and query string, header names lower-cased in arrival order, the client address.
   * Recurring headers are shared pairs; so are the paths of `longLived` scopes (WebSockets), which
   * an HTTP scope is gone too soon to need.
   */
  #requestFields(req: IncomingMessage, longLived: boolean): RequestFields {
    let target = req.url ?? "/";
    if (!target.startsWith("/") && target !== "*") {
      // absolute-form (`GET http://host/path`), which proxies send
      try {
        const url = new URL(target);
        target = url.pathname + url.search;
      } catch {
        target = "/";
      }
    }
    const { path, rawPath, queryString } = splitTarget(target);
    const raw = req.rawHeaders;
    const headers: Array<readonly [string, string]> = new Array(raw.length >> 1);
    for (let i = 0; i < raw.length; i += 2) {
      headers[i >> 1] = this.#pairs.pair(this.#lowerName(raw[i]), raw[i + 1]);
    }
    const version = req.httpVersion;
    return {
      // the query string often carries a per-client token, so only the paths are shared
      path: longLived ? this.#strings.get(path) : path,
      rawPath: longLived ? this.#strings.get(rawPath) : rawPath,
      queryString,
      headers,
      client: hostPort(req.socket.remoteAddress, req.socket.remotePort),
      // a literal, not the string Node builds: docs/performance.md#scopes-share-recurring-strings
      httpVersion: version === "1.1" ? "1.1" : version === "1.0" ? "1.0" : version,
    };
  }

  #lowerName(name: string): string {
    let lower = this.#lowerNames.get(name);
    if (lower === undefined) {
      lower = name.toLowerCase();
      if (this.#lowerNames.size < MAX_LOWER_NAMES) this.#lowerNames.set(name, lower);
    }
    return lower;
  }
}

function hostPort(host: string | undefined, port: number | undefined): HostPort | null {
  return host === undefined || port === undefined ? null : [host, port];
}

/** Most clients offer no subprotocol; their scopes share one frozen empty list. */
const NO_SUBPROTOCOLS: readonly string[] = Object.freeze([]);

/** Subprotocols offered in `Sec-WebSocket-Protocol`, in order, empty entries dropped. */
function parseSubprotocols(header: string | undefined): readonly string[] {
  if (header === undefined) return NO_SUBPROTOCOLS;
  const protocols: string[] = [];
  for (const part of header.split(",")) {
    const protocol = part.trim();
    if (protocol !== "") protocols.push(protocol);
  }
  return protocols;
}
