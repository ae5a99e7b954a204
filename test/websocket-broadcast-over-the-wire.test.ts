import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import { WebSocket } from "ws";
import { WebsocketConsumer, type WebsocketBroadcast } from "../src/consumers/index.js";
import { InMemoryChannelLayer, type ChannelLayer } from "../src/layers/index.js";
import { RedisChannelLayer } from "../src/layers/redis-channel-layer.js";
import { path, protocolTypeRouter, urlRouter } from "../src/routing/index.js";
import { SLOW_READER_CLOSE_CODE } from "../src/server/serve-options.js";
import { closed, connect, startServer } from "../src/server/test-server.js";
import type { ServeOptions } from "../src/server/index.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "./support/services.js";

// websocket.broadcast over real sockets, on both layers: what every member receives must be what
// N deliveries through each consumer's handler would send, whichever way the server took.

const GROUP = "room.broadcast";
type Note = { type: "note.message"; text: string };

/**
 * Takes broadcasts by the default handler. "channel" answers with its channel name, "hold" keeps
 * a handler running until released, "bye" closes the socket.
 */
class Member extends WebsocketConsumer {
  static override groups = [GROUP];
  static held: { started: () => void; release: Promise<void> } | null = null;
  static closing: (() => void) | null = null;

  override async receive({ text }: { text?: string }): Promise<void> {
    if (text === "channel") {
      await this.send({ text: String(this.channelName) });
    } else if (text === "hold" && Member.held !== null) {
      Member.held.started();
      await Member.held.release;
      await this.send({ text: "held" });
    } else if (text === "bye") {
      await this.close(1000);
      Member.closing?.();
    }
  }

  async noteMessage({ text }: Note): Promise<void> {
    await this.send({ text: `note ${text}` });
  }
}

/** Overrides the broadcast handler: it must still be called for every broadcast. */
class Shouter extends Member {
  override async websocketBroadcast({ text }: WebsocketBroadcast): Promise<void> {
    await this.send({ text: text.toUpperCase() });
  }
}

async function setUp(t: TestContext, openLayer: () => ChannelLayer, options: ServeOptions = {}) {
  const layer = openLayer();
  t.after(async () => {
    await layer.flush();
    await layer.close();
  });
  const app = protocolTypeRouter({
    websocket: urlRouter([
      path("member/", Member.asApp({ channelLayer: layer })),
      path("shouter/", Shouter.asApp({ channelLayer: layer })),
    ]),
  });
  const server = await startServer(t, app, options);
  // in the group once connected: a consumer joins its groups before it accepts
  const join = async (route: "member" | "shouter"): Promise<Client> => {
    const client = new Client(await connect(server.wsUrl(`/${route}/`)));
    t.after(() => client.ws.terminate());
    return client;
  };
  const broadcast = (text: string) =>
    layer.groupSend<WebsocketBroadcast>(GROUP, { type: "websocket.broadcast", text });
  return { layer, join, broadcast };
}

/** A client socket and every frame it got, as text (binary frames marked). */
class Client {
  readonly frames: string[] = [];
  #waiting: (() => void) | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer, isBinary) => {
      this.frames.push(isBinary ? `binary ${data.length}` : data.toString());
      this.#waiting?.();
    });
  }

  /** Resolves once `count` frames arrived. */
  async frameCount(count: number): Promise<string[]> {
    while (this.frames.length < count) await new Promise<void>((r) => (this.#waiting = r));
    return this.frames;
  }

  /** The consumer's channel name, asked for before any other frame comes. */
  async channel(): Promise<string> {
    this.ws.send("channel");
    const [channel] = await this.frameCount(1);
    this.frames.length = 0;
    return channel!;
  }
}

const layers: Array<[string, () => ChannelLayer, string | false]> = [
  ["memory", () => new InMemoryChannelLayer({ capacity: 10_000 }), false],
  [
    "redis",
    () =>
      new RedisChannelLayer({
        redis: REDIS_URL,
        prefix: uniquePrefix("broadcast"),
        capacity: 10_000,
      }),
    await serviceSkip("redis"),
  ],
];

for (const [name, openLayer, skip] of layers) {
  describe(`websocket.broadcast over the wire: ${name}`, { skip }, () => {
    // 128 MB of broadcasts: through Redis too, it would only test Redis' throughput
    broadcastTests(openLayer, { slowReader: name === "memory" });
  });
}

function broadcastTests(openLayer: () => ChannelLayer, { slowReader }: { slowReader: boolean }) {
  test("every member gets the text as one text frame, at every length and in UTF-8", async (t) => {
    const { join, broadcast } = await setUp(t, openLayer);
    const members = [await join("member"), await join("member"), await join("member")];
    // 7-bit, 16-bit and 64-bit payload lengths, and characters of 2 to 4 bytes
    const texts = ["hi", "x".repeat(125), "y".repeat(126), "z".repeat(70_000), "é€😀"];
    for (const text of texts) await broadcast(text);
    for (const member of members) {
      assert.deepEqual(await member.frameCount(texts.length), texts);
    }
  });

  test("a consumer that overrides websocketBroadcast gets its handler called", async (t) => {
    const { join, broadcast } = await setUp(t, openLayer);
    const member = await join("member");
    const shouter = await join("shouter");
    await broadcast("hello");
    await broadcast("again");
    assert.deepEqual(await member.frameCount(2), ["hello", "again"]);
    assert.deepEqual(await shouter.frameCount(2), ["HELLO", "AGAIN"]);
  });

  test("a broadcast waits for the handler that is running, as a delivery would", async (t) => {
    const { join, broadcast } = await setUp(t, openLayer);
    const busy = await join("member");
    const idle = await join("member");
    let release!: () => void;
    const started = new Promise<void>((resolve) => {
      Member.held = { started: resolve, release: new Promise((r) => (release = r)) };
    });
    t.after(() => (Member.held = null));
    busy.ws.send("hold");
    await started;
    await broadcast("first");
    // the idle member has it already; the busy one gets it after its handler's frame
    assert.deepEqual(await idle.frameCount(1), ["first"]);
    assert.deepEqual(busy.frames, []);
    release();
    assert.deepEqual(await busy.frameCount(2), ["held", "first"]);
  });

  test("broadcasts and other messages to one consumer keep the order they were sent in", async (t) => {
    const { layer, join, broadcast } = await setUp(t, openLayer);
    const member = await join("member");
    const channel = await member.channel();
    const sent: Array<Promise<void>> = [];
    const expected: string[] = [];
    for (let n = 0; n < 60; n++) {
      // runs of broadcasts between single notes, sent without waiting for one another
      if (n % 7 === 3) {
        sent.push(layer.send(channel, { type: "note.message", text: String(n) }));
        expected.push(`note ${n}`);
      } else {
        sent.push(broadcast(String(n)));
        expected.push(String(n));
      }
    }
    await Promise.all(sent);
    assert.deepEqual(await member.frameCount(expected.length), expected);
  });

  test("a socket its consumer closed gets no broadcast after the close frame", async (t) => {
    const { join, broadcast } = await setUp(t, openLayer);
    const leaving = await join("member");
    const staying = await join("member");
    const ending = closed(leaving.ws);
    const closing = new Promise<void>((resolve) => (Member.closing = resolve));
    t.after(() => (Member.closing = null));
    leaving.ws.send("bye");
    await closing;
    // closed, and still in the group until its disconnect is handled
    await broadcast("late");
    assert.deepEqual(await staying.frameCount(1), ["late"]);
    assert.equal((await ending).code, 1000);
    assert.deepEqual(leaving.frames, []);
  });

  if (!slowReader) return;
  test("a member that does not read is closed at maxBufferedBytes, and the group goes on", async (t) => {
    const { join, broadcast } = await setUp(t, openLayer, { maxBufferedBytes: 256 * 1024 });
    const slow = await join("member");
    slow.ws.pause();
    const chunk = "b".repeat(64 * 1024);
    const broadcasts = 2000;
    for (let sent = 0; sent < broadcasts; sent++) {
      await broadcast(chunk);
      await new Promise(setImmediate);
    }
    let received = 0;
    slow.ws.on("message", (data: Buffer) => (received += data.length));
    const ending = closed(slow.ws);
    slow.ws.resume();
    assert.equal((await ending).code, SLOW_READER_CLOSE_CODE);
    // only the bounded buffer (plus what the kernel held) ever went out
    assert.ok(received < (broadcasts * chunk.length) / 8, `received ${received} bytes`);
    const next = await join("member");
    await broadcast("after");
    assert.deepEqual(await next.frameCount(1), ["after"]);
  });
}

describe("websocket.send marked shared", () => {
  test("the server drops a shared frame sent after the close, as any frame", async (t) => {
    const { wsUrl } = await startServer(t, async (_scope, receive, send) => {
      await receive();
      await send({ type: "websocket.accept" });
      await send({ type: "websocket.send", text: "before", shared: true });
      await send({ type: "websocket.close", code: 4000 });
      await send({ type: "websocket.send", text: "after", shared: true });
      await receive();
    });
    // listening before the 101 arrives: the first frame may come in the same read
    const client = new Client(new WebSocket(wsUrl("/")));
    const ending = closed(client.ws);
    assert.equal((await ending).code, 4000);
    assert.deepEqual(client.frames, ["before"]);
  });
});
