import assert from "node:assert/strict";
import { once } from "node:events";
import { request } from "node:http";
import type { IncomingMessage } from "node:http";
import { describe, test } from "node:test";
import { RouteNotFound } from "../errors.js";
import type { Application, HttpScope, ReceiveEvent } from "../types/asgi.js";
import { startServer } from "./test-server.js";
import { gate } from "../../test/support/async.js";

const text = (status: number, body: string): Application =>
  async function respond(_scope, _receive, send) {
    await send({ type: "http.response.start", status, headers: [["content-type", "text/plain"]] });
    await send({ type: "http.response.body", body: Buffer.from(body) });
  };

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe("serve > HTTP", () => {
  test("builds the scope: decoded path, raw path, query string, lower-cased headers, addresses", async (t) => {
    let seen: HttpScope | undefined;
    const { handle } = await startServer(t, async (scope, receive, send) => {
      seen = scope as HttpScope;
      await text(200, "ok")(scope, receive, send);
    });
    const res = await fetch(`${handle.url}/caf%C3%A9/a%20b?x=1&y=%202`, {
      method: "POST",
      headers: { "X-Custom": "Yes" },
      body: "",
    });
    assert.equal(await res.text(), "ok");
    assert.ok(seen);
    assert.equal(seen.type, "http");
    assert.equal(seen.method, "POST");
    assert.equal(seen.scheme, "http");
    assert.equal(seen.httpVersion, "1.1");
    assert.equal(seen.path, "/café/a b");
    assert.equal(seen.rawPath, "/caf%C3%A9/a%20b");
    assert.equal(seen.rootPath, "");
    assert.equal(seen.queryString, "x=1&y=%202");
    assert.ok(seen.headers.some(([name, value]) => name === "x-custom" && value === "Yes"));
    assert.equal(seen.client?.[0], "127.0.0.1");
    assert.deepEqual(seen.server, ["127.0.0.1", handle.port]);
  });

  test("streams the request body as http.request events ending with moreBody false", async (t) => {
    const events: Array<{ size: number; moreBody: boolean }> = [];
    const { handle } = await startServer(t, async (scope, receive, send) => {
      for (;;) {
        const event = await receive();
        assert.equal(event.type, "http.request");
        events.push({ size: event.body.byteLength, moreBody: event.moreBody });
        if (!event.moreBody) break;
      }
      const total = events.reduce((sum, event) => sum + event.size, 0);
      await text(200, String(total))(scope, receive, send);
    });
    const req = request(`${handle.url}/upload`, { method: "PUT" });
    const chunk = Buffer.alloc(64 * 1024, 1);
    for (let i = 0; i < 16; i++) req.write(chunk);
    req.end();
    const [res] = (await once(req, "response")) as [IncomingMessage];
    assert.equal(await readBody(res), String(16 * 64 * 1024));
    assert.ok(events.length > 1, "the body arrived in several events");
    assert.ok(events.slice(0, -1).every((event) => event.moreBody));
    assert.equal(events.at(-1)?.moreBody, false);
  });

  test("streams the response: the client reads a chunk before the application sends the next", async (t) => {
    const firstRead = gate();
    const { handle } = await startServer(t, async (_scope, _receive, send) => {
      await send({ type: "http.response.start", status: 200 });
      await send({ type: "http.response.body", body: Buffer.from("one,"), moreBody: true });
      await firstRead.promise;
      await send({ type: "http.response.body", body: Buffer.from("two"), moreBody: false });
    });
    const res = await fetch(handle.url);
    assert.equal(res.headers.get("transfer-encoding"), "chunked");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    assert.equal(Buffer.from(first.value ?? []).toString(), "one,");
    firstRead.open();
    let rest = "";
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      rest += Buffer.from(part.value).toString();
    }
    assert.equal(rest, "two");
  });

  test("sets content-length when the whole body comes in one event", async (t) => {
    const { handle } = await startServer(t, text(201, "created"));
    const res = await fetch(handle.url);
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("content-length"), "7");
    assert.equal(await res.text(), "created");
  });

  test("keeps repeated response headers such as set-cookie", async (t) => {
    const { handle } = await startServer(t, async (_scope, _receive, send) => {
      await send({
        type: "http.response.start",
        status: 204,
        headers: [
          ["set-cookie", "a=1"],
          ["set-cookie", "b=2"],
        ],
      });
      await send({ type: "http.response.body" });
    });
    const res = await fetch(handle.url);
    assert.deepEqual(res.headers.getSetCookie(), ["a=1", "b=2"]);
  });

  test("delivers http.disconnect when the client vanishes mid-request, and to every later receive()", async (t) => {
    const gotFirstChunk = gate();
    const events: ReceiveEvent[] = [];
    const done = gate();
    const { handle } = await startServer(t, async (_scope, receive) => {
      events.push(await receive());
      gotFirstChunk.open();
      events.push(await receive());
      events.push(await receive());
      done.open();
    });
    const req = request(`${handle.url}/`, { method: "POST" });
    req.on("error", () => {});
    req.write("partial");
    await gotFirstChunk.promise;
    req.destroy();
    await done.promise;
    assert.equal(events[0]?.type, "http.request");
    assert.deepEqual(events.slice(1), [{ type: "http.disconnect" }, { type: "http.disconnect" }]);
  });

  test("answers 500 when the application throws before responding, logs the stack, and keeps serving", async (t) => {
    let calls = 0;
    const { handle, logger } = await startServer(t, async (scope, receive, send) => {
      if (calls++ === 0) throw new Error("boom");
      await text(200, "fine")(scope, receive, send);
    });
    const failed = await fetch(`${handle.url}/first`);
    assert.equal(failed.status, 500);
    assert.equal(await failed.text(), "");
    assert.equal(logger.errors.length, 1);
    assert.match(logger.errors[0]!.message, /GET \/first/);
    assert.match(String((logger.errors[0]!.error as Error).stack), /boom/);
    const next = await fetch(`${handle.url}/second`);
    assert.equal(await next.text(), "fine");
  });

  test("destroys the socket when the application throws after the response started", async (t) => {
    let calls = 0;
    const headersRead = gate();
    const { handle, logger } = await startServer(t, async (scope, receive, send) => {
      if (calls++ > 0) return text(200, "fine")(scope, receive, send);
      await send({ type: "http.response.start", status: 200 });
      await send({ type: "http.response.body", body: Buffer.from("half"), moreBody: true });
      await headersRead.promise;
      throw new Error("mid-stream");
    });
    const res = await fetch(handle.url);
    assert.equal(res.status, 200);
    headersRead.open();
    await assert.rejects(res.text());
    assert.equal(logger.errors.length, 1);
    assert.equal(await (await fetch(handle.url)).text(), "fine");
  });

  test("answers 500 when the application returns without a response", async (t) => {
    const { handle, logger } = await startServer(t, async () => {});
    const res = await fetch(`${handle.url}/nothing`);
    assert.equal(res.status, 500);
    assert.match(logger.errors[0]!.message, /returned without completing a response/);
  });

  test("answers a SwitchboardError with its own status and logs nothing for a 4xx", async (t) => {
    const { handle, logger } = await startServer(t, async () => {
      throw new RouteNotFound("No route found for path /missing");
    });
    const res = await fetch(`${handle.url}/missing`);
    assert.equal(res.status, 404);
    assert.deepEqual(logger.errors, []);
  });

  test("hands http.disconnect to receive() once the response is complete", async (t) => {
    let after: ReceiveEvent | undefined;
    const { handle, logger } = await startServer(t, async (scope, receive, send) => {
      await receive();
      await text(200, "ok")(scope, receive, send);
      after = await receive();
    });
    await (await fetch(handle.url)).text();
    await logger.accessCount(1);
    assert.deepEqual(after, { type: "http.disconnect" });
  });

  test("logs one access line per request with method, path, status and duration", async (t) => {
    const { handle, logger } = await startServer(t, text(202, "ok"));
    await (await fetch(`${handle.url}/logged?q=1`)).text();
    const [entry] = await logger.accessCount(1);
    assert.equal(entry?.type, "http");
    assert.deepEqual(
      { ...entry, durationMs: 0 },
      {
        type: "http",
        method: "GET",
        path: "/logged",
        status: 202,
        durationMs: 0,
      },
    );
    assert.ok(entry.durationMs >= 0);
  });
});
