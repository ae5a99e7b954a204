import type { JsonValue } from "./json-value.js";

/**
 * Where the per-session expiry travels inside the stored data, as in Django: seconds, an ISO
 * date, or 0 for "when the browser closes".
 */
export const EXPIRY_KEY = "_session_expiry";

/** A session's values and its own expiry, as stored. */
export interface SessionData {
  data: Map<string, JsonValue>;
  expiry: number | string | null;
}

/** The stored text of a session: its values, and its expiry under {@link EXPIRY_KEY}. */
export function encodeSessionData(
  data: ReadonlyMap<string, JsonValue>,
  expiry: number | string | null,
): string {
  const object: Record<string, JsonValue> = Object.fromEntries(data);
  if (expiry !== null) object[EXPIRY_KEY] = expiry;
  return JSON.stringify(object);
}

/** Reads what {@link encodeSessionData} wrote; anything unreadable is an empty session. */
export function decodeSessionData(text: string): SessionData {
  const data = new Map<string, JsonValue>();
  let expiry: number | string | null = null;
  for (const [name, value] of Object.entries(decode(text))) {
    if (name !== EXPIRY_KEY) data.set(name, value);
    else if (isUsableExpiry(value)) expiry = value;
  }
  return { data, expiry };
}

// A tampered or foreign row may hold an expiry that names no instant ("soon", 1e308); it is
// ignored, as the rest of a corrupt row is, rather than failing every later save of the session.
function isUsableExpiry(value: JsonValue): value is number | string {
  if (typeof value === "number")
    return !Number.isNaN(new Date(Date.now() + value * 1000).getTime());
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

// Stored data that is not a JSON object (corrupt, or written by something else) reads as an
// empty session, as in Django, rather than failing the request.
function decode(text: string): Record<string, JsonValue> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, JsonValue>;
    }
  } catch {
    // fall through to the empty session
  }
  return {};
}
