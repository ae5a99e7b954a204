import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import { WebsocketCommunicator, type HeadersInit } from "../testing/index.js";
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

async function connects(app: Application<WebsocketScope>, headers: HeadersInit) {
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

  it("matches a pattern with a scheme and no port only on that scheme's default port", async () => {
    const http = originValidator(accepting, ["http://example.com"], quiet);
    assert.equal(await connects(http, { origin: "http://example.com" }), true);
    assert.equal(await connects(http, { origin: "http://example.com:80" }), true);
    assert.equal(await connects(http, { origin: "http://example.com:8080" }), false);
    assert.equal(await connects(http, { origin: "https://example.com" }), false);
    const https = originValidator(accepting, ["https://example.com", "wss://example.org"], quiet);
    assert.equal(await connects(https, { origin: "https://example.com:443" }), true);
    assert.equal(await connects(https, { origin: "https://example.com:8443" }), false);
    assert.equal(await connects(https, { origin: "wss://example.org" }), true);
    assert.equal(await connects(https, { origin: "wss://example.org:8443" }), false);
  });

  it("matches a pattern without a scheme on any port unless it names one", async () => {
    const anyPort = originValidator(accepting, ["example.com"], quiet);
    assert.equal(await connects(anyPort, { origin: "http://example.com:8080" }), true);
    const onePort = originValidator(accepting, ["example.com:8080"], quiet);
    assert.equal(await connects(onePort, { origin: "https://example.com:8080" }), true);
    assert.equal(await connects(onePort, { origin: "https://example.com" }), false);
  });

  it("refuses a handshake with several Origin headers, even when each is allowed", async () => {
    const lines: string[] = [];
    const app = originValidator(accepting, ["https://good.test"], {
      logger: (line) => lines.push(line),
    });
    const twice: HeadersInit = [
      ["origin", "https://good.test"],
      ["origin", "https://evil.test"],
    ];
    assert.equal(await connects(app, twice), false);
    assert.equal(
      await connects(app, [
        ["origin", "https://evil.test"],
        ["origin", "https://good.test"],
      ]),
      false,
    );
    assert.equal(
      await connects(app, [
        ["origin", "https://good.test"],
        ["origin", "https://good.test"],
      ]),
      false,
    );
    assert.equal(await connects(originValidator(accepting, ["*"], quiet), twice), false);
    assert.equal(await connects(sameOriginValidator(accepting, quiet), twice), false);
    assert.match(lines[0] ?? "", /several Origin headers/);
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

  it("refuses every handshake with no hosts, and says so once when built", async () => {
    const lines: string[] = [];
    const app = allowedHostsOriginValidator(accepting, [], { logger: (line) => lines.push(line) });
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", /no allowed hosts, so it refuses every WebSocket handshake/);
    assert.equal(await connects(app, { origin: "http://localhost" }), false);
    assert.equal(await connects(app, {}), false);
    assert.equal(lines.filter((line) => line.includes("no allowed hosts")).length, 1);
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
