/**
 * Settles as `work` does, or rejects with `onTimeout()` once `ms` milliseconds have passed, so a
 * caller waiting on a slow or unreachable service gets an answer in bounded time. `work` is not
 * cancelled: its late result is dropped.
 *
 * @example
 * ```ts
 * const reply = await withDeadline(client.get(key), 1000, () => new BackendUnavailable("slow"));
 * ```
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  // a late failure of abandoned work must not surface as an unhandled rejection
  work.catch(() => {});
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
