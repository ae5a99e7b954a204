/** Small promise helpers the tests share. */
import { setImmediate as tick } from "node:timers/promises";

/** A deferred the test opens to let an application or handler go on. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets every pending promise chain run, so "nothing happened" is not a matter of time. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await tick();
}
