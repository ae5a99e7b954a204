import { DEFAULT_DATABASE_URL, ImproperlyConfigured } from "switchboard";
import type { ServeOptions } from "switchboard";
import { loadOrCreateSecretKey, newSecretKey } from "./secret-key-file.js";

/** What the chat demo is configured with; {@link settingsFromEnv} reads it from the environment. */
export interface ChatSettings {
  /** A SQLite path, `:memory:` or a `postgres://` URL: users, rooms and (without Redis) sessions. */
  database: string;
  /** Keys the session auth hash; at least 32 characters. */
  secretKey: string;
  /** Previous secret keys, still accepted for sessions made before a rotation. Default none. */
  secretKeyFallbacks?: readonly string[];
  /** With a Redis URL, the channel layer and sessions live in Redis so several processes share rooms. */
  redisUrl: string | null;
  /** Prefix of every Redis key the demo makes, so deployments and test runs can share a Redis. */
  redisPrefix: string;
  /** `Host` values the demo answers; others get 400. Default `localhost`, `127.0.0.1`, `[::1]`. */
  allowedHosts?: readonly string[];
  /**
   * Accept `POST /login/` without a CSRF token and lift the message and handshake rate limits,
   * for load generators. Never in production.
   */
  bench: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function secretKeyFor(database: string, env: Env): string {
  const given = env.SWITCHBOARD_SECRET_KEY;
  if (given !== undefined && given !== "") return given;
  if (/^postgres(ql)?:\/\//i.test(database)) {
    throw new ImproperlyConfigured(
      "With a PostgreSQL database set SWITCHBOARD_SECRET_KEY (32+ random characters): there is no database file to keep a generated key beside.",
    );
  }
  const path = database.startsWith("sqlite:") ? database.slice("sqlite:".length) : database;
  // An in-memory database forgets every session on exit, so a key that dies with it loses nothing.
  if (path === ":memory:") return newSecretKey();
  // "-secret-key" after the database name matches the repository's "*.sqlite3-*" ignore rule.
  return loadOrCreateSecretKey(`${path}-secret-key`);
}

/** A comma-separated setting as its non-empty items. */
function list(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/**
 * The demo's settings from the environment: `SWITCHBOARD_DB` (default `./switchboard.sqlite3`),
 * `SWITCHBOARD_SECRET_KEY` (else generated once into a file beside the database),
 * `SWITCHBOARD_SECRET_KEY_FALLBACKS` (previous keys, comma-separated, during a rotation),
 * `REDIS_URL`, `SWITCHBOARD_REDIS_PREFIX` (default `switchboard:`), `SWITCHBOARD_ALLOWED_HOSTS`
 * (comma-separated, default `localhost,127.0.0.1,[::1]`) and `SWITCHBOARD_BENCH=1`.
 *
 * @example
 * ```ts
 * const chat = await createChat(settingsFromEnv());
 * ```
 */
export function settingsFromEnv(env: Env = process.env): ChatSettings {
  const database = env.SWITCHBOARD_DB || DEFAULT_DATABASE_URL;
  return {
    database,
    secretKey: secretKeyFor(database, env),
    secretKeyFallbacks: list(env.SWITCHBOARD_SECRET_KEY_FALLBACKS ?? ""),
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.SWITCHBOARD_REDIS_PREFIX || "switchboard:",
    allowedHosts: env.SWITCHBOARD_ALLOWED_HOSTS ? list(env.SWITCHBOARD_ALLOWED_HOSTS) : undefined,
    bench: env.SWITCHBOARD_BENCH === "1",
  };
}

/**
 * The server limits the demo runs with: a chat's pace of messages and reconnects, its allowed
 * hosts, slow-header sockets closed within 10 s, 50 sockets per user; live sessions re-validated
 * every 10 s (a CLI password change closes open sockets within that). `bench` lifts the two rates
 * and the per-user cap (load generators send thousands of messages a second over one session)
 * and nothing else.
 *
 * @example
 * ```ts
 * const server = await serve(chat.application, { ...chatServeOptions(settings), port: 8000 });
 * ```
 */
export function chatServeOptions(settings: ChatSettings): ServeOptions {
  return {
    maxMessagesPerSecond: settings.bench ? 0 : 20,
    messageBurst: 60,
    maxHandshakesPerSecond: settings.bench ? 0 : 5,
    handshakeBurst: 30,
    maxConnections: 10_000,
    headersTimeoutMs: 10_000,
    allowedHosts: settings.allowedHosts ?? ["localhost", "127.0.0.1", "[::1]"],
    liveSessions: { maxSocketsPerUser: settings.bench ? 0 : 50, revalidateIntervalMs: 10_000 },
  };
}
