/** How the client waits between reconnection attempts: exponential, capped, jittered. */
export interface ReconnectPolicy {
  /** The first wait. Default 500. */
  minDelayMs?: number;
  /** The longest wait. Default 30 000. */
  maxDelayMs?: number;
  /** Each failed attempt multiplies the wait by this. Default 2. */
  factor?: number;
  /**
   * The fraction of each wait that is random (0–1), so that clients dropped together by a
   * restart do not all come back in the same instant. Default 0.5: a wait of 4 s becomes 2–4 s.
   */
  jitter?: number;
}

/**
 * The wait before reconnection attempt `attempt` (0 for the first after a drop): `minDelayMs ×
 * factor^attempt`, capped at `maxDelayMs`, less a random share of up to `jitter` of it.
 * `random` is `Math.random` unless a test pins it.
 */
export function reconnectDelay(
  policy: ReconnectPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const { minDelayMs = 500, maxDelayMs = 30_000, factor = 2, jitter = 0.5 } = policy;
  const delay = Math.min(maxDelayMs, minDelayMs * factor ** attempt);
  return Math.round(delay * (1 - jitter * random()));
}
