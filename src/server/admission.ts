import type { IncomingMessage, ServerResponse } from "node:http";
import { allowedHostsCheck } from "./allowed-hosts.js";
import { escapeLogText } from "../security/escape-log-text.js";
import type { Logger } from "./logger.js";
import type { ResolvedServeOptions } from "./serve-options.js";
import { TokenBucket } from "./token-bucket.js";

/** Addresses whose handshake rate is tracked at once; the oldest is forgotten past it. */
const MAX_TRACKED_ADDRESSES = 10_000;

/** One address's handshake bucket, and whether its current run of refusals was logged. */
class AddressBucket extends TokenBucket {
  logged = false;
}

/**
 * A server's checks before an application runs: the `Host` allow-list (HTTP and WebSocket), and
 * for handshakes the per-address rate and the server-wide connection cap. Each refusal is one log
 * line; a run of refusals for one address, or while the server is full, is logged once.
 */
export class Admission {
  readonly #options: ResolvedServeOptions;
  readonly #logger: Logger;
  readonly #hostAllowed: ((host: string | undefined) => boolean) | null;
  // insertion order is age: the first key is the one forgotten when the table is full
  readonly #addresses = new Map<string, AddressBucket>();
  #fullLogged = false;

  constructor(options: ResolvedServeOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
    this.#hostAllowed = allowedHostsCheck(options.allowedHosts);
  }

  /** Answers 400 and returns `false` for an HTTP request to a host not allowed. */
  admitRequest(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.#hostAllowed === null || this.#hostAllowed(req.headers.host)) return true;
    this.#refuseHost(req);
    const body = "Bad Request: Host not allowed";
    res.shouldKeepAlive = false;
    res.writeHead(400, {
      "content-type": "text/plain; charset=utf-8",
      "content-length": body.length,
    });
    res.end(body);
    return false;
  }

  /** The status an upgrade request is refused with before the application runs; `null` to admit. */
  refuseUpgrade(req: IncomingMessage, openConnections: number): number | null {
    if (this.#hostAllowed !== null && !this.#hostAllowed(req.headers.host)) {
      this.#refuseHost(req);
      return 400;
    }
    const { maxConnections, maxHandshakesPerSecond } = this.#options;
    if (maxConnections > 0 && openConnections >= maxConnections) {
      if (!this.#fullLogged) {
        this.#fullLogged = true;
        this.#logger.info(
          `WebSocket handshakes refused with 503: ${openConnections} connections reach maxConnections (${maxConnections}); logged once until one is admitted.`,
        );
      }
      return 503;
    }
    if (maxHandshakesPerSecond > 0 && !this.#takeHandshake(req)) return 429;
    this.#fullLogged = false;
    return null;
  }

  #takeHandshake(req: IncomingMessage): boolean {
    const address = req.socket.remoteAddress ?? "";
    const { maxHandshakesPerSecond: perSecond, handshakeBurst: burst } = this.#options;
    const now = performance.now();
    let bucket = this.#addresses.get(address);
    if (bucket === undefined) {
      if (this.#addresses.size >= MAX_TRACKED_ADDRESSES) {
        this.#addresses.delete(this.#addresses.keys().next().value as string);
      }
      bucket = new AddressBucket(burst, now);
      this.#addresses.set(address, bucket);
    }
    if (bucket.take(now, perSecond, burst)) {
      bucket.logged = false;
      return true;
    }
    if (!bucket.logged) {
      bucket.logged = true;
      this.#logger.info(
        `WebSocket handshakes from ${address} refused with 429: over maxHandshakesPerSecond (${perSecond}, burst ${burst}); logged once until one is admitted.`,
      );
    }
    return false;
  }

  /** Forgets the addresses whose bucket refilled, so the table holds only recent clients. */
  sweep(now: number): void {
    const { maxHandshakesPerSecond: perSecond, handshakeBurst: burst } = this.#options;
    for (const [address, bucket] of this.#addresses) {
      if (bucket.isFull(now, perSecond, burst)) this.#addresses.delete(address);
    }
  }

  /** How many addresses are tracked; for tests of the bound. */
  get trackedAddresses(): number {
    return this.#addresses.size;
  }

  #refuseHost(req: IncomingMessage): void {
    const host = req.headers.host === undefined ? "none" : `"${escapeLogText(req.headers.host)}"`;
    this.#logger.info(
      `${escapeLogText(req.method ?? "GET")} ${escapeLogText(req.url ?? "/")} refused with 400: Host ${host} is not in allowedHosts.`,
    );
  }
}
