import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import { WebsocketCommunicator } from "../testing/index.js";
import type { Application, WebsocketScope } from "../types/asgi.js";
import {
  allowedHostsOriginValidator,
  originValidator,
  sameOriginValidator,
} from "./origin-validator.js";

const accepting: Application<WebsocketScope> = async (_scope, receive, send) => {
  await receive();
  await send({ type: "websocket.accept" });
};

const quiet = { logger: () => {} };

async function connects(app: Application<WebsocketScope>, headers: Record<string, string>) {
  const communicator = new WebsocketCommunicator(app, "/ws/", { headers });
  const result = await communicator.connect();
  await communicator.disconnect();
  return result.connected;
}

describe("originValidator", () => {
  it("accepts an exact host and refuses any other", async () => {
    const app = originValidator(accepting, ["example.com"], quiet);
    assert.equal(await connects(app, { origin: "https://example.com" }), true);
    assert.equal(await connects(app, { origin: "https://evil.com" }), false);
    assert.equal(await connects(app, { origin: "https://sub.example.com" }), false);
  });

  it("matches a leading-dot pattern against the domain and its subdomains only", async () => {
    const app = originValidator(accepting, [".example.com"], quiet);
    assert.equal(await connects(app, { origin: "http://example.com" }), true);
    assert.equal(await connects(app, { origin: "http://a.b.example.com" }), true);
    assert.equal(await connects(app, { origin: "http://badexample.com" }), false);
  });

  it("checks scheme and port when the pattern names them", async () => {
    const app = originValidator(accepting, ["https://example.com:8443"], quiet);
    assert.equal(await connects(app, { origin: "https://example.com:8443" }), true);
    assert.equal(await connects(app, { origin: "http://example.com:8443" }), false);
    assert.equal(await connects(app, { origin: "https://example.com" }), false);
  });

  it("refuses a missing, null or malformed Origin unless '*' is allowed", async () => {
    const strict = originValidator(accepting, ["example.com"], quiet);
    assert.equal(await connects(strict, {}), false);
    assert.equal(await connects(strict, { origin: "null" }), false);
    assert.equal(await connects(strict, { origin: "::not a url" }), false);
    const open = originValidator(accepting, ["*"], quiet);
    assert.equal(await connects(open, {}), true);
  });

  it("refuses with close code 1008, which the server answers as HTTP 403", async () => {
    const app = originValidator(accepting, ["example.com"], quiet);
    const communicator = new WebsocketCommunicator(app, "/ws/", {
      headers: { origin: "https://evil.com" },
    });
    assert.deepEqual(await communicator.connect(), { connected: false, closeCode: 1008 });
  });

  it("logs the refused origin and path", async () => {
    const lines: string[] = [];
    const app = originValidator(accepting, ["example.com"], { logger: (line) => lines.push(line) });
    await connects(app, { origin: "https://evil.com" });
    assert.match(lines[0] ?? "", /https:\/\/evil\.com.*\/ws\//);
  });

  it("rejects a pattern with a path at definition time", () => {
    assert.throws(() => originValidator(accepting, ["example.com/x"]), ImproperlyConfigured);
  });
});

describe("allowedHostsOriginValidator", () => {
  it("allows the listed hosts on any scheme or port", async () => {
    const app = allowedHostsOriginValidator(accepting, ["localhost"], quiet);
    assert.equal(await connects(app, { origin: "http://localhost:8000" }), true);
    assert.equal(await connects(app, { origin: "http://127.0.0.1:8000" }), false);
  });

  it("refuses to be built with no hosts", () => {
    assert.throws(() => allowedHostsOriginValidator(accepting, []), ImproperlyConfigured);
  });
});

describe("sameOriginValidator", () => {
  it("accepts an Origin naming the Host the request was sent to", async () => {
    const app = sameOriginValidator(accepting, quiet);
    assert.equal(
      await connects(app, { origin: "http://127.0.0.1:8000", host: "127.0.0.1:8000" }),
      true,
    );
    assert.equal(await connects(app, { origin: "https://example.com", host: "example.com" }), true);
  });

  it("refuses another host, another port, or no Origin", async () => {
    const app = sameOriginValidator(accepting, quiet);
    assert.equal(
      await connects(app, { origin: "http://evil.test:8000", host: "127.0.0.1:8000" }),
      false,
    );
    assert.equal(
      await connects(app, { origin: "http://127.0.0.1:9000", host: "127.0.0.1:8000" }),
      false,
    );
    assert.equal(await connects(app, { host: "127.0.0.1:8000" }), false);
  });

  it("lets a handshake without Origin through only with allowMissingOrigin, still checking a present one", async () => {
    const app = sameOriginValidator(accepting, { ...quiet, allowMissingOrigin: true });
    assert.equal(await connects(app, { host: "127.0.0.1:8000" }), true);
    assert.equal(
      await connects(app, { origin: "http://evil.test", host: "127.0.0.1:8000" }),
      false,
    );
    assert.equal(await connects(app, { origin: "null", host: "127.0.0.1:8000" }), false);
  });
});
