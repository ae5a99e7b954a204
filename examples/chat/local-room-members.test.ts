import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LocalRoomMembers } from "./local-room-members.js";

const ada = { channel: "specific.p1!1", user: "ada" };
const grace = { channel: "specific.p1!2", user: "grace" };
const newcomer = "specific.p2!1";

describe("LocalRoomMembers", () => {
  test("entering returns the room's members here, in the order they entered", () => {
    const local = new LocalRoomMembers();
    assert.deepEqual(local.enter("lobby", ada), [ada]);
    assert.deepEqual(local.enter("lobby", grace), [ada, grace]);
    assert.deepEqual(local.enter("other", grace), [grace]);
  });

  test("a newcomer from elsewhere is answered once, with every member here", () => {
    const local = new LocalRoomMembers();
    local.enter("lobby", ada);
    local.enter("lobby", grace);
    assert.deepEqual(local.answer("lobby", newcomer), [ada, grace]);
    assert.equal(local.answer("lobby", newcomer), null);
    assert.deepEqual(local.answer("lobby", "specific.p2!2"), [ada, grace]);
  });

  test("a newcomer on this process, or in a room with nobody here, gets no answer", () => {
    const local = new LocalRoomMembers();
    local.enter("lobby", ada);
    assert.equal(local.answer("lobby", ada.channel), null);
    assert.equal(local.answer("other", newcomer), null);
  });

  test("the answer leaves out who left, and the room goes with its last member", () => {
    const local = new LocalRoomMembers();
    local.enter("lobby", ada);
    local.enter("lobby", grace);
    local.leave("lobby", ada.channel);
    assert.deepEqual(local.answer("lobby", newcomer), [grace]);
    local.leave("lobby", grace.channel);
    assert.equal(local.answer("lobby", "specific.p2!2"), null);
    assert.deepEqual(local.enter("lobby", ada), [ada]);
    assert.deepEqual(local.answer("lobby", newcomer), [ada], "answers died with the room");
  });

  test("a newcomer that left is forgotten: a late announcement of it is answered again", () => {
    const local = new LocalRoomMembers();
    local.enter("lobby", ada);
    local.answer("lobby", newcomer);
    local.forgetAnswered("lobby", newcomer);
    assert.deepEqual(local.answer("lobby", newcomer), [ada]);
  });
});
