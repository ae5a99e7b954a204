// The package as users install it: compiled JavaScript in dist/, loaded by plain Node with no
// TypeScript loader and without this repository's "switchboard-source" condition.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { WebSocket } from "ws";
import { buildDist, installedEnv } from "../support/packed-package.js";
import { freePort } from "../support/ports.js";
import { root as ROOT, startListening, stop } from "../support/processes.js";

const PLAIN_NODE_SCRIPT = `
import { serve } from "switchboard";
import { WebsocketCommunicator } from "switchboard/testing";
import { WebSocket } from "ws";
import { connect } from "switchboard/client";
const resolved = ["switchboard", "switchboard/testing", "switchboard/client"].map((name) => import.meta.resolve(name));
const echo = async (_scope, receive, send) => {
  await receive();
  await send({ type: "websocket.accept" });
  for (;;) {
    const event = await receive();
    if (event.type !== "websocket.receive") return;
    await send({ type: "websocket.send", text: event.text });
  }
};
const communicator = new WebsocketCommunicator(echo, "/");
await communicator.connect();
await communicator.sendTo({ text: "in process" });
const inProcess = await communicator.receiveFrom();
await communicator.disconnect();
const server = await serve(echo, { host: "127.0.0.1", port: 0, logger: { info() {}, error() {}, access() {} } });
const ws = new WebSocket("ws://127.0.0.1:" + server.port + "/");
await new Promise((resolve, reject) => { ws.once("open", resolve); ws.once("error", reject); });
ws.send("over the wire");
const [overTheWire] = await new Promise((resolve) => ws.once("message", (...args) => resolve(args)));
ws.close();
const client = connect("ws://127.0.0.1:" + server.port + "/", { WebSocket });
client.send({ from: "switchboard/client" });
const fromClient = await new Promise((resolve) => client.on("message", resolve));
client.close();
await server.close();
console.log(JSON.stringify({ resolved, inProcess, overTheWire: String(overTheWire), fromClient }));
`;

describe("the compiled package in dist/", () => {
  before(() => buildDist());

  test("has JavaScript and type declarations for every entry point", () => {
    for (const entry of [
      "index",
      "testing/index",
      "redis",
      "postgres",
      "cli/main",
      "client/index",
    ]) {
      assert.ok(existsSync(join(ROOT, "dist", `${entry}.js`)), `dist/${entry}.js`);
      assert.ok(existsSync(join(ROOT, "dist", `${entry}.d.ts`)), `dist/${entry}.d.ts`);
    }
  });

  test("plain Node imports it, serves a WebSocket and drives an app with a communicator", () => {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", PLAIN_NODE_SCRIPT], {
      cwd: ROOT,
      env: installedEnv(),
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as {
      resolved: string[];
      inProcess: string;
      overTheWire: string;
      fromClient: unknown;
    };
    assert.deepEqual(
      result.resolved.map((url) => url.slice(url.indexOf("/dist/"))),
      ["/dist/index.js", "/dist/testing/index.js", "/dist/client/index.js"],
    );
    assert.deepEqual(result.fromClient, { from: "switchboard/client" });
    assert.equal(result.inProcess, "in process");
    assert.equal(result.overTheWire, "over the wire");
  });

  test("the switchboard command runs from dist/ and serves a TypeScript module", async () => {
    const port = await freePort();
    const server = await startListening(
      process.execPath,
      [
        "bin/switchboard.js",
        "serve",
        "examples/echo/app.ts",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
      ],
      port,
      installedEnv(),
    );
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/echo/`);
      await once(ws, "open");
      ws.send("from dist");
      const [data] = (await once(ws, "message")) as [Buffer];
      assert.equal(data.toString(), "from dist");
      ws.close();
      await once(ws, "close");
    } finally {
      await stop(server);
    }
  });
});
