import { createHmac } from "node:crypto";
import { ImproperlyConfigured } from "../errors.js";
import type { User } from "../users/user.js";
import { constantTimeEqual } from "./constant-time-equal.js";
import { checkSecretKey } from "./secret-key.js";

/** Options for {@link createToken}. */
export interface CreateTokenOptions {
  /** The secret `tokenAuthMiddleware` verifies with; at least 32 characters. */
  secret: string;
  /** How long the token is valid. Default 300 (five minutes): tokens cannot be revoked early. */
  maxAgeSeconds?: number;
  /** The current time, for tests. */
  now?: Date;
}

/** What a valid token says. */
export interface TokenClaims {
  userId: number;
  expiresAt: Date;
}

// Domain separation: the same secret may also key session auth hashes.
const PURPOSE = "switchboard.auth.token\0";
const TOKEN = /^([1-9][0-9]{0,15})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/;

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(PURPOSE).update(payload).digest();
}

/**
 * Signs a short-lived bearer token for `user`: `<userId>.<expiry unix seconds>.<base64url
 * HMAC-SHA256>`, URL- and subprotocol-safe. Hand it to a client over an authenticated HTTP
 * request; it connects with it through `tokenAuthMiddleware`.
 *
 * @example
 * ```ts
 * const token = createToken(user, { secret: process.env.TOKEN_SECRET!, maxAgeSeconds: 60 });
 * // client: new WebSocket(url, ["access_token", token])
 * ```
 */
export function createToken(user: Pick<User, "id">, options: CreateTokenOptions): string {
  const secret = checkSecretKey(options.secret, "createToken's secret");
  const maxAge = options.maxAgeSeconds ?? 300;
  if (!Number.isSafeInteger(maxAge) || maxAge <= 0) {
    throw new ImproperlyConfigured(
      `createToken's maxAgeSeconds must be a positive whole number of seconds; got ${maxAge}.`,
    );
  }
  const expiry = Math.floor((options.now ?? new Date()).getTime() / 1000) + maxAge;
  const payload = `${user.id}.${expiry}`;
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

/**
 * Checks a token's signature and expiry; `null` for anything malformed, forged or expired. Does
 * not look the user up: the caller must still check the user exists and is active. `secrets` is
 * the current secret, or a list of them: the current one, then fallbacks from before a rotation
 * (as Django's `SECRET_KEY_FALLBACKS`), any of which may have signed the token.
 *
 * @example
 * ```ts
 * const claims = verifyToken(token, secret); // { userId: 7, expiresAt: ... } or null
 * verifyToken(token, [secret, previousSecret]); // also accepts tokens signed before the rotation
 * ```
 */
export function verifyToken(
  token: string,
  secrets: string | readonly string[],
  now: Date = new Date(),
): TokenClaims | null {
  const match = TOKEN.exec(token);
  if (match === null) return null;
  const [, id = "", expiry = "", signature = ""] = match;
  const given = Buffer.from(signature, "base64url");
  const candidates = typeof secrets === "string" ? [secrets] : secrets;
  const signed = candidates.some((secret) =>
    constantTimeEqual(given, mac(secret, `${id}.${expiry}`)),
  );
  if (!signed) return null;
  const expiresAt = new Date(Number(expiry) * 1000);
  return expiresAt.getTime() > now.getTime() ? { userId: Number(id), expiresAt } : null;
}
