/**
 * Strings that arrive again and again, such as the path of every chat WebSocket, kept
 * once per process instead of once per connection: an idle WebSocket holds its scope for hours,
 * and every copy of a 100-byte user agent is its own string. Emptied when full, so values that
 * never repeat cannot grow it, and the ones that do come back after.
 */
const shared = new Map<string, string>();
const MAX_SHARED = 1024;

/** One instance of `value` for the whole process; equal to `value` either way. */
export function sharedString(value: string): string {
  const known = shared.get(value);
  if (known !== undefined) return known;
  if (shared.size >= MAX_SHARED) shared.clear();
  shared.set(value, value);
  return value;
}
