import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import type { Application, HttpScope, ReceiveEvent, WebsocketScope } from "../types/asgi.js";
import { ApplicationCommunicator } from "./application-communicator.js";
import { HttpCommunicator } from "./http-communicator.js";
import type { HeadersInit } from "./request-target.js";
import { WebsocketCommunicator } from "./websocket-communicator.js";

/** Accepts, then records every event until the client disconnects. */
function recorder(events: ReceiveEvent[] = []): Application<WebsocketScope> {
  return async (_scope, receive, send) => {
    await receive();
    await send({ type: "websocket.accept" });
    for (;;) {
      const event = await receive();
      events.push(event);
      if (event.type !== "websocket.receive") return;
    }
  };
}

const answering: Application<HttpScope> = async (_scope, receive, send) => {
  await receive();
  await send({ type: "http.response.start", status: 204 });
  await send({ type: "http.response.body" });
};

/** A matcher for `assert.throws`: an `ImproperlyConfigured` whose message matches `pattern`. */
const improper = (pattern: RegExp) => (error: unknown) =>
  error instanceof ImproperlyConfigured && pattern.test(error.message);

const wrong = <T>(value: unknown) => value as T;

describe("communicator arguments", () => {
  test("WebsocketCommunicator > names the path when it is not a string", () => {
    for (const path of [undefined, 5, null, ["/"]]) {
      assert.throws(
        () => new WebsocketCommunicator(recorder(), wrong<string>(path)),
        improper(/^Communicator path must be a string/),
      );
    }
  });

  test("WebsocketCommunicator > names the application when it is not a function", () => {
    assert.throws(
      () => new WebsocketCommunicator(wrong<Application<WebsocketScope>>({}), "/"),
      improper(/^application must be an application function/),
    );
  });

  test("WebsocketCommunicator > says headers must be [name, value] pairs, naming the bad entry", () => {
    const bad: unknown[] = [
      "origin: https://example.com",
      5,
      null,
      [["origin"]],
      ["origin", "https://example.com"],
      [["origin", 5]],
    ];
    for (const headers of bad) {
      assert.throws(
        () => new WebsocketCommunicator(recorder(), "/", { headers: wrong<HeadersInit>(headers) }),
        improper(/^headers must be an iterable of \[name, value\] pairs/),
        `headers ${JSON.stringify(headers)}`,
      );
    }
    assert.throws(
      () => new WebsocketCommunicator(recorder(), "/", { headers: wrong({ origin: 5 }) }),
      improper(/^headers\["origin"\] must be a string, got number 5/),
    );
  });

  test("WebsocketCommunicator > takes headers from any iterable of pairs, a Map included", () => {
    const communicator = new WebsocketCommunicator(recorder(), "/", {
      headers: new Map([["Origin", "https://example.com"]]),
    });
    assert.deepEqual(communicator.scope.headers, [["origin", "https://example.com"]]);
  });

  test("WebsocketCommunicator > names options and subprotocols of the wrong shape", () => {
    assert.throws(
      () => new WebsocketCommunicator(recorder(), "/", wrong("x")),
      improper(/^options must be an object/),
    );
    assert.throws(
      () => new WebsocketCommunicator(recorder(), "/", { subprotocols: wrong("chat") }),
      improper(/^options\.subprotocols must be an array of strings/),
    );
  });

  test('WebsocketCommunicator > sendTo({ text: "" }) sends an empty text frame', async () => {
    const events: ReceiveEvent[] = [];
    const communicator = new WebsocketCommunicator(recorder(events), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "" });
    await communicator.sendTo({ bytes: new Uint8Array() });
    await communicator.disconnect();
    assert.deepEqual(events.slice(0, 2), [
      { type: "websocket.receive", text: "" },
      { type: "websocket.receive", bytes: new Uint8Array() },
    ]);
  });

  test("WebsocketCommunicator > sendTo() without a payload says what is missing", async () => {
    const events: ReceiveEvent[] = [];
    const communicator = new WebsocketCommunicator(recorder(events), "/");
    await communicator.connect();
    const cases: Array<[unknown, RegExp]> = [
      [{}, /neither text nor bytes: send \{ text: "" \}/],
      [undefined, /^sendTo\(\) needs a frame/],
      ["hi", /^sendTo\(\) needs a frame/],
      [{ text: 1 }, /^sendTo\(\) frame\.text must be a string/],
      [{ bytes: "x" }, /^sendTo\(\) frame\.bytes must be a Uint8Array/],
      [{ text: "a", bytes: new Uint8Array() }, /both text and bytes/],
    ];
    for (const [frame, pattern] of cases) {
      await assert.rejects(communicator.sendTo(wrong(frame)), improper(pattern));
    }
    await assert.rejects(communicator.sendJsonTo(undefined), improper(/^sendJsonTo\(\) data/));
    await communicator.disconnect();
    assert.deepEqual(events, [{ type: "websocket.disconnect", code: 1000 }]);
  });

  test("WebsocketCommunicator > names a timeout or close code that is not a number", async () => {
    const communicator = new WebsocketCommunicator(recorder(), "/");
    await assert.rejects(communicator.connect(wrong("5")), improper(/^timeoutMs must be/));
    await assert.rejects(communicator.receiveFrom(-1), improper(/^timeoutMs must be/));
    await assert.rejects(communicator.receiveNothing(NaN), improper(/^timeoutMs must be/));
    await assert.rejects(communicator.disconnect(wrong("1000")), improper(/code must be/));
    await communicator.disconnect();
  });

  test("HttpCommunicator > names a method, path, body or extras of the wrong type", () => {
    assert.throws(
      () => new HttpCommunicator(answering, wrong(5), "/"),
      improper(/^method must be a string/),
    );
    assert.throws(
      () => new HttpCommunicator(answering, "GET", wrong(undefined)),
      improper(/^Communicator path must be a string/),
    );
    assert.throws(
      () => new HttpCommunicator(answering, "POST", "/", wrong(5)),
      improper(/^body must be a string or a Uint8Array/),
    );
    assert.throws(
      () => new HttpCommunicator(answering, "GET", "/", "", wrong([["origin"]])),
      improper(/^headers must be an iterable/),
    );
    assert.throws(
      () => new HttpCommunicator(answering, "GET", "/", "", {}, wrong(7)),
      improper(/^extras must be an object/),
    );
  });

  test("ApplicationCommunicator > names a scope without a string type", () => {
    assert.throws(
      () => new ApplicationCommunicator(answering, wrong({ path: "/" })),
      improper(/^scope must be an object with a string "type"/),
    );
  });
});

describe("communicator request targets", () => {
  const targets = [
    "user:pass@example.com:8080/path?x=1",
    "http://user:pass@example.com:8080/path?x=1",
    "ws://user:pass@example.com:8080/path?x=1#frag",
    "example.com:8080/path?x=1",
    "user@example.com/path?x=1",
  ];
  for (const target of targets) {
    test(`takes the path and query of ${target}`, () => {
      const { scope } = new WebsocketCommunicator(recorder(), target);
      assert.equal(scope.path, "/path");
      assert.equal(scope.queryString, "x=1");
    });
  }

  test("takes / as the path of an authority with nothing after it", () => {
    const { scope } = new HttpCommunicator(answering, "GET", "user:pass@example.com:8080");
    assert.equal(scope.path, "/");
    assert.equal(scope.queryString, "");
  });

  test("still refuses a relative path, and names a URL that does not parse", () => {
    assert.throws(() => new WebsocketCommunicator(recorder(), "chat/"), improper(/must start/));
    assert.throws(
      () => new WebsocketCommunicator(recorder(), "http://exa mple.com/"),
      improper(/is not a valid one/),
    );
  });
});
