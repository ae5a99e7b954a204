import type { IncomingMessage } from "node:http";
import type { BaseScope, Headers, HostPort } from "../types/asgi.js";

/**
 * The fields HTTP and WebSocket scopes share, read from a request: the target split into decoded
 * path, raw path and query string, header names lower-cased in arrival order, both addresses.
 */
export function buildBaseScope(req: IncomingMessage): BaseScope {
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
  const question = target.indexOf("?");
  const rawPath = question === -1 ? target : target.slice(0, question);
  const raw = req.rawHeaders;
  const headers: Array<readonly [string, string]> = new Array(raw.length >> 1);
  for (let i = 0; i < raw.length; i += 2) headers[i >> 1] = [raw[i].toLowerCase(), raw[i + 1]];
  const socket = req.socket;
  return {
    path: decodePath(rawPath),
    rawPath,
    rootPath: "",
    queryString: question === -1 ? "" : target.slice(question + 1),
    headers: headers as Headers,
    client: hostPort(socket.remoteAddress, socket.remotePort),
    server: hostPort(socket.localAddress, socket.localPort),
  };
}

/** Percent-decodes a path; a malformed escape is kept as it arrived rather than failing the request. */
function decodePath(rawPath: string): string {
  if (!rawPath.includes("%")) return rawPath;
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

function hostPort(host: string | undefined, port: number | undefined): HostPort | null {
  return host === undefined || port === undefined ? null : [host, port];
}

/** Subprotocols offered in `Sec-WebSocket-Protocol`, in order, empty entries dropped. */
export function parseSubprotocols(header: string | undefined): string[] {
  if (header === undefined) return [];
  const protocols: string[] = [];
  for (const part of header.split(",")) {
    const protocol = part.trim();
    if (protocol !== "") protocols.push(protocol);
  }
  return protocols;
}
