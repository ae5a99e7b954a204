import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ChannelFull,
  InMemoryChannelLayer,
  InMemorySessionStore,
  path,
  Session,
  urlRouter,
  User,
} from "switchboard";
import { WebsocketCommunicator } from "switchboard/testing";
import { CHAT_ROUTE, CHAT_SUBPROTOCOL, ChatConsumer, provideRoomMembers } from "./chat-consumer.js";
import { LocalRoomMembers } from "./local-room-members.js";
import { roomGroup } from "./room-store.js";

const CAPACITY = 5;

const ada = new User({
  id: 1,
  username: "ada",
  passwordHash: "!",
  isActive: true,
  isStaff: false,
  isSuperuser: false,
  lastLogin: null,
  dateJoined: new Date(),
});

describe("ChatConsumer presence", () => {
  test("a newcomer whose channel is full misses a roster; the member answering stays", async (t) => {
    const layer = new InMemoryChannelLayer({ capacity: CAPACITY });
    const chat = ChatConsumer.asApp({ channelLayer: layer });
    const app = urlRouter([path(CHAT_ROUTE, provideRoomMembers(new LocalRoomMembers())(chat))]);
    // signed in as ada, as the auth stack would leave the scope
    const member = new WebsocketCommunicator(app, "/ws/chat/lobby/", {
      subprotocols: [CHAT_SUBPROTOCOL],
      cookies: {},
      session: new Session(new InMemorySessionStore()),
      user: ada,
    });
    t.after(() => member.disconnect());
    assert.equal((await member.connect()).connected, true);
    assert.deepEqual(await member.receiveJsonFrom(), { type: "presence", users: ["ada"] });

    // A newcomer on another process, too busy to read: its channel is full when it announces.
    const newcomer = await layer.newChannel();
    for (let n = 0; n < CAPACITY; n++) await layer.send(newcomer, { type: "filler" });
    await assert.rejects(layer.send(newcomer, { type: "filler" }), ChannelFull);
    await layer.groupSend(roomGroup("lobby"), {
      type: "presence.join",
      channel: newcomer,
      user: "bob",
    });

    assert.deepEqual(await member.receiveJsonFrom(), { type: "presence", users: ["ada", "bob"] });
    await member.sendTo({ text: "still here" });
    assert.equal(
      await member.receiveFrom(),
      JSON.stringify({ type: "message", user: "ada", text: "still here" }),
    );
  });
});
