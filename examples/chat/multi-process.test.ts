import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { REDIS_URL, serviceSkip, uniquePrefix } from "../../test/support/services.js";
import { CHAT_SUBPROTOCOL } from "./chat-consumer.js";
import { ChatClient, closeSocket } from "./testing/chat-client.js";
import { startDemo, type DemoProcess } from "./testing/demo-process.js";

const PASSWORD = "correct horse battery";

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
    if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
  }
}

describe("two demo processes sharing Redis", { skip: await serviceSkip("redis") }, () => {
  const prefix = uniquePrefix("chat-demo");
  const dir = mkdtempSync(join(tmpdir(), "sb-chat-shared-"));
  const redis = new Redis(REDIS_URL);
  let first: DemoProcess;
  let second: DemoProcess;

  before(async () => {
    // One database (users, rooms, the secret key file beside it) and one Redis (sessions, layer).
    // SWITCHBOARD_BENCH lifts the handshake rate and the sockets per user: one address opens a
    // room's worth of sockets here.
    const env = {
      SWITCHBOARD_BENCH: "1",
      REDIS_URL,
      SWITCHBOARD_REDIS_PREFIX: prefix,
      SWITCHBOARD_DB: join(dir, "chat.sqlite3"),
      SWITCHBOARD_SECRET_KEY: undefined,
    };
    [first, second] = await Promise.all([startDemo({ env }), startDemo({ env })]);
  });
  after(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await deleteKeys(redis, prefix);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a session made on one process is valid on the other", async () => {
    const ada = new ChatClient(first.url);
    await ada.signup("ada", PASSWORD);
    const elsewhere = new ChatClient(second.url);
    elsewhere.cookies.set("sessionid", ada.cookies.get("sessionid")!);
    assert.equal(await (await elsewhere.request("/whoami/")).text(), "ada");
  });

  test("a room's messages and presence cross processes", async () => {
    const ada = new ChatClient(first.url);
    await ada.post("/login/", { username: "ada", password: PASSWORD });
    const grace = new ChatClient(second.url);
    await grace.signup("grace", PASSWORD);

    const raw = [
      await ada.websocket("/ws/chat/shared/"),
      await grace.websocket("/ws/chat/shared/"),
    ];
    const json = [
      await ada.websocket("/ws/chat/shared/", { subprotocol: CHAT_SUBPROTOCOL }),
      await grace.websocket("/ws/chat/shared/", { subprotocol: CHAT_SUBPROTOCOL }),
    ];
    for (const { inbox } of json) await inbox!.presence(["ada", "grace"]);

    raw[1]!.socket!.send("from the second process");
    for (const { inbox } of raw) assert.equal(await inbox!.next(), "from the second process");
    for (const { inbox } of json) {
      assert.deepEqual(await inbox!.nextOfType("message"), {
        type: "message",
        user: "grace",
        text: "from the second process",
      });
    }
    await Promise.all([...raw, ...json].map(({ socket }) => closeSocket(socket!)));
  });

  test("members on both processes see each other, whichever member of a process leaves", async () => {
    const names = ["alan", "barbara", "claude", "dennis", "edsger", "frances"];
    // Alternating: each newcomer finds members on its own process and on the other.
    const processes = names.map((_, n) => (n % 2 === 0 ? first : second));
    const clients = await Promise.all(
      names.map(async (name, n) => {
        const client = new ChatClient(processes[n]!.url);
        await client.signup(name, PASSWORD);
        return client;
      }),
    );
    const join = async (n: number) => {
      const { socket, inbox } = await clients[n]!.websocket("/ws/chat/both/", {
        subprotocol: CHAT_SUBPROTOCOL,
      });
      assert.ok(socket, `${names[n]} joins`);
      return { socket, inbox };
    };
    const members = [await join(0), await join(1), await join(2), await join(3)];
    for (const { inbox } of members) await inbox.presence(names.slice(0, 4));

    // alan entered the first process first; its other member answers newcomers from now on.
    await closeSocket(members[0]!.socket);
    for (const { inbox } of members.slice(1)) await inbox.presence(names.slice(1, 4));
    members.push(await join(5), await join(4));
    for (const { inbox } of members.slice(1)) await inbox.presence(names.slice(1));
    await Promise.all(members.map(({ socket }) => closeSocket(socket)));
  });

  test("a newcomer on one process joins a room of 120 members on the other", async () => {
    // More members than a channel holds: one answer each would close some of them with 1013.
    const users = ["crowd0", "crowd1", "crowd2", "crowd3"];
    const crowd = [];
    for (const name of users) {
      const client = new ChatClient(first.url);
      await client.signup(name, PASSWORD);
      for (let n = 0; n < 30; n++) {
        const { socket, inbox } = await client.websocket("/ws/chat/crowded/");
        assert.ok(socket, `${name} joins`);
        crowd.push({ socket, inbox });
      }
    }
    const latecomer = new ChatClient(second.url);
    await latecomer.signup("latecomer", PASSWORD);
    const { socket, inbox } = await latecomer.websocket("/ws/chat/crowded/", {
      subprotocol: CHAT_SUBPROTOCOL,
    });
    assert.ok(socket);
    await inbox.presence([...users, "latecomer"]);

    // Every member of the crowd is still there to get the latecomer's text.
    socket.send("hello, crowd");
    for (const member of crowd) assert.equal(await member.inbox.next(), "hello, crowd");
    await Promise.all([socket, ...crowd.map((member) => member.socket)].map(closeSocket));
  });
});
