import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { get, type IncomingMessage } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test, type TestContext } from "node:test";
import { path } from "../routing/path.js";
import { protocolTypeRouter } from "../routing/protocol-type-router.js";
import { urlRouter } from "../routing/url-router.js";
import { startServer } from "../server/test-server.js";
import type { Application, HttpScope } from "../types/asgi.js";
import { serveClientFiles } from "./client-files-app.js";

const ROOT = new URL("../../", import.meta.url);
const PREFIX = "/static/switchboard-client/";

/** Compiles switchboard/client as `npm run build` does, into `outDir` (not this checkout's dist/). */
function buildClient(outDir: string): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const build = spawnSync(
    process.execPath,
    // Its own build info: with the checkout's, tsc would find dist/client up to date and emit nothing.
    [
      tsc,
      "-p",
      "tsconfig.client.json",
      "--outDir",
      outDir,
      "--tsBuildInfoFile",
      join(outDir, ".tsbuildinfo"),
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  assert.equal(build.status, 0, `building switchboard/client failed:\n${build.stdout}`);
}

const hello: Application<HttpScope> = async (_scope, _receive, send) => {
  await send({ type: "http.response.start", status: 200 });
  await send({ type: "http.response.body", body: Buffer.from("hello") });
};

/** GETs `target` (a path) from `base` exactly as written. */
async function rawGet(base: string, target: string) {
  const request = get(base, { path: target });
  const [response] = (await once(request, "response")) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode, body: Buffer.concat(chunks).toString() };
}

/** Serves the files of `dir` under {@link PREFIX}, next to another route; resolves the base URL. */
async function serveDir(t: TestContext, dir: string, logger: (line: string) => void = () => {}) {
  const http = urlRouter([
    path("static/switchboard-client/", serveClientFiles(pathToFileURL(`${dir}/`), logger)),
    path("static/switchboard-client-notes/", hello),
  ]);
  const server = await startServer(t, protocolTypeRouter({ http }));
  return `http://127.0.0.1:${server.handle.port}`;
}

describe("clientFilesApp over HTTP", () => {
  let built: string;
  before(() => {
    built = mkdtempSync(join(tmpdir(), "switchboard-client-files-"));
    buildClient(built);
  });
  after(() => rmSync(built, { recursive: true, force: true }));

  test("serves every module index.js imports, as JavaScript that browsers may not sniff", async (t) => {
    const base = await serveDir(t, built);
    const seen = new Set<string>();
    const pending = ["index.js"];
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (seen.has(name)) continue;
      seen.add(name);
      const response = await fetch(`${base}${PREFIX}${name}`);
      assert.equal(response.status, 200, name);
      assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      const body = await response.text();
      assert.equal(body, readFileSync(join(built, name), "utf8"), name);
      for (const [, imported] of body.matchAll(/from "\.\/([^"]+)"/g)) pending.push(imported);
    }
    assert.ok(seen.has("switchboard-socket.js") && seen.size > 5, [...seen].join());
  });

  test("answers a matching If-None-Match with 304, and revalidation is asked for", async (t) => {
    const base = await serveDir(t, built);
    const first = await fetch(`${base}${PREFIX}index.js`);
    await first.arrayBuffer();
    const etag = first.headers.get("etag");
    assert.match(etag ?? "", /^"[\w-]+"$/);
    assert.equal(first.headers.get("cache-control"), "no-cache");
    const length = first.headers.get("content-length");

    const again = await fetch(`${base}${PREFIX}index.js`, {
      headers: { "if-none-match": `"other", W/${etag}` },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("etag"), etag);
    assert.equal(again.headers.get("content-length"), length);
    assert.equal(await again.text(), "");

    const changed = await fetch(`${base}${PREFIX}index.js`, {
      headers: { "if-none-match": '"other"' },
    });
    assert.equal(changed.status, 200);
    const other = await fetch(`${base}${PREFIX}urls.js`);
    assert.notEqual(other.headers.get("etag"), etag);
    await Promise.all([changed.arrayBuffer(), other.arrayBuffer()]);
  });

  test("HEAD has the GET's headers and no body; other methods get 405", async (t) => {
    const base = await serveDir(t, built);
    const head = await fetch(`${base}${PREFIX}index.js`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(
      head.headers.get("content-length"),
      String(readFileSync(join(built, "index.js")).byteLength),
    );
    assert.equal(head.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(await head.text(), "");

    const post = await fetch(`${base}${PREFIX}index.js`, { method: "POST", body: "x" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    await post.arrayBuffer();
  });

  test("anything but the client's .js files is 404: declarations, maps, traversal, the prefix", async (t) => {
    const base = await serveDir(t, built);
    const names = [
      "index.d.ts",
      "index.d.ts.map",
      "",
      "nope.js",
      "sub/index.js",
      "./index.js",
      "../../package.json",
      "%2e%2e/%2e%2e/package.json",
      "..%2f..%2fpackage.json",
    ];
    for (const name of names) {
      // Sent as written: fetch() would resolve the dot segments before the server saw them.
      const { status, body } = await rawGet(base, `${PREFIX}${name}`);
      assert.deepEqual({ status, body }, { status: 404, body: "Not Found\n" }, name);
    }
    // The prefix belongs to the app, a longer one beside it to its own route.
    const other = await fetch(`${base}/static/switchboard-client-notes/`);
    assert.equal(await other.text(), "hello");
  });
});

describe("clientFilesApp without a build", () => {
  test("answers 404 saying to run npm run build, warns once, and serves the files once built", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-client-unbuilt-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const warnings: string[] = [];
    const base = await serveDir(t, dir, (line) => warnings.push(line));

    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${base}${PREFIX}index.js`);
      assert.equal(response.status, 404);
      assert.match(await response.text(), /not built: run `npm run build`/);
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /switchboard\/client is not built: .* has no \.js files/);
    assert.ok(warnings[0].includes(dir), warnings[0]);

    // Built while the server runs: the next request finds the files, no restart needed.
    writeFileSync(join(dir, "index.js"), "export {};\n");
    const response = await fetch(`${base}${PREFIX}index.js`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "export {};\n");
  });
});
