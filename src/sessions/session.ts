import { BackendUnavailable, ImproperlyConfigured, SessionInterrupted } from "../errors.js";
import type { SessionRecord, SessionStore } from "../stores/session-store.js";
import type { JsonValue } from "./json-value.js";
import { decodeSessionData, encodeSessionData, EXPIRY_KEY } from "./session-data.js";
import { expiryAge, expiryDate, toSessionExpiry, type SessionExpiry } from "./session-expiry.js";
import { isSessionKey, newSessionKey } from "./session-key.js";

export type { JsonValue } from "./json-value.js";

/**
 * Options for {@link Session}.
 *
 * @example
 * ```ts
 * const session = new Session(store, key, { maxAge: 3600 } satisfies SessionOptions);
 * ```
 */
export interface SessionOptions {
  /** Lifetime in seconds of a session with no expiry of its own. Default 1209600 (two weeks). */
  maxAge?: number;
  /**
   * Called by `flush()` with the key it deleted from the store, once deleted: the server uses it
   * to close the WebSockets that session authenticated (docs/live-sessions.md).
   */
  onFlush?: (sessionKey: string) => void | Promise<void>;
}

/**
 * Two weeks in seconds, Django's `SESSION_COOKIE_AGE`: the default `maxAge`.
 *
 * @example
 * ```ts
 * sessionMiddleware({ store, maxAge: DEFAULT_SESSION_MAX_AGE / 2 }); // one week
 * ```
 */
export const DEFAULT_SESSION_MAX_AGE = 1_209_600;

const CREATE_ATTEMPTS = 5;

/**
 * One client's session, loaded from its {@link SessionStore} on first use. Data accessors are
 * async because they may load; `modified` and `accessed` tell the session middleware what to do with the response. An unknown, expired,
 * forged or malformed key gives an empty session that gets a fresh key when saved, so a client
 * can never choose its own key (session fixation).
 *
 * Values are JSON: mutating a nested object in place is not noticed; set `modified = true`.
 *
 * @example
 * ```ts
 * const session = new Session(store, cookieValue);
 * const visits = ((await session.get("visits")) as number | undefined) ?? 0;
 * await session.set("visits", visits + 1);
 * await session.save();
 * session.sessionKey; // the key to put in the cookie
 * ```
 */
export class Session {
  /** Data changed since loading: the middleware saves the session and sets the cookie. */
  modified = false;
  /** Data was read or written: the response depends on the cookie (`Vary: Cookie`). */
  accessed = false;
  readonly #store: SessionStore;
  readonly #maxAge: number;
  readonly #onFlush: SessionOptions["onFlush"];
  #key: string | null;
  #storedExpiresAt: Date | null = null;
  /** `null` until loaded. */
  #data: Map<string, JsonValue> | null = null;
  #expiry: SessionExpiry = null;
  #loading: Promise<SessionRecord | null> | null = null;

  /**
   * @param sessionKey the key the client sent, if any; one that is not 32 `[a-z0-9]` characters
   *   is ignored without touching the store.
   */
  constructor(store: SessionStore, sessionKey: string | null = null, options: SessionOptions = {}) {
    this.#store = store;
    this.#maxAge = options.maxAge ?? DEFAULT_SESSION_MAX_AGE;
    this.#onFlush = options.onFlush;
    this.#key = sessionKey !== null && isSessionKey(sessionKey) ? sessionKey : null;
  }

  /** The key this session is stored under, or `null` when it has none (yet). */
  get sessionKey(): string | null {
    return this.#key;
  }

  /** No key and no data: there is nothing to store, and a cookie the client holds can go. */
  get isEmpty(): boolean {
    return (
      this.#key === null && (this.#data === null || this.#data.size === 0) && this.#expiry === null
    );
  }

  /** When the store said, at loading, that this session expires; `null` if it held none. */
  get storedExpiresAt(): Date | null {
    return this.#storedExpiresAt;
  }

  /**
   * Asks the store again when this session expires: `null` when it is gone (flushed, expired,
   * or never saved). The session's data is left as it is.
   */
  async storedExpiry(): Promise<Date | null> {
    if (this.#key === null) return null;
    return (await this.#store.load(this.#key))?.expiresAt ?? null;
  }

  /**
   * Asks the store again for one value of this session: `undefined` when the session or the value
   * is gone. The session's data is left as it is.
   */
  async storedValue(name: string): Promise<JsonValue | undefined> {
    if (this.#key === null) return undefined;
    const record = await this.#store.load(this.#key);
    return record === null ? undefined : decodeSessionData(record.data).data.get(name);
  }

  /** Whether the data has been loaded (or replaced by `flush()`). */
  get isLoaded(): boolean {
    return this.#data !== null;
  }

  /**
   * Reads the session from the store, once. An unknown or expired key leaves an empty session
   * without a key. A store failure rejects (`BackendUnavailable`) and leaves the session
   * unloaded, so a later save cannot overwrite the real data with an empty session.
   */
  async load(): Promise<void> {
    if (this.#data === null) await this.#load();
  }

  async get<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined> {
    const data = this.#data ?? (await this.#load());
    this.accessed = true;
    return data.get(key) as T | undefined;
  }

  async set(key: string, value: JsonValue): Promise<void> {
    if (key === EXPIRY_KEY) {
      throw new ImproperlyConfigured(`"${EXPIRY_KEY}" is reserved: use session.setExpiry().`);
    }
    const data = this.#data ?? (await this.#load());
    data.set(key, value);
    this.accessed = true;
    this.modified = true;
  }

  /** Removes `key`; resolves whether it was there (only then is the session modified). */
  async delete(key: string): Promise<boolean> {
    const data = this.#data ?? (await this.#load());
    const existed = data.delete(key);
    this.accessed = true;
    if (existed) this.modified = true;
    return existed;
  }

  async has(key: string): Promise<boolean> {
    const data = this.#data ?? (await this.#load());
    this.accessed = true;
    return data.has(key);
  }

  async keys(): Promise<string[]> {
    const data = this.#data ?? (await this.#load());
    this.accessed = true;
    return [...data.keys()];
  }

  async entries(): Promise<Array<[string, JsonValue]>> {
    const data = this.#data ?? (await this.#load());
    this.accessed = true;
    return [...data.entries()];
  }

  /**
   * Sets when this session expires: after `seconds` of inactivity, at a `Date`, `0` for when the
   * browser closes (the cookie gets no Max-Age), or `null` to go back to the default `maxAge`.
   */
  async setExpiry(value: number | Date | null): Promise<void> {
    const expiry = toSessionExpiry(value);
    if (this.#data === null) await this.#load();
    this.accessed = true;
    if (expiry === null && this.#expiry === null) return;
    this.#expiry = expiry;
    this.modified = true;
  }

  /** Seconds from now until the session expires. Needs the session loaded. */
  getExpiryAge(): number {
    return expiryAge(this.#loadedExpiry(), this.#maxAge);
  }

  /** The instant the session expires. Needs the session loaded. */
  getExpiryDate(): Date {
    return expiryDate(this.#loadedExpiry(), this.#maxAge);
  }

  /** Whether the cookie should last only until the browser closes (`setExpiry(0)`). Needs the session loaded. */
  get expireAtBrowserClose(): boolean {
    return this.#loadedExpiry() === 0;
  }

  /**
   * Keeps the data under a new key and deletes the old one from the store; call on login so a
   * key an attacker planted before authentication is worthless after it.
   */
  async cycleKey(): Promise<void> {
    if (this.#data === null) await this.#load();
    this.accessed = true;
    const oldKey = this.#key;
    this.#key = await this.#createKey();
    this.modified = true;
    if (oldKey !== null) await this.#store.delete(oldKey);
  }

  /** Empties the session, deletes it from the store and drops its key (logout). */
  async flush(): Promise<void> {
    const oldKey = this.#key;
    this.#data = new Map();
    this.#expiry = null;
    this.#key = null;
    this.accessed = true;
    this.modified = true;
    if (oldKey !== null) {
      await this.#store.delete(oldKey);
      await this.#onFlush?.(oldKey);
    }
  }

  /**
   * Writes the session to the store, creating a new key if it has none. Rejects with
   * `SessionInterrupted` when the session was deleted from the store since it was loaded (a
   * concurrent logout), rather than resurrecting it.
   */
  async save(): Promise<void> {
    await this.load();
    if (this.#key === null) {
      this.#key = await this.#createKey();
      this.modified = true;
      return;
    }
    if (!(await this.#store.save(this.#key, this.#encode(), this.getExpiryDate(), false))) {
      throw new SessionInterrupted(
        "The session was deleted before the request finished (another request logged out?). " +
          "Retry the request; it will start a new session.",
      );
    }
  }

  /** Reads the session, as `load()` says; concurrent callers share one store read. */
  async #load(): Promise<Map<string, JsonValue>> {
    if (this.#key === null) return this.#adopt(null);
    const loading = (this.#loading ??= this.#store.load(this.#key));
    try {
      return this.#adopt(await loading);
    } finally {
      if (this.#loading === loading) this.#loading = null;
    }
  }

  /** Takes what the store answered, or an empty session without a key when it had nothing. */
  #adopt(record: SessionRecord | null): Map<string, JsonValue> {
    // flush() or a concurrent caller may have set the data while the store was answering: keep it.
    if (this.#data !== null) return this.#data;
    if (record === null) this.#key = null;
    else this.#storedExpiresAt = record.expiresAt;
    const { data, expiry } = decodeSessionData(record?.data ?? "{}");
    this.#data = data;
    this.#expiry = expiry;
    return data;
  }

  #loadedExpiry(): SessionExpiry {
    this.#loaded("reading its expiry");
    return this.#expiry;
  }

  /** The loaded data; throws when the session is not loaded, saying what needed it to be. */
  #loaded(purpose: string): Map<string, JsonValue> {
    if (this.#data === null) {
      throw new ImproperlyConfigured(
        `The session is not loaded yet: await session.load() (or any data accessor) before ${purpose}.`,
      );
    }
    return this.#data;
  }

  #encode(): string {
    return encodeSessionData(this.#data ?? new Map(), this.#expiry);
  }

  async #createKey(): Promise<string> {
    const data = this.#encode();
    const expiresAt = this.getExpiryDate();
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const key = await newSessionKey();
      if (await this.#store.save(key, data, expiresAt, true)) return key;
    }
    throw new BackendUnavailable(
      `The session store refused ${CREATE_ATTEMPTS} fresh random keys as taken: it is not storing ` +
        "what it is given (check its save() with mustCreate).",
    );
  }
}
