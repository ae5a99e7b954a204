import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Headers, HostPort, HttpScope, WebsocketScope } from "../types/asgi.js";
import { headerPair } from "./shared-header.js";
import { sharedString } from "./shared-string.js";
import { splitTarget } from "./split-target.js";
import type { RequestTarget } from "./split-target.js";

/**
 * Lower-cased header names, shared between connections: the same dozen names arrive on every
 * request, and a connection should not keep its own copies. Bounded, so hostile names cannot
 * grow it.
 */
const lowerNames = new Map<string, string>();
const MAX_LOWER_NAMES = 512;

function lowerName(name: string): string {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerNames.size < MAX_LOWER_NAMES) lowerNames.set(name, lower);
  }
  return lower;
}

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
 * What HTTP and WebSocket scopes share, read from a request: the target split into decoded path,
 * raw path and query string, header names lower-cased in arrival order, the client address.
 * Recurring headers are shared pairs; so are the paths of `longLived` scopes (WebSockets), which
 * an HTTP scope is gone too soon to need.
 */
function requestFields(req: IncomingMessage, longLived: boolean): RequestFields {
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
    headers[i >> 1] = headerPair(lowerName(raw[i]), raw[i + 1]);
  }
  const version = req.httpVersion;
  return {
    // the query string often carries a per-client token, so only the paths are shared
    path: longLived ? sharedString(path) : path,
    rawPath: longLived ? sharedString(rawPath) : rawPath,
    queryString,
    headers,
    client: hostPort(req.socket.remoteAddress, req.socket.remotePort),
    // a literal instead of the per-request string Node builds
    httpVersion: version === "1.1" ? "1.1" : version === "1.0" ? "1.0" : version,
  };
}

/** The scope of an HTTP request. */
export function buildHttpScope(req: IncomingMessage, server: ServerAddress): HttpScope {
  const fields = requestFields(req, false);
  // one literal with every field, so the scope keeps all its properties in-object
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
    server: server(req.socket),
  };
}

/** The scope of a WebSocket handshake request. */
export function buildWebsocketScope(req: IncomingMessage, server: ServerAddress): WebsocketScope {
  const fields = requestFields(req, true);
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
    server: server(req.socket),
    subprotocols: parseSubprotocols(req.headers["sec-websocket-protocol"]),
  };
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
