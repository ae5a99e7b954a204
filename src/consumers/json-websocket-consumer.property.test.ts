// Replay a failure: FC_SEED=<seed> FC_PATH=<path> node scripts/test.js src/consumers/json-websocket-consumer.property.test.ts
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { fuzzRuns } from "../../test/support/fuzz.js";
import { WebsocketCommunicator } from "../testing/index.js";
import { JsonWebsocketConsumer } from "./json-websocket-consumer.js";

// Short, so that shrinking a failure whose reply never comes waits less per step.
const REPLY_WITHIN_MS = 500;

/** What a consumer saw: each decoded frame in order, and the close codes of its disconnects. */
interface Seen {
  received: unknown[];
  disconnects: number[];
}

/** A JSON consumer that keeps what it decodes and answers each frame with how many it has. */
function recorder(seen: Seen, maxJsonDepth = JsonWebsocketConsumer.maxJsonDepth) {
  return class Recorder extends JsonWebsocketConsumer {
    static override maxJsonDepth = maxJsonDepth;
    override async receiveJson(content: unknown) {
      seen.received.push(content);
      await this.sendJson(seen.received.length);
    }
    override disconnect(code: number) {
      seen.disconnects.push(code);
    }
  }.asApp();
}

/** How deep `value` nests arrays and objects, counted without recursion. */
function depth(value: unknown): number {
  let levels = 0;
  for (let inner = value; typeof inner === "object" && inner !== null; levels++) {
    inner = Object.values(inner)[0];
  }
  return levels;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// Valid JSON, JSON with one edit (what a buggy or hostile client sends), and any text at all.
const validJson = fc.json();
const editedJson = fc
  .tuple(
    fc.json(),
    fc.nat(),
    fc.constantFrom("", "{", "}", "[", "]", ",", ":", '"', "\\", "\u0000"),
  )
  .map(([text, at, insert]) => {
    const index = at % (text.length + 1);
    return text.slice(0, index) + insert + text.slice(index + (insert === "" ? 1 : 0));
  });
const anyText = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', "-0"),
  fc.constantFrom("1e400", '"\\ud800"', "[1,]", "", " ", "\ufeff{}", "NaN", "undefined"),
);
const frameText = fc.oneof(validJson, editedJson, anyText);

describe("JsonWebsocketConsumer (property)", () => {
  test("decodes any valid JSON text frame to its value, and closes any other with 1007", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frameText, { minLength: 1, maxLength: 4 }), async (frames) => {
        const seen: Seen = { received: [], disconnects: [] };
        const communicator = new WebsocketCommunicator(recorder(seen), "/json/");
        await communicator.connect();
        let closedWith: number | undefined;
        for (const text of frames) {
          await communicator.sendTo({ text });
          if (!parses(text)) {
            assert.deepEqual(await communicator.receiveOutput(REPLY_WITHIN_MS), {
              type: "websocket.close",
              code: 1007,
            });
            closedWith = 1007;
            break;
          }
          assert.equal(await communicator.receiveJsonFrom(REPLY_WITHIN_MS), seen.received.length);
          assert.deepEqual(seen.received.at(-1), JSON.parse(text));
        }
        // the consumer waits for the client to go, then returns without an error
        await communicator.disconnect(closedWith ?? 1000);
        assert.deepEqual(seen.disconnects, [closedWith ?? 1000]);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      }),
      fuzzRuns(300),
    );
  });

  test("decodes nesting up to maxJsonDepth and closes deeper frames with 1007 naming the limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(["[", "]"], ['{"a":', "}"]),
        async (levels, limit, [open, close]) => {
          const seen: Seen = { received: [], disconnects: [] };
          const communicator = new WebsocketCommunicator(recorder(seen, limit), "/json/");
          await communicator.connect();
          await communicator.sendTo({ text: open.repeat(levels) + "1" + close.repeat(levels) });
          if (levels <= limit) {
            assert.equal(await communicator.receiveJsonFrom(REPLY_WITHIN_MS), 1);
            await communicator.disconnect();
            return;
          }
          assert.deepEqual(await communicator.receiveOutput(REPLY_WITHIN_MS), {
            type: "websocket.close",
            code: 1007,
            reason: `JSON nested deeper than ${limit} levels`,
          });
          await communicator.disconnect(1007);
          assert.deepEqual(seen, { received: [], disconnects: [1007] });
        },
      ),
      fuzzRuns(100),
    );
  });

  test("with maxJsonDepth Infinity, decodes arbitrarily deep nesting without exhausting the stack", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50_000 }),
        fc.constantFrom(["[", "]"], ['{"a":', "}"]),
        async (levels, [open, close]) => {
          const seen: Seen = { received: [], disconnects: [] };
          const communicator = new WebsocketCommunicator(recorder(seen, Infinity), "/json/");
          await communicator.connect();
          await communicator.sendTo({ text: open.repeat(levels) + "1" + close.repeat(levels) });
          assert.equal(await communicator.receiveJsonFrom(REPLY_WITHIN_MS), 1);
          assert.equal(depth(seen.received[0]), levels);
          await communicator.disconnect();
        },
      ),
      fuzzRuns(10),
    );
  });

  test("closes any binary frame with 1007 and hands the consumer nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (bytes) => {
        const seen: Seen = { received: [], disconnects: [] };
        const communicator = new WebsocketCommunicator(recorder(seen), "/json/");
        await communicator.connect();
        await communicator.sendTo({ bytes });
        assert.deepEqual(await communicator.receiveOutput(REPLY_WITHIN_MS), {
          type: "websocket.close",
          code: 1007,
        });
        await communicator.disconnect(1007);
        assert.deepEqual(seen, { received: [], disconnects: [1007] });
      }),
      fuzzRuns(100),
    );
  });
});
