import { ImproperlyConfigured } from "../errors.js";

/**
 * A session's own expiry, as stored under `_session_expiry` (Django's format): seconds of
 * inactivity, an ISO instant, `0` for when the browser closes, or `null` for the default `maxAge`.
 */
export type SessionExpiry = number | string | null;

/**
 * What `session.setExpiry(value)` stores; refuses a number of seconds that is not finite and an
 * Invalid Date, which name no instant.
 *
 * @example
 * ```ts
 * toSessionExpiry(new Date("2030-01-01")); // "2030-01-01T00:00:00.000Z"
 * ```
 */
export function toSessionExpiry(value: number | Date | null): SessionExpiry {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new ImproperlyConfigured(`setExpiry(${value}): pass a finite number of seconds.`);
  }
  if (value instanceof Date && Number.isNaN(value.getTime())) {
    throw new ImproperlyConfigured("setExpiry(Invalid Date): pass a valid Date.");
  }
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * Seconds from now until a session with `expiry` expires; `maxAge` when it has none of its own.
 *
 * @example
 * ```ts
 * expiryAge(null, 3600); // 3600
 * ```
 */
export function expiryAge(expiry: SessionExpiry, maxAge: number): number {
  if (typeof expiry === "string") return Math.floor((Date.parse(expiry) - Date.now()) / 1000);
  return expiry || maxAge;
}

/**
 * The instant a session with `expiry` expires; `maxAge` seconds from now when it has none of its
 * own.
 *
 * @example
 * ```ts
 * expiryDate("2030-01-01T00:00:00.000Z", 3600); // 2030-01-01
 * ```
 */
export function expiryDate(expiry: SessionExpiry, maxAge: number): Date {
  if (typeof expiry === "string") return new Date(expiry);
  return new Date(Date.now() + (expiry || maxAge) * 1000);
}
