import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test, type TestContext } from "node:test";
import { Redis } from "ioredis";
import { connect, nextMessage, startServer } from "../src/server/test-server.js";
import { InMemorySessionStore } from "../src/stores/in-memory-session-store.js";
import { InMemoryTicketStore } from "../src/stores/in-memory-ticket-store.js";
import { RedisTicketStore } from "../src/stores/redis-ticket-store.js";
import type { TicketStore } from "../src/stores/ticket-store.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "./support/services.js";
import { loginOverHttp, openUsers, ticketApp, type HttpLogin } from "./support/ticket-apps.js";

let users: Awaited<ReturnType<typeof openUsers>>;
before(async () => {
  users = await openUsers();
});
after(() => users.close());

async function serveTickets(
  t: TestContext,
  tickets: TicketStore,
  store = new InMemorySessionStore(),
) {
  const server = await startServer(t, ticketApp(store, tickets, users.backends));
  const base = `http://127.0.0.1:${server.handle.port}`;
  return { server, base, store };
}

/** Mints a ticket as a page's script does: the cookies, and the CSRF token in `X-CSRFToken`. */
async function mint(base: string, { cookie, csrfToken }: HttpLogin): Promise<string> {
  const response = await fetch(`${base}/ws-ticket/`, {
    method: "POST",
    headers: { cookie, "x-csrftoken": csrfToken },
  });
  assert.equal(response.status, 200);
  const { ticket } = (await response.json()) as { ticket: string };
  return ticket;
}

/** Who a socket opened with `ticket` (as a subprotocol or in the query) is, or the refusal. */
async function whoOpens(url: string, ticket: string, as: "subprotocol" | "query") {
  try {
    const ws =
      as === "query"
        ? await connect(`${url}?ticket=${ticket}`)
        : await connect(url, ["switchboard.ticket", `switchboard.ticket.${ticket}`]);
    const message = nextMessage(ws);
    ws.send("who?");
    const { data } = await message;
    const answer = { user: data.toString(), protocol: ws.protocol };
    ws.close();
    return answer;
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

describe("connection tickets over the wire", () => {
  test("a ticket minted by a logged-in request opens one socket as that user, without a cookie", async (t) => {
    const { server, base } = await serveTickets(t, new InMemoryTicketStore());
    const ticket = await mint(base, await loginOverHttp(base));
    const url = server.wsUrl("/ws/whoami/");
    assert.deepEqual(await whoOpens(url, ticket, "subprotocol"), {
      user: "ada",
      protocol: "switchboard.ticket",
    });
    assert.deepEqual(await whoOpens(url, ticket, "subprotocol"), { refused: "refused with 403" });
  });

  test("a ticket in the query string works once too", async (t) => {
    const { server, base } = await serveTickets(t, new InMemoryTicketStore());
    const ticket = await mint(base, await loginOverHttp(base));
    const url = server.wsUrl("/ws/whoami/");
    assert.deepEqual(await whoOpens(url, ticket, "query"), { user: "ada", protocol: "" });
    assert.deepEqual(await whoOpens(url, ticket, "query"), { refused: "refused with 403" });
  });

  test("refuses an expired or unknown ticket with 403", async (t) => {
    const { server, base } = await serveTickets(t, new InMemoryTicketStore());
    const ticket = await mint(base, await loginOverHttp(base));
    await sleep(400); // the test app's tickets live 0.3 s
    const url = server.wsUrl("/ws/whoami/");
    assert.deepEqual(await whoOpens(url, ticket, "query"), { refused: "refused with 403" });
    assert.deepEqual(await whoOpens(url, "forged", "subprotocol"), { refused: "refused with 403" });
  });

  test("mints no ticket for an anonymous user, a GET, a foreign origin or a POST without the CSRF token", async (t) => {
    const { base } = await serveTickets(t, new InMemoryTicketStore());
    const { cookie, csrfToken } = await loginOverHttp(base);
    const anonymous = { cookie: `csrftoken=${csrfToken}`, "x-csrftoken": csrfToken };
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/ws-ticket/`, { method: "POST", headers });
    assert.equal((await post(anonymous)).status, 401);
    assert.equal((await fetch(`${base}/ws-ticket/`, { headers: { cookie } })).status, 405);
    const foreign = await post({ cookie, "x-csrftoken": csrfToken, origin: "http://evil.test" });
    assert.equal(foreign.status, 403);
    const tokenless = await post({ cookie });
    assert.equal(tokenless.status, 403);
    assert.match(await tokenless.text(), /CSRF token is missing/);
  });

  test("a ticket whose session logged out meanwhile opens no socket", async (t) => {
    const { server, base, store } = await serveTickets(t, new InMemoryTicketStore());
    const session = await loginOverHttp(base);
    const ticket = await mint(base, session);
    await store.delete(session.sessionKey);
    const url = server.wsUrl("/ws/whoami/");
    assert.deepEqual(await whoOpens(url, ticket, "query"), { refused: "refused with 403" });
  });
});

describe(
  "connection tickets across processes on Redis",
  { skip: await serviceSkip("redis") },
  () => {
    test("a ticket used on one server is refused on the other", async (t) => {
      const prefix = uniquePrefix("tickets");
      const clients = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
      t.after(() => Promise.all(clients.map((client) => client.quit())));
      const sessions = new InMemorySessionStore(); // stands for a shared session store
      const [a, b] = await Promise.all(
        clients.map((client) =>
          serveTickets(t, new RedisTicketStore({ client, prefix }), sessions),
        ),
      );
      const ticket = await mint(a!.base, await loginOverHttp(a!.base));
      const results = await Promise.all([
        whoOpens(a!.server.wsUrl("/ws/whoami/"), ticket, "subprotocol"),
        whoOpens(b!.server.wsUrl("/ws/whoami/"), ticket, "subprotocol"),
      ]);
      assert.equal(results.filter((result) => "user" in result).length, 1);
      assert.equal(results.filter((result) => "refused" in result).length, 1);
      assert.deepEqual(await whoOpens(b!.server.wsUrl("/ws/whoami/"), ticket, "query"), {
        refused: "refused with 403",
      });
    });
  },
);
