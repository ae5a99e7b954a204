import { ImproperlyConfigured } from "../errors.js";

/** A `Host` value without its port and trailing dot, lower-cased; `null` when it is not a host. */
function hostName(header: string): string | null {
  const value = header.toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d+)?$/.exec(value);
  if (match === null) return null;
  const host = match[1] as string;
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

/**
 * Compiles `allowedHosts` as Django's `ALLOWED_HOSTS`: `"example.com"` matches that host,
 * `".example.com"` it and every subdomain, `"*"` anything; the port is ignored. Returns the check
 * for a request's `Host` header (a missing or malformed one is refused), or `null` when every
 * host is allowed.
 *
 * @example
 * ```ts
 * const allows = allowedHostsCheck([".example.com", "localhost"]);
 * allows?.("chat.example.com:8443"); // true
 * ```
 */
export function allowedHostsCheck(
  patterns: readonly string[] | null,
): ((host: string | undefined) => boolean) | null {
  if (patterns === null || patterns.includes("*")) return null;
  const exact = new Set<string>();
  const domains: string[] = [];
  for (const pattern of patterns) {
    const host = hostName(pattern.startsWith(".") ? pattern.slice(1) : pattern);
    if (host === null || host === "" || pattern !== pattern.trim()) {
      throw new ImproperlyConfigured(
        `serve() option allowedHosts has "${pattern}", which is not a host pattern: use "example.com", ".example.com", "[::1]" or "*".`,
      );
    }
    if (pattern.startsWith(".")) domains.push(host);
    else exact.add(host);
  }
  return function hostAllowed(header) {
    const host = header === undefined ? null : hostName(header);
    if (host === null) return false;
    if (exact.has(host)) return true;
    return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
  };
}
