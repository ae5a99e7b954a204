import assert from "node:assert/strict";
import { once } from "node:events";
import { request } from "node:http";
import type { IncomingMessage } from "node:http";
import { describe, test } from "node:test";
import type { Application, ReceiveEvent } from "../types/asgi.js";
import { startServer } from "./test-server.js";

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** Reads the whole body and answers with its size. */
const countBytes: Application = async function countBytes(_scope, receive, send) {
  let size = 0;
  for (;;) {
    const event = await receive();
    if (event.type !== "http.request") return;
    size += event.body.byteLength;
    if (!event.moreBody) break;
  }
  await send({ type: "http.response.start", status: 200 });
  await send({ type: "http.response.body", body: Buffer.from(String(size)) });
};

describe("serve > maxBodySize", () => {
  test("answers 413 and closes when content-length announces a body over maxBodySize, without running the application", async (t) => {
    let ran = false;
    const { handle, logger } = await startServer(
      t,
      async (scope, receive, send) => {
        ran = true;
        await countBytes(scope, receive, send);
      },
      { maxBodySize: 1024 },
    );
    // the body is announced but never sent: the answer cannot depend on reading it
    const req = request(`${handle.url}/upload`, {
      method: "POST",
      headers: { "content-length": String(1024 * 1024) },
    });
    req.on("error", () => {});
    req.flushHeaders();
    const [res] = (await once(req, "response")) as [IncomingMessage];
    assert.equal(res.statusCode, 413);
    assert.equal(res.headers.connection, "close");
    assert.equal(await readBody(res), "Request body too large");
    assert.equal(ran, false);
    const [entry] = await logger.accessCount(1);
    assert.equal(entry?.type === "http" && entry.status, 413);
    req.destroy();
  });

  test("answers 413 when a chunked body grows past maxBodySize; the application hears http.disconnect", async (t) => {
    const events: ReceiveEvent[] = [];
    const { handle, logger } = await startServer(
      t,
      async (_scope, receive) => {
        for (;;) {
          const event = await receive();
          events.push(event);
          if (event.type !== "http.request") return;
        }
      },
      { maxBodySize: 1024 },
    );
    const req = request(`${handle.url}/upload`, { method: "POST" });
    req.on("error", () => {});
    req.write(Buffer.alloc(600, 1));
    req.write(Buffer.alloc(600, 1));
    const [res] = (await once(req, "response")) as [IncomingMessage];
    assert.equal(res.statusCode, 413);
    assert.equal(await readBody(res), "Request body too large");
    await logger.accessCount(1);
    assert.deepEqual(events.at(-1), { type: "http.disconnect" });
    assert.ok(events.slice(0, -1).every((event) => event.type === "http.request"));
    req.destroy();
  });

  test("serves a body of exactly maxBodySize", async (t) => {
    const { handle } = await startServer(t, countBytes, { maxBodySize: 1024 });
    const res = await fetch(handle.url, { method: "POST", body: Buffer.alloc(1024, 1) });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "1024");
  });
});
