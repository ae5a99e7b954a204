import assert from "node:assert/strict";
import { test } from "node:test";
import { reconnectDelay } from "../../src/client/index.js";

const policy = { minDelayMs: 100, maxDelayMs: 1000, factor: 3, jitter: 0.5 };

test("reconnectDelay grows by factor from minDelayMs and stops at maxDelayMs", () => {
  const noJitter = () => 0;
  const delays = [0, 1, 2, 3, 10].map((attempt) => reconnectDelay(policy, attempt, noJitter));
  assert.deepEqual(delays, [100, 300, 900, 1000, 1000]);
});

test("reconnectDelay takes up to jitter of each wait off at random", () => {
  assert.equal(
    reconnectDelay(policy, 1, () => 1),
    150,
  );
  assert.equal(
    reconnectDelay(policy, 1, () => 0.5),
    225,
  );
  assert.equal(
    reconnectDelay({ ...policy, jitter: 0 }, 1, () => 1),
    300,
  );
});

test("reconnectDelay's defaults: 500 ms doubling to 30 s, half of it random", () => {
  assert.deepEqual(
    [0, 1, 6, 7].map((attempt) => reconnectDelay({}, attempt, () => 0)),
    [500, 1000, 30_000, 30_000],
  );
  assert.equal(
    reconnectDelay({}, 0, () => 1),
    250,
  );
});
