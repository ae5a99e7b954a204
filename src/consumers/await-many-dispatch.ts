/**
 * Reads every source one event at a time and hands the events to `dispatch` one at a time, in the
 * order they arrived, awaiting each dispatch before the next: Channels' `await_many_dispatch`.
 * A source is read again only once its previous event was dispatched, so nothing is buffered
 * beyond one pending read per source. Runs until a source or a dispatch throws, and rejects with
 * that error once no dispatch is running; reads still pending then are left to the caller to
 * abort.
 */
export function awaitManyDispatch<E>(
  sources: ReadonlyArray<() => Promise<E>>,
  dispatch: (event: E) => unknown,
): Promise<never> {
  return new Promise<never>((_, reject) => {
    let stopped = false;
    let tail: Promise<unknown> = Promise.resolve();
    const stop = (error: unknown) => {
      if (stopped) return;
      stopped = true;
      // A source can fail while a handler runs: settle only once it is done, so that cleanup
      // never runs beside a handler. Dispatches queued behind it are skipped.
      void tail.then(() => reject(error));
    };
    const pump = async (next: () => Promise<E>) => {
      while (!stopped) {
        const event = await next();
        if (stopped) return;
        // Chaining on `tail` is the lock: dispatches from all sources run strictly one by one.
        const turn = tail.then(() => (stopped ? undefined : dispatch(event)));
        tail = turn.catch(() => {});
        await turn;
      }
    };
    for (const source of sources) pump(source).catch(stop);
  });
}
