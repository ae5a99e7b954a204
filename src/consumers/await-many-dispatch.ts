/**
 * Reads every source in a loop of its own and dispatches their events one at a time, in the order
 * they arrived: Channels' `await_many_dispatch`. A source is read again only once its previous
 * event was dispatched, so nothing is buffered beyond one pending read per source.
 *
 * Runs until a source or a dispatch throws, and only ever settles by rejecting with that first
 * error, once no dispatch is running: a source can fail while a handler runs, and the caller's
 * cleanup must not run beside it. Events still waiting are never dispatched; reads still pending
 * are the caller's to abandon (a consumer aborts the read of its layer channel).
 */
export async function awaitManyDispatch<E>(
  sources: ReadonlyArray<() => Promise<E>>,
  dispatch: (event: E) => unknown,
): Promise<void> {
  let stopped = false;
  // The handler queue: each event's dispatch runs once the one before it settled. After a failed
  // dispatch it stays rejected, which skips every dispatch queued behind it.
  let queue: Promise<unknown> = Promise.resolve();

  async function readLoop(read: () => Promise<E>): Promise<void> {
    while (!stopped) {
      const event = await read();
      queue = queue.then(() => (stopped ? undefined : dispatch(event)));
      await queue;
    }
  }

  try {
    await Promise.race(sources.map(readLoop));
  } finally {
    stopped = true;
    await queue.catch(() => {});
  }
}
