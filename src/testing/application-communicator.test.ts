import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CommunicatorTimeout } from "../errors.js";
import type { Application, HttpScope } from "../types/asgi.js";
import { ApplicationCommunicator } from "./application-communicator.js";

const scope: HttpScope = {
  type: "http",
  method: "GET",
  path: "/",
  rawPath: "/",
  rootPath: "",
  queryString: "",
  headers: [],
  client: null,
  server: null,
  scheme: "http",
  httpVersion: "1.1",
};

/** Answers every request event with a body chunk carrying the event's body, until disconnect. */
const echo: Application = async (_scope, receive, send) => {
  for (;;) {
    const event = await receive();
    if (event.type !== "http.request") return;
    await send({ type: "http.response.body", body: event.body, moreBody: true });
  }
};

const request = (text: string) =>
  ({ type: "http.request", body: Buffer.from(text), moreBody: true }) as const;

describe("ApplicationCommunicator", () => {
  test("feeds input events to the application and returns what it sends, in order", async () => {
    const communicator = new ApplicationCommunicator(echo, scope);
    await communicator.sendInput(request("a"));
    await communicator.sendInput(request("b"));
    assert.deepEqual(await communicator.receiveOutput(), {
      type: "http.response.body",
      body: Buffer.from("a"),
      moreBody: true,
    });
    assert.deepEqual(await communicator.receiveOutput(), {
      type: "http.response.body",
      body: Buffer.from("b"),
      moreBody: true,
    });
    await communicator.sendInput({ type: "http.disconnect" });
    await communicator.wait();
  });

  test("rejects receiveOutput with CommunicatorTimeout saying what it waited for", async () => {
    const communicator = new ApplicationCommunicator(echo, scope);
    await assert.rejects(communicator.receiveOutput(5), (error: unknown) => {
      assert.ok(error instanceof CommunicatorTimeout);
      assert.match(error.message, /Waited 5 ms for the application to send an event/);
      return true;
    });
    // The application is still running and still answers after a timeout.
    await communicator.sendInput(request("late"));
    assert.equal((await communicator.receiveOutput()).type, "http.response.body");
    await communicator.sendInput({ type: "http.disconnect" });
    await communicator.wait();
  });

  test("surfaces the application's exception at once instead of waiting for the timeout", async () => {
    const failing: Application = async (_scope, receive) => {
      await receive();
      throw new RangeError("app broke");
    };
    const communicator = new ApplicationCommunicator(failing, scope);
    await communicator.sendInput(request("x"));
    // A timeout far beyond the test's own would fail the test if the error did not surface.
    await assert.rejects(communicator.receiveOutput(600_000), /app broke/);
    await assert.rejects(communicator.sendInput(request("y")), /app broke/);
    await assert.rejects(communicator.wait(), /app broke/);
  });

  test("hands out what was sent before the application failed, then its error", async () => {
    const failing: Application = async (_scope, _receive, send) => {
      await send({ type: "http.response.start", status: 200 });
      throw new RangeError("after start");
    };
    const communicator = new ApplicationCommunicator(failing, scope);
    await assert.rejects(communicator.wait(), /after start/);
    assert.equal((await communicator.receiveOutput()).type, "http.response.start");
    await assert.rejects(communicator.receiveOutput(), /after start/);
  });

  test("rejects receiveOutput at once when the application returned without sending", async () => {
    const silent: Application = async () => {};
    const communicator = new ApplicationCommunicator(silent, scope);
    await communicator.wait();
    await assert.rejects(communicator.receiveOutput(600_000), /returned without sending one/);
  });

  test("receiveNothing is true when nothing is sent and false when output is waiting", async () => {
    const communicator = new ApplicationCommunicator(echo, scope);
    assert.equal(await communicator.receiveNothing(5), true);
    await communicator.sendInput(request("x"));
    await communicator.receiveOutput();
    await communicator.sendInput(request("y"));
    assert.equal(await communicator.receiveNothing(5), false);
    await communicator.sendInput({ type: "http.disconnect" });
    await communicator.wait();
  });

  test("wait() times out with CommunicatorTimeout and makes the application's receive() reject", async () => {
    let unwound = false;
    const stuck: Application = async (_scope, receive) => {
      try {
        await receive();
      } finally {
        unwound = true;
      }
    };
    const communicator = new ApplicationCommunicator(stuck, scope);
    await assert.rejects(communicator.wait(5), /Waited 5 ms for the application to return/);
    await communicator.wait();
    assert.equal(unwound, true);
  });
});
