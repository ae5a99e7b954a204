import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CHAT_SUBPROTOCOL } from "./chat-consumer.js";
import type { WebSocket } from "ws";
import { ChatClient, closeSocket, type Inbox } from "./testing/chat-client.js";
import { startChat, type ChatServer } from "./testing/chat-server.js";

const PASSWORD = "correct horse battery";
const MEMBERS = 300;

describe(`presence in a room of ${MEMBERS} members on one process`, () => {
  // Lifted rates: one address opens every socket here, which the demo's limits would slow down.
  let demo: ChatServer;
  const names = Array.from({ length: MEMBERS }, (_, n) => `member${String(n).padStart(3, "0")}`);
  let clients: ChatClient[];
  const members: Array<{ socket: WebSocket; inbox: Inbox }> = [];

  before(async () => {
    demo = await startChat({ bench: true });
    clients = await Promise.all(
      names.map(async (name) => {
        const client = new ChatClient(demo.url);
        await client.signup(name, PASSWORD);
        return client;
      }),
    );
  });
  after(async () => {
    await Promise.all(members.map(({ socket }) => closeSocket(socket)));
    await demo.stop();
  });

  test("everyone joins, and each member's last presence frame lists every name", async () => {
    const closes: number[] = [];
    const complete: Array<Promise<void>> = [];
    for (const client of clients) {
      const { socket, inbox } = await client.websocket("/ws/chat/crowd/", {
        subprotocol: CHAT_SUBPROTOCOL,
      });
      assert.ok(socket, "the handshake is accepted");
      socket.on("close", (code) => closes.push(code));
      // Read as they come, so the frames of the joins after this one are not all held at once.
      complete.push(inbox.presence(names));
      members.push({ socket, inbox });
    }
    await Promise.all(complete);
    assert.deepEqual(closes, [], "no member was closed (1013 is a full channel)");

    // Presence frames follow the layer messages each member handled before this text, in order:
    // one after it would be a member whose last presence frame was not the full list.
    members[0]!.socket.send("everyone is here");
    for (const { inbox } of members) {
      assert.deepEqual(JSON.parse(await inbox.next()), {
        type: "message",
        user: names[0],
        text: "everyone is here",
      });
    }
  });
});
