import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApplicationCommunicator, HttpCommunicator } from "../testing/index.js";
import type { HttpScope } from "../types/asgi.js";
import { HttpConsumer } from "./http-consumer.js";

class Echo extends HttpConsumer {
  override async handle(body: Buffer) {
    await this.sendResponse(200, body, [["content-type", "text/plain"]]);
  }
}

const scope: HttpScope = {
  type: "http",
  method: "POST",
  path: "/upload/",
  rawPath: "/upload/",
  rootPath: "",
  queryString: "",
  headers: [],
  client: null,
  server: null,
  scheme: "http",
  httpVersion: "1.1",
};

describe("HttpConsumer", () => {
  test("hands the whole body to handle() and sends the response", async () => {
    const response = await new HttpCommunicator(
      Echo.asApp(),
      "POST",
      "/echo/",
      "hello",
    ).getResponse();
    assert.equal(response.status, 200);
    assert.deepEqual(response.headers, [["content-type", "text/plain"]]);
    assert.equal(response.body.toString(), "hello");
  });

  test("joins a body that arrives in chunks before calling handle()", async () => {
    const communicator = new ApplicationCommunicator(Echo.asApp(), scope);
    const chunk = (text: string, moreBody: boolean) =>
      communicator.sendInput({ type: "http.request", body: Buffer.from(text), moreBody });
    await chunk("ab", true);
    await chunk("cd", true);
    await chunk("e", false);
    assert.equal((await communicator.receiveOutput()).type, "http.response.start");
    assert.deepEqual(await communicator.receiveOutput(), {
      type: "http.response.body",
      body: Buffer.from("abcde"),
      moreBody: false,
    });
    await communicator.wait();
  });

  test("streams a response with sendHeaders and sendBody({ moreBody })", async () => {
    class Streamer extends HttpConsumer {
      override async handle() {
        await this.sendHeaders(200, [["content-type", "text/event-stream"]]);
        await this.sendBody("one\n", { moreBody: true });
        await this.sendBody("two\n", { moreBody: true });
        await this.sendBody("");
      }
    }
    const communicator = new HttpCommunicator(Streamer.asApp(), "GET", "/events/");
    const response = await communicator.getResponse();
    assert.equal(response.body.toString(), "one\ntwo\n");
    await communicator.wait();
  });

  test("answers 413 without calling handle() when the body exceeds maxBodySize", async () => {
    let handled = false;
    class Small extends HttpConsumer {
      static override maxBodySize = 4;
      override handle() {
        handled = true;
        return this.sendResponse(200, "ok");
      }
    }
    const communicator = new ApplicationCommunicator(Small.asApp(), scope);
    await communicator.sendInput({
      type: "http.request",
      body: Buffer.from("abc"),
      moreBody: true,
    });
    await communicator.sendInput({ type: "http.request", body: Buffer.from("de"), moreBody: true });
    const start = await communicator.receiveOutput();
    assert.equal(start.type === "http.response.start" && start.status, 413);
    await communicator.receiveOutput();
    await communicator.wait();
    assert.equal(handled, false);
    const exact = await new HttpCommunicator(Small.asApp(), "POST", "/", "abcd").getResponse();
    assert.equal(exact.status, 200);
    assert.equal(handled, true);
  });

  test("answers 413 at once when content-length announces too large a body", async () => {
    class Small extends HttpConsumer {
      static override maxBodySize = 10;
      override handle() {
        return this.sendResponse(200, "ok");
      }
    }
    const communicator = new ApplicationCommunicator(Small.asApp(), {
      ...scope,
      headers: [["content-length", "1000"]],
    });
    await communicator.sendInput({ type: "http.request", body: Buffer.from("x"), moreBody: true });
    const start = await communicator.receiveOutput();
    assert.equal(start.type === "http.response.start" && start.status, 413);
  });

  test("calls disconnect() when the client leaves before the body is complete", async () => {
    let disconnected = 0;
    class Tracker extends Echo {
      override disconnect() {
        disconnected++;
      }
    }
    const communicator = new ApplicationCommunicator(Tracker.asApp(), scope);
    await communicator.sendInput({ type: "http.request", body: Buffer.from("a"), moreBody: true });
    await communicator.sendInput({ type: "http.disconnect" });
    await communicator.wait();
    assert.equal(disconnected, 1);
    assert.equal(await communicator.receiveNothing(0), true);
  });

  test("lets an exception in handle() propagate, after calling disconnect()", async () => {
    let disconnected = false;
    class Broken extends HttpConsumer {
      override handle(): void {
        throw new RangeError("handler broke");
      }
      override disconnect() {
        disconnected = true;
      }
    }
    const communicator = new HttpCommunicator(Broken.asApp(), "GET", "/");
    await assert.rejects(communicator.getResponse(), RangeError);
    assert.equal(disconnected, true);
  });
});
