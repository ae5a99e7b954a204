import { ImproperlyConfigured } from "../errors.js";
import type { AuthBackend } from "./auth-backend.js";
import { AuthSignals } from "./auth-signals.js";
import { checkSecretKey, checkSecretKeyFallbacks } from "./secret-key.js";
import { rememberSessionAuthHashes, type AuthHashFields } from "./session-auth-hash.js";

/** Options shared by `authMiddleware` and `authMiddlewareStack`. */
export interface AuthOptions {
  /** Tried in order by `authenticate`; a session naming a backend not listed here is anonymous. */
  backends: readonly AuthBackend[];
  /** Keys the session auth hash. At least 32 characters; keep it out of the source. */
  secretKey: string;
  /**
   * Previous secret keys, as Django's `SECRET_KEY_FALLBACKS`: sessions hashed with one of them
   * stay logged in and are re-hashed with `secretKey` (saved with the next HTTP response), so a
   * key can be rotated without logging everybody out. Remove a key once sessions have moved on.
   */
  secretKeyFallbacks?: readonly string[];
  /**
   * Receivers of `userLoggedIn`, `userLoggedOut` and `userLoginFailed` (Django's auth signals),
   * sent by `login`, `logout` and `authenticate(credentials, scope)` on scopes this middleware
   * served. Default: an `AuthSignals` of its own, with no receivers.
   */
  signals?: AuthSignals;
}

/** Options as parsed once per middleware. */
export interface AuthConfig {
  readonly backends: ReadonlyMap<string, AuthBackend>;
  readonly secretKey: string;
  readonly secretKeyFallbacks: readonly string[];
  readonly signals: AuthSignals;
  /** `sessionAuthHash(user, secretKey)`, remembered per password hash. */
  readonly sessionAuthHash: (user: AuthHashFields) => string;
}

/**
 * Where `authMiddleware` leaves its configuration on the scope for `login`, `logout` and
 * `getUser`. A symbol, so it travels through the `{ ...scope }` copies routers make but never
 * collides with a user's field.
 */
export const AUTH_CONFIG: unique symbol = Symbol("switchboard.auth.config");

/** A scope that went through `authMiddleware`. */
export interface ConfiguredScope {
  [AUTH_CONFIG]?: AuthConfig;
}

/**
 * Validates auth options once: the secret, and backend names that must be unique.
 *
 * @example
 * ```ts
 * const config = resolveAuthConfig({ backends: [new ModelBackend({ users })], secretKey });
 * ```
 */
export function resolveAuthConfig(options: AuthOptions): AuthConfig {
  const secretKey = checkSecretKey(options?.secretKey, "authMiddleware's secretKey");
  if (!Array.isArray(options.backends) || options.backends.length === 0) {
    throw new ImproperlyConfigured(
      "authMiddleware needs at least one backend in `backends`, e.g. [new ModelBackend({ users })].",
    );
  }
  const backends = new Map<string, AuthBackend>();
  for (const backend of options.backends) {
    if (backends.has(backend.name)) {
      throw new ImproperlyConfigured(
        `Two auth backends are named "${backend.name}": names are stored in sessions, so give each a distinct \`name\`.`,
      );
    }
    backends.set(backend.name, backend);
  }
  const secretKeyFallbacks = checkSecretKeyFallbacks(
    options.secretKeyFallbacks,
    "authMiddleware's secretKeyFallbacks",
  );
  const signals = options.signals ?? new AuthSignals();
  if (!(signals instanceof AuthSignals)) {
    throw new ImproperlyConfigured(
      "authMiddleware's `signals` must be an AuthSignals: `signals: new AuthSignals()`, then connect receivers to it.",
    );
  }
  return {
    backends,
    secretKey,
    secretKeyFallbacks,
    signals,
    sessionAuthHash: rememberSessionAuthHashes(secretKey),
  };
}

/**
 * The configuration `authMiddleware` left on `scope`; throws, naming `caller`, when there is none.
 *
 * @example
 * ```ts
 * const { secretKey } = authConfigOf(scope, "login()");
 * ```
 */
export function authConfigOf(scope: ConfiguredScope, caller: string): AuthConfig {
  const config = scope[AUTH_CONFIG];
  if (config === undefined) {
    throw new ImproperlyConfigured(
      `${caller} needs a scope that went through authMiddleware: wrap the application in authMiddlewareStack(app, { backends, secretKey }).`,
    );
  }
  return config;
}
