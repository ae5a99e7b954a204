import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StopConsumer } from "../errors.js";
import { awaitManyDispatch, type InPlaceTaker } from "./await-many-dispatch.js";
import { gate, settle } from "../../test/support/async.js";

/** A source the test feeds by hand: each read takes the next pushed event, or waits for one. */
function source(): { read: () => Promise<string>; push: (event: string) => void; reads: number } {
  const queued: string[] = [];
  let waiting: ((event: string) => void) | null = null;
  const handle = {
    reads: 0,
    read: () => {
      handle.reads++;
      const event = queued.shift();
      if (event !== undefined) return Promise.resolve(event);
      return new Promise<string>((resolve) => (waiting = resolve));
    },
    push: (event: string) => {
      const resolve = waiting;
      waiting = null;
      if (resolve) resolve(event);
      else queued.push(event);
    },
  };
  return handle;
}

/** A function that throws `thrown`, and one whose promise rejects with `rejected`. */
function failingBothWays(thrown: string, rejected: string): Array<() => Promise<never>> {
  return [
    () => {
      throw new Error(thrown);
    },
    () => Promise.reject(new Error(rejected)),
  ];
}

describe("awaitManyDispatch", () => {
  test("takes an offered event in place only while idle, after what already waits", async () => {
    const a = source();
    const log: string[] = [];
    const held = gate();
    const offered: { to: InPlaceTaker<string> | null } = { to: null };
    const offering = (inPlace: InPlaceTaker<string>) => {
      offered.to = inPlace;
      return new Promise<string>(() => {});
    };
    void awaitManyDispatch(
      [a.read, offering],
      async (event) => {
        log.push(`start ${event}`);
        if (event === "a1") await held.promise;
        log.push(`end ${event}`);
      },
      undefined,
      undefined,
      (event) => event.startsWith("fast"),
    );
    await settle();
    const offer = (event: string) => offered.to!.takeInPlace(event);
    // idle: dispatched within the offer, before it returns
    assert.equal(offer("fast1"), true);
    assert.deepEqual(log, ["start fast1", "end fast1"]);
    // one that inPlace refuses is left to the source
    await settle();
    assert.equal(offer("slow"), false);
    // busy: refused, so the source queues it behind what runs and waits
    a.push("a1");
    await settle();
    assert.equal(offer("fast2"), false);
    a.push("a2");
    held.open();
    assert.equal(offer("fast3"), false);
    await settle();
    assert.deepEqual(log.slice(2), ["start a1", "end a1", "start a2", "end a2"]);
    assert.equal(offer("fast4"), true);
    assert.deepEqual(log.slice(6), ["start fast4", "end fast4"]);
  });

  test("a failing inPlace ends the loop with its error, not the offering source", async () => {
    const offered: { to: InPlaceTaker<string> | null } = { to: null };
    const offering = (inPlace: InPlaceTaker<string>) => {
      offered.to = inPlace;
      return new Promise<string>(() => {});
    };
    const ended = awaitManyDispatch(
      [offering],
      () => {},
      undefined,
      undefined,
      () => {
        throw new Error("inPlace failed");
      },
    );
    await settle();
    assert.equal(offered.to!.takeInPlace("x"), true);
    await assert.rejects(ended, /inPlace failed/);
  });

  test("dispatches plain and async handlers one at a time, in arrival order", async () => {
    const a = source();
    const b = source();
    const log: string[] = [];
    const held = gate();
    void awaitManyDispatch([a.read, b.read], async (event) => {
      log.push(`start ${event}`);
      if (event === "a1") await held.promise;
      log.push(`end ${event}`);
    });
    a.push("a1");
    await settle();
    b.push("b1");
    a.push("a2");
    await settle();
    assert.deepEqual(log, ["start a1"]);
    held.open();
    await settle();
    assert.deepEqual(log, ["start a1", "end a1", "start b1", "end b1", "start a2", "end a2"]);
  });

  test("reads a source again only once its previous event was dispatched", async () => {
    const a = source();
    const held = gate();
    void awaitManyDispatch([a.read], () => held.promise);
    a.push("1");
    await settle();
    assert.equal(a.reads, 1);
    held.open();
    await settle();
    assert.equal(a.reads, 2);
  });

  test("rejects with a handler's error, synchronous or not, and skips what waits behind it", async () => {
    for (const fail of failingBothWays("sync", "async")) {
      const a = source();
      const b = source();
      const seen: string[] = [];
      const done = awaitManyDispatch([a.read, b.read], (event) => {
        seen.push(event);
        return event === "boom" ? fail() : undefined;
      });
      a.push("boom");
      b.push("after");
      await assert.rejects(done, /sync|async/);
      await settle();
      assert.deepEqual(seen, ["boom"]);
    }
  });

  test("settles on a failing source only once the running handler is done, skipping what waits", async () => {
    const a = source();
    const b = source();
    const held = gate();
    const log: string[] = [];
    let fail!: (error: Error) => void;
    const failing = () => new Promise<string>((_, reject) => (fail = reject));
    const done = awaitManyDispatch([a.read, b.read, failing], async (event) => {
      log.push(event === "1" ? "start" : `start ${event}`);
      await held.promise;
      log.push("end");
    });
    a.push("1");
    await settle();
    b.push("waiting");
    await settle();
    fail(new Error("source gone"));
    const settled = done.catch((error: Error) => log.push(error.message));
    await settle();
    assert.deepEqual(log, ["start"]);
    held.open();
    await settled;
    assert.deepEqual(log, ["start", "end", "source gone"]);
  });

  test("ends with a StopConsumer from a dispatch like any error, reading no further", async () => {
    const a = source();
    const stop = new StopConsumer("stop");
    const done = awaitManyDispatch([a.read], () => Promise.reject(stop));
    a.push("1");
    a.push("2");
    await assert.rejects(done, (error) => error === stop);
    assert.equal(a.reads, 1);
  });

  test("goes on with the next event when recover returns, and with what recover's promise waits for", async () => {
    const a = source();
    const log: string[] = [];
    const held = gate();
    void awaitManyDispatch(
      [a.read],
      (event) => {
        log.push(event);
        if (event !== "ok") throw new Error(event);
      },
      async (event, error) => {
        log.push(`recover ${event} from ${(error as Error).message}`);
        if (event === "slow") await held.promise;
      },
    );
    a.push("sync");
    a.push("slow");
    a.push("ok");
    await settle();
    assert.deepEqual(log, ["sync", "recover sync from sync", "slow", "recover slow from slow"]);
    held.open();
    await settle();
    assert.equal(log.at(-1), "ok");
  });

  test("calls dispatch and recover on thisArg", async () => {
    const a = source();
    const target = { seen: [] as string[] };
    const done = awaitManyDispatch(
      [a.read],
      function (this: typeof target, event: string) {
        this.seen.push(event);
        throw new Error("boom");
      },
      function (this: typeof target, event: string) {
        this.seen.push(`recover ${event}`);
        throw new StopConsumer("stop");
      },
      target,
    );
    a.push("1");
    await assert.rejects(done, StopConsumer);
    assert.deepEqual(target.seen, ["1", "recover 1"]);
  });

  test("ends with what recover throws or rejects with, without recovering from it", async () => {
    for (const fail of failingBothWays("sync recovery", "async recovery")) {
      const a = source();
      let recoveries = 0;
      const done = awaitManyDispatch(
        [a.read],
        () => Promise.reject(new Error("handler")),
        () => {
          recoveries++;
          return fail();
        },
      );
      a.push("1");
      a.push("2");
      await assert.rejects(done, /sync recovery|async recovery/);
      assert.equal(recoveries, 1);
      assert.equal(a.reads, 1);
    }
  });

  test("never hands a StopConsumer to recover", async () => {
    const a = source();
    const stop = new StopConsumer("stop");
    let recovered = false;
    const done = awaitManyDispatch(
      [a.read],
      () => {
        throw stop;
      },
      () => {
        recovered = true;
      },
    );
    a.push("1");
    await assert.rejects(done, (error) => error === stop);
    assert.equal(recovered, false);
  });

  test("drops an event read after the loop ended, and reads that source no further", async () => {
    const late = source();
    const dispatched: string[] = [];
    const failing = () => Promise.reject(new Error("source gone"));
    const done = awaitManyDispatch([late.read, failing], (event) => {
      dispatched.push(event);
    });
    await assert.rejects(done, /source gone/);
    late.push("late");
    await settle();
    assert.deepEqual(dispatched, []);
    assert.equal(late.reads, 1);
  });

  test("rejects when a source throws instead of returning a promise", async () => {
    const throwing = (): Promise<string> => {
      throw new Error("no read");
    };
    await assert.rejects(
      awaitManyDispatch([throwing], () => undefined),
      /no read/,
    );
  });
});
