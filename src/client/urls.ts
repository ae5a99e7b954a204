import { ClientConfigurationError } from "./errors.js";

/** The page's address, when there is a page (Node has none). */
function pageUrl(): string | undefined {
  return (globalThis as { location?: { href: string } }).location?.href;
}

/**
 * `url` resolved against `base` (default: the page's address); `socket` turns `http(s):` into
 * `ws(s):`, so `"/ws/chat/lobby/"` works on a page served over either.
 */
export function resolveUrl(url: string, base: string | undefined, socket: boolean): string {
  const against = base ?? pageUrl();
  let resolved: URL;
  try {
    resolved = new URL(url, against);
  } catch {
    throw new ClientConfigurationError(
      `Cannot resolve "${url}": give an absolute URL or the baseUrl option (outside a page there is no location to resolve against).`,
    );
  }
  if (socket) resolved.protocol = resolved.protocol.replace(/^http/, "ws");
  return resolved.href;
}
