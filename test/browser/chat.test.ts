import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startDemo, type DemoProcess } from "../../examples/chat/testing/demo-process.js";
import { chromiumSkip, launchChromium } from "./chromium.js";
import { screenshot, showBanner, trySocketScript } from "./page-tools.js";

const PASSWORD = "correct horse battery";
const ROOT = new URL("../../", import.meta.url);

/** The pages load switchboard/client from dist/client/: build it as `npm run build` does. */
function buildClient() {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const build = spawnSync(process.execPath, [tsc, "-p", "tsconfig.client.json"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(build.status, 0, `building switchboard/client failed:\n${build.stdout}`);
}

async function signUp(context: BrowserContext, demo: DemoProcess, username: string) {
  const page = await context.newPage();
  await page.goto(`${demo.url}/signup/`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Password again").fill(PASSWORD);
  return page;
}

async function logIn(page: Page, username: string, next: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`**${next}`);
}

/** Waits until the room's presence list shows exactly `users` (the page's CSP forbids eval). */
async function expectPresence(page: Page, users: string[], timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let shown: string[] = [];
  while (Date.now() < deadline) {
    shown = await page.locator("#presence li").allTextContents();
    if (shown.join() === users.join()) return;
    await page.waitForTimeout(50);
  }
  assert.deepEqual(shown, users, "the presence list");
}

async function sendMessage(page: Page, text: string) {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

async function expectMessage(page: Page, user: string, text: string) {
  const item = page.locator("#log li.message").filter({ hasText: text }).last();
  await item.waitFor();
  assert.equal(await item.locator(".user").textContent(), user);
}

describe("chat demo in Chromium", { skip: chromiumSkip() }, () => {
  let demo: DemoProcess;
  let browser: Browser;
  const wsUrl = (path: string) => demo.url.replace(/^http/, "ws") + path;

  before(async () => {
    buildClient();
    // One process with its embedded defaults, whatever the test run's environment says.
    demo = await startDemo({
      env: { REDIS_URL: undefined, SWITCHBOARD_DB: undefined, SWITCHBOARD_SECRET_KEY: undefined },
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test("two users sign up, log in, join a room and see each other's messages and presence", async () => {
    const adaContext = await browser.newContext();
    const graceContext = await browser.newContext();
    try {
      const ada = await signUp(adaContext, demo, "ada");
      await screenshot(ada, "01-signup-form");
      await ada.getByRole("button", { name: "Create account" }).click();
      await ada.waitForURL(`${demo.url}/`);

      await ada.getByRole("button", { name: "Log out" }).click();
      await ada.waitForURL("**/login/");
      await ada.goto(`${demo.url}/login/?next=/`);
      await logIn(ada, "ada", "/");
      await ada.getByLabel("Room name").fill("lobby");
      await screenshot(ada, "02-rooms-before-joining");
      await ada.getByRole("button", { name: "Create or join" }).click();
      await ada.waitForURL("**/chat/lobby/");
      await expectPresence(ada, ["ada"]);
      await screenshot(ada, "03-room-ada-alone");

      const grace = await signUp(graceContext, demo, "grace");
      await grace.getByRole("button", { name: "Create account" }).click();
      await grace.waitForURL(`${demo.url}/`);
      assert.equal(await grace.getByRole("link", { name: "#lobby" }).count(), 1);
      await screenshot(grace, "04-rooms-list-for-grace");
      await grace.getByRole("link", { name: "#lobby" }).click();
      await expectPresence(grace, ["ada", "grace"]);
      await expectPresence(ada, ["ada", "grace"]);

      await sendMessage(ada, "Hello Grace! <b>not bold</b>");
      await expectMessage(grace, "ada", "Hello Grace! <b>not bold</b>");
      await sendMessage(grace, "Hi Ada, I see you in the room.");
      await expectMessage(ada, "grace", "Hi Ada, I see you in the room.");
      await expectMessage(ada, "ada", "Hello Grace! <b>not bold</b>");
      await expectMessage(grace, "grace", "Hi Ada, I see you in the room.");
      await screenshot(ada, "05-room-ada-sees-grace");
      await screenshot(grace, "06-room-grace-sees-ada");

      await grace.close();
      await expectPresence(ada, ["ada"]);
      await screenshot(ada, "07-room-after-grace-left");
    } finally {
      await adaContext.close();
      await graceContext.close();
    }
  });

  test("an anonymous page is sent to log in and cannot open the socket", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${demo.url}/chat/lobby/`);
      assert.equal(new URL(page.url()).pathname, "/login/");
      assert.equal(new URL(page.url()).searchParams.get("next"), "/chat/lobby/");
      assert.equal(await page.evaluate(trySocketScript(wsUrl("/ws/chat/lobby/"))), "refused");
      assert.equal(await page.evaluate(trySocketScript(wsUrl("/ws/echo/"))), "refused");
      await showBanner(page, "Anonymous visitor: /chat/lobby/ redirected here; WebSocket refused");
      await screenshot(page, "08-anonymous-redirected-and-refused");
    } finally {
      await context.close();
    }
  });

  test("after logging out in one tab, the other tab's socket closes saying why and its reconnect is refused", async () => {
    const context = await browser.newContext();
    const bystanderContext = await browser.newContext();
    try {
      const bystander = await signUp(bystanderContext, demo, "ken");
      await bystander.getByRole("button", { name: "Create account" }).click();
      await bystander.waitForURL(`${demo.url}/`);
      await bystander.goto(`${demo.url}/chat/kernel/`);
      await expectPresence(bystander, ["ken"]);

      const room = await signUp(context, demo, "linus");
      await room.getByRole("button", { name: "Create account" }).click();
      await room.waitForURL(`${demo.url}/`);
      await room.goto(`${demo.url}/chat/kernel/`);
      await expectPresence(room, ["ken", "linus"]);
      assert.equal(await room.evaluate(trySocketScript(wsUrl("/ws/chat/kernel/"))), "open");

      const other = await context.newPage();
      await other.goto(`${demo.url}/`);
      await other.getByRole("button", { name: "Log out" }).click();
      await other.waitForURL("**/login/");
      await screenshot(other, "09-logged-out-in-second-tab");

      // The logout closed the first tab's chat socket (4001) at once; the page says why.
      await room.getByText("Disconnected: session ended.").waitFor({ timeout: 5_000 });
      await screenshot(room, "10-first-tab-socket-closed-by-logout");
      assert.equal(await room.evaluate(trySocketScript(wsUrl("/ws/chat/kernel/"))), "refused");
      await demo.restart();
      // Sessions live in the database, signed with the key kept beside it: ken's survived.
      await bystander.getByText("connected", { exact: true }).waitFor({ timeout: 15_000 });
      await expectPresence(bystander, ["ken"]);
      await screenshot(bystander, "11-other-user-reconnected-after-restart");
    } finally {
      await context.close();
      await bystanderContext.close();
    }
  });

  test("a room page whose socket is refused says so and offers to log in again", async () => {
    const context = await browser.newContext();
    try {
      const page = await signUp(context, demo, "refused");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(`${demo.url}/`);
      // The page is rendered for the logged-in user; its script then connects without a cookie.
      await context.route("**/static/chat.js", async (route) => {
        await context.clearCookies();
        await route.continue();
      });
      await page.goto(`${demo.url}/chat/lobby/`);
      await page
        .getByText("The server refused the connection: you are not logged in.")
        .waitFor({ timeout: 5_000 });
      assert.equal(await page.locator("#status").textContent(), "logged out");
      assert.equal(await page.getByRole("link", { name: "Log in again" }).count(), 1);
      await screenshot(page, "14-refused-socket-says-so");
    } finally {
      await context.close();
    }
  });

  test("logged in over the socket, the page takes the new session by hand-off and a reload stays logged in", async () => {
    const context = await browser.newContext();
    try {
      const page = await signUp(context, demo, "hopper");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(`${demo.url}/`);
      await page.getByRole("button", { name: "Log out" }).click();
      await page.waitForURL("**/login/");
      await page.goto(`${demo.url}/login/?next=/whoami/`);
      await page.getByLabel("Username").fill("hopper");
      await page.getByLabel("Password").fill(PASSWORD);
      const csrfToken = async () =>
        (await context.cookies()).find((cookie) => cookie.name === "csrftoken")?.value;
      const beforeLogin = await csrfToken();
      assert.ok(beforeLogin, "the login page set a CSRF token");
      await page.getByRole("button", { name: "Sign in over WebSocket" }).click();
      await page.waitForURL(`${demo.url}/whoami/`);
      assert.notEqual(await csrfToken(), beforeLogin, "the hand-off rotated the CSRF token");
      await page.reload();
      assert.equal(((await page.textContent("body")) ?? "").trim(), "hopper");
      await page.goto(`${demo.url}/`);
      await page.getByText("Signed in as").waitFor();
      await screenshot(page, "13-logged-in-over-the-socket-after-reload");
      // the page rendered the rotated token: its form posts pass the CSRF check
      await page.getByRole("button", { name: "Log out" }).click();
      await page.waitForURL("**/login/");
    } finally {
      await context.close();
    }
  });

  test("a page from another origin cannot open an authenticated socket", async () => {
    const context = await browser.newContext();
    const foreign = createServer((_request, response) => {
      response.setHeader("content-type", "text/html; charset=utf-8");
      response.end(`<!doctype html><title>Another site</title>
<body style="font:18px system-ui;margin:2rem">
<h1>Another site</h1>
<p>This page comes from another origin. The browser holds a demo session cookie and sends it
with the handshake to ${wsUrl("/ws/chat/lobby/")}.</p>
<p id="result" style="font-weight:700">opening…</p>
<script>
  const socket = new WebSocket(${JSON.stringify(wsUrl("/ws/chat/lobby/"))});
  const result = document.getElementById("result");
  socket.onopen = () => { result.textContent = "OPEN: the socket was accepted"; };
  socket.onclose = () => { if (!result.textContent.startsWith("OPEN")) result.textContent = "REFUSED: the demo refused this origin"; };
</script>`);
    });
    foreign.listen(0, "127.0.0.1");
    await once(foreign, "listening");
    const foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    try {
      const page = await signUp(context, demo, "mallory-victim");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(`${demo.url}/`);
      await page.goto(`${foreignUrl}/`);
      await page.getByText("REFUSED").waitFor();
      await screenshot(page, "12-foreign-origin-refused");
      assert.match(demo.output(), new RegExp(`origin refused: ${foreignUrl}`));
      // The same browser, on the demo's own origin, is accepted: the origin made the difference.
      await page.goto(`${demo.url}/whoami/`);
      assert.equal(await page.evaluate(trySocketScript(wsUrl("/ws/chat/lobby/"))), "open");
    } finally {
      await context.close();
      foreign.close();
      foreign.closeAllConnections();
    }
  });
});
