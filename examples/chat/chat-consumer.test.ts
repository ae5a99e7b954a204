import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import {
  ChannelFull,
  InMemoryChannelLayer,
  InMemorySessionStore,
  path,
  Session,
  urlRouter,
  User,
  type Application,
  type AuthScope,
  type WebsocketScope,
} from "switchboard";
import { WebsocketCommunicator } from "switchboard/testing";
import { CHAT_ROUTE, CHAT_SUBPROTOCOL, ChatConsumer, provideRoomMembers } from "./chat-consumer.js";
import { LocalRoomMembers } from "./local-room-members.js";
import { roomGroup } from "./room-store.js";

const CAPACITY = 5;

/** The chat consumer of one process, signed in as `username`, as the auth stack would serve it. */
function chatApp(layer: InMemoryChannelLayer, members: LocalRoomMembers, username: string) {
  const user = new User({
    id: 1,
    username,
    passwordHash: "!",
    isActive: true,
    isStaff: false,
    isSuperuser: false,
    lastLogin: null,
    dateJoined: new Date(),
  });
  const session = new Session(new InMemorySessionStore());
  const signedIn =
    (inner: Application<WebsocketScope & AuthScope>): Application<WebsocketScope> =>
    (scope, receive, send) =>
      inner({ ...scope, cookies: {}, session, user }, receive, send);
  return signedIn(
    urlRouter([
      path(CHAT_ROUTE, provideRoomMembers(members)(ChatConsumer.asApp({ channelLayer: layer }))),
    ]),
  );
}

describe("ChatConsumer presence", () => {
  const open: WebsocketCommunicator[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((communicator) => communicator.disconnect()));
  });

  test("a newcomer whose channel is full misses a roster; the member answering stays", async () => {
    const layer = new InMemoryChannelLayer({ capacity: CAPACITY });
    const member = new WebsocketCommunicator(
      chatApp(layer, new LocalRoomMembers(), "ada"),
      "/ws/chat/lobby/",
      { subprotocols: [CHAT_SUBPROTOCOL] },
    );
    open.push(member);
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
