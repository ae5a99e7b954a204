import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { EventQueue } from "./event-queue.js";

describe("EventQueue", () => {
  test("hands events to a waiting reader in arrival order", async () => {
    const queue = new EventQueue<number>(8, new PassThrough());
    const first = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    assert.deepEqual([await first, await queue.next(), await queue.next()], [1, 2, 3]);
  });

  test("pauses its source at highWater unread events and resumes it once they are read", async () => {
    const source = new PassThrough();
    source.resume();
    const queue = new EventQueue<number>(3, source, 0);
    queue.push(1);
    assert.equal(source.isPaused(), false);
    queue.push(2);
    assert.equal(source.isPaused(), true);
    queue.push(3); // what was already read from the socket still queues
    assert.deepEqual([await queue.next(), await queue.next(), await queue.next()], [0, 1, 2]);
    assert.equal(source.isPaused(), true);
    assert.equal(await queue.next(), 3);
    assert.equal(source.isPaused(), false);
  });

  test("delivers the final event after the queued ones, then to every later read", async () => {
    const queue = new EventQueue<string>(8, new PassThrough());
    queue.push("a");
    queue.finish("end");
    queue.push("ignored");
    assert.deepEqual(
      [await queue.next(), await queue.next(), await queue.next()],
      ["a", "end", "end"],
    );
  });

  test("rejects a read made while another is still waiting", async () => {
    const queue = new EventQueue<string>(8, new PassThrough());
    const waiting = queue.next();
    await assert.rejects(queue.next(), { code: "PROTOCOL_ERROR" });
    queue.finish("end");
    assert.equal(await waiting, "end");
  });
});
