// A new user's first five minutes, in CI: the package packed as `npm publish` would pack it,
// installed into a fresh project that `switchboard init` wrote, migrated, given a user, served, and
// logged in over HTTP and WebSocket as the generated README says, then in Chromium, where the home
// page's socket runs on switchboard/client.
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { chromiumSkip, launchChromium } from "../browser/chromium.js";
import { screenshot, showBanner, trySocketScript } from "../browser/page-tools.js";
import { connect } from "../../src/server/test-server.js";
import { buildDist, installedEnv, packedFiles } from "../support/packed-package.js";
import { freePort } from "../support/ports.js";
import { root as ROOT, startListening, stopAll } from "../support/processes.js";

const USERNAME = "alice";
const PASSWORD = "tangerine-otter-lighthouse-42";

/**
 * Packs this checkout into `into` and resolves the tarball's path. The packed files are copied to
 * `stage` and built there, not in this checkout: the dist test rebuilds `dist/` concurrently, and a
 * file read while tsc rewrites it would be packed truncated.
 */
function pack(stage: string, into: string): string {
  for (const file of packedFiles().filter((path) => !path.startsWith("dist/"))) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(stage, file));
  }
  for (const file of ["tsconfig.json", "tsconfig.build.json", "tsconfig.client.json"]) {
    copyFileSync(join(ROOT, file), join(stage, file));
  }
  // The build's type packages, and tsx for running the staged bin.
  symlinkSync(join(ROOT, "node_modules"), join(stage, "node_modules"));
  buildDist(stage);
  const packed = spawnSync(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", into],
    {
      cwd: stage,
      encoding: "utf8",
    },
  );
  assert.equal(packed.status, 0, packed.stderr);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  return join(into, filename);
}

const versionOf = (packageDir: string) =>
  (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string })
    .version;

/**
 * Installs `tarball` and the project's dev dependencies from npm's cache where it can. Install
 * scripts are skipped: better-sqlite3's compiles SQLite, about a minute on a small machine, so this
 * checkout's build of the same version is copied in; another version is rebuilt by npm.
 */
function install(project: string, tarball: string): void {
  const npm = (...args: string[]) => {
    const result = spawnSync("npm", args, { cwd: project, encoding: "utf8" });
    assert.equal(result.status, 0, `npm ${args.join(" ")} failed:\n${result.stderr}`);
  };
  npm("install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball);
  const sqlite = join(project, "node_modules/better-sqlite3");
  const built = join(ROOT, "node_modules/better-sqlite3");
  if (versionOf(sqlite) !== versionOf(built)) return npm("rebuild", "better-sqlite3");
  cpSync(
    join(built, "build/Release/better_sqlite3.node"),
    join(sqlite, "build/Release/better_sqlite3.node"),
  );
}

/** The cookies a client keeps: the latest value of each name a response set. */
class CookieJar {
  readonly #cookies = new Map<string, string>();

  take(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      this.#cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }

  get header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

describe("a project from switchboard init, on the packed package", () => {
  let work: string;
  let project: string;
  let base: string;
  let switchboard: (...args: string[]) => SpawnSyncReturns<string>;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "switchboard-fresh-project-"));
    const tarball = pack(join(work, "package"), work);
    // The project's .env decides the secret and the database, as on a user's machine.
    const {
      SWITCHBOARD_SECRET_KEY: _s,
      SWITCHBOARD_DB: _d,
      HOST: _h,
      PORT: _p,
      ...env
    } = installedEnv();
    const init = spawnSync(
      process.execPath,
      [join(work, "package/bin/switchboard.js"), "init", "my-app"],
      { cwd: work, env, encoding: "utf8" },
    );
    assert.equal(init.status, 0, init.stderr);
    project = join(work, "my-app");
    install(project, tarball);

    const bin = join(project, "node_modules/.bin/switchboard");
    switchboard = (...args) =>
      spawnSync(bin, args, { cwd: project, env, encoding: "utf8", input: `${PASSWORD}\n` });
    for (const args of [["migrate"], ["createuser", "--username", USERNAME]]) {
      const result = switchboard(...args);
      assert.equal(result.status, 0, `switchboard ${args.join(" ")}:\n${result.stderr}`);
    }
    const port = await freePort();
    const serveArgs = ["serve", "app.ts", "--host", "127.0.0.1", "--port", String(port)];
    await startListening(bin, serveArgs, port, env, project);
    base = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    await stopAll();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  /** GETs the login form, then posts it with `password`; resolves the answer and the cookies. */
  async function logIn(password: string, jar = new CookieJar()) {
    const form = jar.take(await fetch(`${base}/login/`, { headers: { cookie: jar.header } }));
    assert.equal(form.status, 200);
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await form.text())?.[1];
    assert.ok(token, "the login form has the CSRF field");
    const answer = await fetch(`${base}/login/`, {
      method: "POST",
      headers: {
        cookie: jar.header,
        origin: base,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ csrfmiddlewaretoken: token, username: USERNAME, password }),
      redirect: "manual",
    });
    return { answer: jar.take(answer), jar };
  }

  test("logs in over HTTP: the form, the CSRF token, the redirect, the page saying who", async () => {
    const anonymous = await fetch(`${base}/`);
    assert.match(await anonymous.text(), /Nobody is signed in/);

    const wrong = await logIn("not-the-password");
    assert.equal(wrong.answer.status, 403);
    assert.match(await wrong.answer.text(), /Wrong username or password/);

    const { answer, jar } = await logIn(PASSWORD);
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get("location"), "/");
    const home = await fetch(new URL("/", base), { headers: { cookie: jar.header } });
    assert.match(await home.text(), /Signed in as <b>alice<\/b>/);
  });

  test("refuses a form posted without the CSRF token", async () => {
    const jar = new CookieJar();
    jar.take(await fetch(`${base}/login/`));
    const forged = await fetch(`${base}/login/`, {
      method: "POST",
      headers: { cookie: jar.header, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: USERNAME, password: PASSWORD }),
      redirect: "manual",
    });
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /CSRF/);
  });

  test("a WebSocket with the session cookie gets the JSON echo with the username", async () => {
    const { jar } = await logIn(PASSWORD);
    const ws = await connect(`${base.replace("http", "ws")}/ws/echo/`, [], {
      headers: { cookie: jar.header, origin: base },
    });
    ws.send(JSON.stringify("hello"));
    const [data] = (await once(ws, "message")) as [Buffer];
    assert.deepEqual(JSON.parse(data.toString()), { from: "alice", echo: "hello" });
    ws.close();
    await once(ws, "close");
  });

  test("an anonymous WebSocket is refused with 403", async () => {
    const url = `${base.replace("http", "ws")}/ws/echo/`;
    await assert.rejects(connect(url, [], { headers: { origin: base } }), /refused with 403/);
  });

  test("serves the browser client's modules from the installed package, without a session", async () => {
    const response = await fetch(`${base}/static/switchboard-client/index.js`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.match(await response.text(), /export function connect\(/);
    assert.equal(response.headers.getSetCookie().length, 0);
  });

  test(
    "in Chromium: log in with the form, the page's socket echoes, logging out closes it",
    {
      skip: chromiumSkip(),
    },
    async () => {
      const browser: Browser = await launchChromium();
      try {
        const context = await browser.newContext();
        const home = await context.newPage();
        await home.goto(`${base}/`);
        await home.getByRole("link", { name: "Log in" }).click();
        await home.getByPlaceholder("username").fill(USERNAME);
        await home.getByPlaceholder("password").fill(PASSWORD);
        await home.getByRole("button", { name: "Log in" }).click();
        await home.waitForURL(`${base}/`);
        await home.getByText("alice: hello").waitFor({ timeout: 10_000 });
        await screenshot(home, "fresh-project-01-home-echo");

        // Logging out in another tab ends the session: the server closes the home page's socket
        // (4001), which the client reports as a refusal, and a new handshake is refused.
        const other = await context.newPage();
        await other.goto(`${base}/`);
        await other.getByRole("button", { name: "Log out" }).click();
        await other.getByText("Nobody is signed in").waitFor();
        await home.getByText("refused: session ended").waitFor({ timeout: 10_000 });
        const wsUrl = `${base.replace("http", "ws")}/ws/echo/`;
        assert.equal(await home.evaluate(trySocketScript(wsUrl)), "refused");
        await showBanner(
          home,
          "Logged out in another tab: the echo socket was closed, a new one refused",
        );
        await screenshot(home, "fresh-project-02-logged-out-elsewhere");
      } finally {
        await browser.close();
      }
    },
  );

  test("type-checks against the installed package (npm run typecheck)", () => {
    const result = spawnSync("npm", ["run", "typecheck"], { cwd: project, encoding: "utf8" });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });
});
