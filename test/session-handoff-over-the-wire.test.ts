import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test, type TestContext } from "node:test";
import type { CsrfOptions } from "../src/security/csrf-middleware.js";
import { connect, nextMessage, startServer } from "../src/server/test-server.js";
import { InMemorySessionStore } from "../src/stores/in-memory-session-store.js";
import { InMemoryTicketStore } from "../src/stores/in-memory-ticket-store.js";
import { loginOverHttp, openUsers, PASSWORD, ticketApp } from "./support/ticket-apps.js";

let users: Awaited<ReturnType<typeof openUsers>>;
before(async () => {
  users = await openUsers();
});
after(() => users.close());

async function serveHandoff(t: TestContext, csrf?: CsrfOptions | false) {
  const store = new InMemorySessionStore();
  const app = ticketApp(store, new InMemoryTicketStore(), users.backends, csrf);
  const server = await startServer(t, app);
  return { server, base: `http://127.0.0.1:${server.handle.port}` };
}

/** Logs in over a socket opened with no cookie; resolves the hand-off token it answers. */
async function loginOverSocket(url: string): Promise<string> {
  const ws = await connect(url);
  const message = nextMessage(ws);
  ws.send(`ada:${PASSWORD}`);
  const token = (await message).data.toString();
  ws.close();
  return token;
}

function exchange(base: string, token: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/session/handoff/`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ token }),
  });
}

async function whoami(base: string, cookie: string): Promise<string> {
  return (await fetch(`${base}/whoami/`, { headers: { cookie } })).text();
}

/** The `Set-Cookie` line of `response` for the cookie `name`, if it sets one. */
function cookieLine(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** The `name=value` part of a `Set-Cookie` line, and its value. */
function cookiePair(line: string | undefined): { pair: string; value: string } {
  const pair = line?.split(";")[0] ?? "";
  return { pair, value: pair.slice(pair.indexOf("=") + 1) };
}

describe("session hand-off over the wire", () => {
  test("exchanging the token sets the cookie of the session logged in over the socket", async (t) => {
    const { server, base } = await serveHandoff(t);
    const token = await loginOverSocket(server.wsUrl("/ws/login/"));
    const response = await exchange(base, token);
    assert.equal(response.status, 204);
    const session = cookieLine(response, "sessionid") ?? "";
    assert.match(
      session,
      /^sessionid=[a-z0-9]{32}; Max-Age=\d+; Path=\/;.*HttpOnly; SameSite=Lax$/,
    );
    assert.equal(await whoami(base, cookiePair(session).pair), "ada");
  });

  test("exchanging the token rotates the CSRF cookie: the token seen before the login no longer passes", async (t) => {
    const { server, base } = await serveHandoff(t);
    const before = cookieLine(await fetch(`${base}/whoami/`), "csrftoken");
    const token = await loginOverSocket(server.wsUrl("/ws/login/"));
    const response = await exchange(base, token, { cookie: cookiePair(before).pair });
    assert.equal(response.status, 204);
    const rotated = cookieLine(response, "csrftoken");
    assert.match(rotated ?? "", /^csrftoken=[A-Za-z0-9_-]{32};/);
    assert.notEqual(cookiePair(rotated).value, cookiePair(before).value);
    // the cookie csrfMiddleware sets, but for its value
    assert.equal(rotated?.replace(/^[^;]*/, ""), before?.replace(/^[^;]*/, ""));
    const cookie = `${cookiePair(cookieLine(response, "sessionid")).pair}; ${cookiePair(rotated).pair}`;
    const mint = (csrfToken: string) =>
      fetch(`${base}/ws-ticket/`, {
        method: "POST",
        headers: { cookie, "x-csrftoken": csrfToken },
      });
    const stale = await mint(cookiePair(before).value);
    assert.equal(stale.status, 403);
    await stale.text();
    const fresh = await mint(cookiePair(rotated).value);
    assert.equal(fresh.status, 200);
    await fresh.text();
  });

  test("rotates the CSRF cookie the stack's csrf options name, and none without the check", async (t) => {
    const named = await serveHandoff(t, { cookieName: "xsrf", secure: true });
    const renamed = await exchange(
      named.base,
      await loginOverSocket(named.server.wsUrl("/ws/login/")),
    );
    assert.match(cookieLine(renamed, "xsrf") ?? "", /^xsrf=[A-Za-z0-9_-]{32};.* Secure;/);
    assert.equal(cookieLine(renamed, "csrftoken"), undefined);
    const unchecked = await serveHandoff(t, false);
    const plain = await exchange(
      unchecked.base,
      await loginOverSocket(unchecked.server.wsUrl("/ws/login/")),
    );
    assert.equal(plain.status, 204);
    assert.deepEqual(
      plain.headers.getSetCookie().map((line) => line.split("=")[0]),
      ["sessionid"],
    );
  });

  test("refuses a replayed token with 400 and no cookie", async (t) => {
    const { server, base } = await serveHandoff(t);
    const token = await loginOverSocket(server.wsUrl("/ws/login/"));
    assert.equal((await exchange(base, token)).status, 204);
    const replay = await exchange(base, token);
    assert.equal(replay.status, 400);
    assert.equal(replay.headers.get("set-cookie"), null);
  });

  test("refuses an expired token with 400", async (t) => {
    const { server, base } = await serveHandoff(t);
    const token = await loginOverSocket(server.wsUrl("/ws/login/"));
    await sleep(400); // the test app's hand-offs live 0.3 s
    assert.equal((await exchange(base, token)).status, 400);
  });

  test("refuses a connection ticket: it never becomes a cookie", async (t) => {
    const { base } = await serveHandoff(t);
    const { cookie, csrfToken } = await loginOverHttp(base);
    const minted = await fetch(`${base}/ws-ticket/`, {
      method: "POST",
      headers: { cookie, "x-csrftoken": csrfToken },
    });
    const { ticket } = (await minted.json()) as { ticket: string };
    assert.equal((await exchange(base, ticket)).status, 400);
  });

  test("refuses a cross-site exchange: a foreign Origin, a form body, a GET", async (t) => {
    const { server, base } = await serveHandoff(t);
    const token = await loginOverSocket(server.wsUrl("/ws/login/"));
    assert.equal((await exchange(base, token, { origin: "http://evil.test" })).status, 403);
    const form = await fetch(`${base}/session/handoff/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `token=${token}`,
    });
    assert.equal(form.status, 415);
    assert.equal((await fetch(`${base}/session/handoff/`)).status, 405);
    // none of those used the token up
    assert.equal((await exchange(base, token, { origin: base })).status, 204);
  });
});
