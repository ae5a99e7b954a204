import { ImproperlyConfigured } from "../errors.js";
import type { ChannelLayer } from "../layers/channel-layer.js";
import { getChannelLayer } from "../layers/registry.js";
import { sessionKeyHash } from "../sessions/session-key-hash.js";
import { EntryIndex } from "./entry-index.js";
import { ExpiryWheel } from "./expiry-wheel.js";
import { LIVE_SESSION_CLOSE_CODES as CODES } from "./live-close-codes.js";
import type { LiveCheck, LiveConnection, RevocableSocket } from "./live-socket.js";
import { isRevokeMessage, REVOKE_GROUP, type RevokeMessage } from "./revoke-message.js";

/**
 * Options of {@link LiveSessions}, given to `serve()` as `liveSessions`.
 *
 * @example
 * ```ts
 * await serve(application, { liveSessions: { maxSocketsPerUser: 50, revalidateIntervalMs: 10_000 } });
 * ```
 */
export interface LiveSessionsOptions {
  /**
   * The layer `auth.revoke` messages travel through between processes. Default: the layer
   * installed with `setChannelLayer()` when the server starts; `null` keeps revocation local.
   */
  channelLayer?: ChannelLayer | null;
  /** How late a socket may close after its session expired, in ms. Default 1000. */
  expiryGranularityMs?: number;
  /**
   * How often every open socket's session and user are checked against the stores, in ms, so
   * changes made where no layer reaches (a CLI, another application) still close sockets. `0`
   * disables. Default 30 000.
   */
  revalidateIntervalMs?: number;
  /** Open authenticated sockets one user may hold on this process; `0` is no limit. Default 0. */
  maxSocketsPerUser?: number;
  /** Where the one line per refused or failed operation goes. Default `console`. */
  logger?: { info(line: string): void };
}

interface Entry {
  readonly connection: LiveConnection;
  readonly socket: RevocableSocket;
  expiresAt: number | null;
  /** False once removed: a re-validation that answers later must not schedule it again. */
  registered: boolean;
}

// Re-validations run this many at a time, so a sweep of many sockets does not flood the stores.
const BATCH = 32;

/**
 * A server's registry of open authenticated WebSockets, by session and by user, so that a
 * logout, a password change or an expiry closes them (see `docs/live-sessions.md`). `serve()`
 * creates one and hands it to applications on every scope; `authMiddleware` registers sockets.
 * One timer and at most one layer channel per server, nothing per message.
 *
 * @example
 * ```ts
 * const server = await serve(application, { liveSessions: { maxSocketsPerUser: 50 } });
 * await server.liveSessions.revoke({ user: "42", reason: "account locked" });
 * ```
 */
export class LiveSessions {
  readonly #bySession = new EntryIndex<Entry>();
  readonly #byUser = new EntryIndex<Entry>();
  readonly #wheel: ExpiryWheel<Entry>;
  readonly #options: Required<Omit<LiveSessionsOptions, "channelLayer">>;
  readonly #layerOption: ChannelLayer | null | undefined;
  #layer: ChannelLayer | null = null;
  /** This server's channel in {@link REVOKE_GROUP}, once the layer gave one. */
  #channel: string | null = null;
  #abort: AbortController | null = null;
  #timers: NodeJS.Timeout[] = [];
  #layerDown = false;
  #sweeping = false;
  #publishFailing = false;

  constructor(options: LiveSessionsOptions = {}) {
    this.#options = {
      expiryGranularityMs: options.expiryGranularityMs ?? 1000,
      revalidateIntervalMs: options.revalidateIntervalMs ?? 30_000,
      maxSocketsPerUser: options.maxSocketsPerUser ?? 0,
      logger: options.logger ?? console,
    };
    for (const [name, value] of Object.entries(this.#options)) {
      if (typeof value === "number" && (!Number.isInteger(value) || value < 0)) {
        throw new ImproperlyConfigured(
          `liveSessions option ${name} must be an integer >= 0, got ${value}.`,
        );
      }
    }
    this.#wheel = new ExpiryWheel(Math.max(1, this.#options.expiryGranularityMs));
    this.#layerOption = options.channelLayer;
  }

  /** Open sockets registered now. */
  get size(): number {
    return this.#byUser.all().length;
  }

  /** Starts the expiry timer, the re-validation sweep and the layer listener. */
  start(): void {
    if (this.#abort !== null) return;
    this.#abort = new AbortController();
    this.#layer = this.#layerOption === undefined ? getChannelLayer() : this.#layerOption;
    const { expiryGranularityMs, revalidateIntervalMs } = this.#options;
    this.#timers.push(setInterval(() => this.#expire(), Math.max(1, expiryGranularityMs)).unref());
    if (revalidateIntervalMs > 0) {
      this.#timers.push(setInterval(() => void this.revalidateAll(), revalidateIntervalMs).unref());
    }
    if (this.#layer !== null) void this.#listen(this.#layer, this.#abort.signal);
  }

  /** Stops timers and the listener; sockets are the server's to close. */
  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#abort?.abort();
    this.#abort = null;
  }

  /**
   * Tracks `socket` until {@link remove}; over `maxSocketsPerUser` it is closed with 4004
   * instead and `null` returned.
   */
  add(connection: LiveConnection, socket: RevocableSocket): object | null {
    const { maxSocketsPerUser, logger } = this.#options;
    if (maxSocketsPerUser > 0 && this.#byUser.count(connection.userId) >= maxSocketsPerUser) {
      logger.info(
        `WebSocket of user ${connection.userId} closed with ${CODES.tooManySockets}: it has ${maxSocketsPerUser} open (maxSocketsPerUser).`,
      );
      socket.revoke(CODES.tooManySockets, "too many open connections for this user");
      return null;
    }
    const entry: Entry = {
      connection,
      socket,
      expiresAt: connection.expiresAt?.getTime() ?? null,
      registered: true,
    };
    this.#bySession.add(connection.sessionHash, entry);
    this.#byUser.add(connection.userId, entry);
    if (entry.expiresAt !== null) this.#wheel.add(entry, entry.expiresAt);
    return entry;
  }

  /** Stops tracking what {@link add} returned (the socket closed or opted out). */
  remove(handle: object): void {
    const entry = handle as Entry;
    entry.registered = false;
    this.#bySession.delete(entry.connection.sessionHash, entry);
    this.#byUser.delete(entry.connection.userId, entry);
    this.#wheel.delete(entry);
  }

  /**
   * Closes the sockets of a session (by `sessionKeyHash`) or of a user (by id, as a string), but
   * not those of `exceptSession` (a `sessionKeyHash`), here and, through the channel layer, on
   * every process. Resolves once the message is sent; a layer
   * that fails is logged, not thrown: this process's sockets are closed either way.
   */
  async revoke(target: Omit<RevokeMessage, "type">): Promise<void> {
    const message: RevokeMessage = { type: "auth.revoke", ...target };
    if (!isRevokeMessage(message)) {
      throw new ImproperlyConfigured(
        "revoke() takes { session?: string, user?: string, exceptSession?: string, code?: 4000-4999, reason: string of at most 123 bytes }.",
      );
    }
    this.#apply(message);
    if (this.#layer === null) return;
    try {
      await this.#layer.groupSend(REVOKE_GROUP, message);
      this.#publishFailing = false;
    } catch (error) {
      // one line per outage, not per logout
      if (!this.#publishFailing) {
        this.#options.logger.info(
          `auth.revoke could not reach other processes (${String(error)}); they find out within revalidateIntervalMs.`,
        );
      }
      this.#publishFailing = true;
    }
  }

  /** What `Session.flush()` calls, as `onFlush`, when the server is live: a bound property. */
  readonly sessionEnded = (sessionKey: string): Promise<void> =>
    this.revoke({ session: sessionKeyHash(sessionKey), reason: "session ended" });

  /** Checks every open socket against the stores and closes those no longer valid. */
  async revalidateAll(): Promise<void> {
    // slow stores: a sweep still running when the next is due is not doubled
    if (this.#sweeping) return;
    this.#sweeping = true;
    try {
      const entries = this.#byUser.all();
      for (let i = 0; i < entries.length; i += BATCH) {
        await Promise.all(entries.slice(i, i + BATCH).map((entry) => this.#revalidate(entry)));
      }
    } finally {
      this.#sweeping = false;
    }
    // renews the membership on layers whose groups expire
    if (this.#channel !== null)
      await this.#layer?.groupAdd(REVOKE_GROUP, this.#channel).catch(() => {});
  }

  async #listen(layer: ChannelLayer, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        this.#channel ??= await layer.newChannel("switchboard.live");
        await layer.groupAdd(REVOKE_GROUP, this.#channel);
        for (;;) {
          const message = await layer.receive(this.#channel, signal);
          if (isRevokeMessage(message)) this.#apply(message);
          if (this.#layerDown) this.#layerDown = false;
        }
      } catch (error) {
        if (signal.aborted) return;
        if (!this.#layerDown) {
          this.#layerDown = true;
          this.#options.logger.info(
            `Live sessions stopped hearing auth.revoke (${String(error)}); retrying every second.`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
    }
  }

  #apply(message: RevokeMessage): void {
    const code =
      message.code ?? (message.user !== undefined ? CODES.credentialsChanged : CODES.sessionEnded);
    const matched = [
      ...(message.session !== undefined ? this.#bySession.get(message.session) : []),
      ...(message.user !== undefined ? this.#byUser.get(message.user) : []),
    ];
    for (const entry of matched) {
      if (entry.connection.sessionHash !== message.exceptSession) {
        this.#close(entry, code, message.reason);
      }
    }
  }

  #expire(): void {
    for (const entry of this.#wheel.takeDue(Date.now())) void this.#revalidate(entry);
  }

  /** Asks the stores about one socket: closes it, or schedules its (possibly moved) expiry. */
  async #revalidate(entry: Entry): Promise<void> {
    let check: LiveCheck;
    try {
      check = await entry.connection.revalidate();
    } catch {
      // a store that is down is not a logout: a due socket is asked again a step later
      const due = entry.expiresAt !== null && entry.expiresAt <= Date.now();
      if (entry.registered && due) {
        this.#wheel.add(entry, Date.now() + this.#options.expiryGranularityMs);
      }
      return;
    }
    if (!entry.registered) return; // the socket closed meanwhile
    if ("end" in check) {
      if (check.end === "credentials") {
        this.#close(entry, CODES.credentialsChanged, "credentials changed");
      } else if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
        this.#close(entry, CODES.sessionExpired, "session expired");
      } else {
        this.#close(entry, CODES.sessionEnded, "session ended");
      }
      return;
    }
    entry.expiresAt = check.expiresAt?.getTime() ?? null;
    if (entry.expiresAt !== null) this.#wheel.add(entry, entry.expiresAt);
  }

  #close(entry: Entry, code: number, reason: string): void {
    this.remove(entry);
    entry.socket.revoke(code, reason);
  }
}
