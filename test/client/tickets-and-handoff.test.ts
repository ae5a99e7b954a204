import assert from "node:assert/strict";
import { after, before, describe, test, type TestContext } from "node:test";
import { WebSocket } from "ws";
import {
  connect,
  exchangeHandoff,
  HandoffFailed,
  TicketRefused,
  type ConnectOptions,
} from "../../src/client/index.js";
import { connect as connectRaw, nextMessage, startServer } from "../../src/server/test-server.js";
import { InMemorySessionStore } from "../../src/stores/in-memory-session-store.js";
import { InMemoryTicketStore } from "../../src/stores/in-memory-ticket-store.js";
import { loginOverHttp, openUsers, PASSWORD } from "../support/ticket-apps.js";
import { nextEvent, recordEvents } from "./events.js";
import { ticketProbeApp, type WhoMessage } from "./ticket-probe-app.js";

let users: Awaited<ReturnType<typeof openUsers>>;
before(async () => {
  users = await openUsers();
});
after(() => users.close());

async function serveProbe(t: TestContext) {
  const tickets = new InMemoryTicketStore();
  const server = await startServer(
    t,
    ticketProbeApp(new InMemorySessionStore(), tickets, users.backends),
  );
  const base = `http://127.0.0.1:${server.handle.port}`;
  const logged = (path: string) =>
    server.logger.accesses.filter((entry) => entry.path === path).length;
  return { server, base, logged };
}

/** An anonymous visitor's CSRF cookie and token, as a page that is not logged in has them. */
async function anonymousCsrf(base: string) {
  const response = await fetch(`${base}/whoami/`);
  const line = response.headers.getSetCookie().find((value) => value.startsWith("csrftoken="));
  const cookie = (line ?? "").split(";")[0] ?? "";
  return { cookie, csrfToken: cookie.slice("csrftoken=".length) };
}

// The plain `ws` class: its handshake carries no cookie, so only a ticket can log it in.
function open(t: TestContext, url: string, options: ConnectOptions) {
  const socket = connect<{ user: string }, WhoMessage>(url, {
    WebSocket,
    reconnect: { minDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  t.after(() => socket.close());
  return socket;
}

describe("switchboard/client tickets and hand-off over real sockets", () => {
  test("fetches a fresh ticket before every attempt and offers it as a subprotocol", async (t) => {
    const { server, base, logged } = await serveProbe(t);
    const { cookie, csrfToken } = await loginOverHttp(base);
    const socket = open(t, server.wsUrl("/ws/who/"), {
      ticket: "/ws-ticket/",
      baseUrl: base,
      headers: { cookie },
      csrfToken,
    });
    assert.deepEqual(await nextEvent(socket, "open"), {
      protocol: "switchboard.ticket",
      reconnected: false,
    });
    assert.deepEqual(await socket.request({ do: "who" }), { user: "ada", ref: "1" });
    // Tickets work once: the reconnection after this drop needs a new one.
    socket.send({ do: "close", code: 1011 });
    assert.equal((await nextEvent(socket, "open")).reconnected, true);
    assert.deepEqual(await socket.request({ do: "who" }), { user: "ada", ref: "2" });
    assert.equal(logged("/ws-ticket/"), 2);
  });

  test("takes tickets from a function", async (t) => {
    const { server, base } = await serveProbe(t);
    const { cookie, csrfToken } = await loginOverHttp(base);
    const ticket = async () => {
      const headers = { cookie, "x-csrftoken": csrfToken };
      const response = await fetch(`${base}/ws-ticket/`, { method: "POST", headers });
      return ((await response.json()) as { ticket: string }).ticket;
    };
    const socket = open(t, server.wsUrl("/ws/who/"), { ticket });
    assert.deepEqual(await socket.request({ do: "who" }), { user: "ada", ref: "1" });
  });

  test("a ticket endpoint that refuses (not logged in) is a refusal, and no socket is tried", async (t) => {
    const { server, base, logged } = await serveProbe(t);
    const { cookie, csrfToken } = await anonymousCsrf(base);
    const socket = open(t, server.wsUrl("/ws/who/"), {
      ticket: `${base}/ws-ticket/`,
      headers: { cookie },
      csrfToken,
    });
    const events = recordEvents(socket);
    const error = nextEvent(socket, "error");
    assert.deepEqual(await nextEvent(socket, "refused"), {
      code: 1006,
      reason: `No connection ticket: ${base}/ws-ticket/ answered HTTP 401.`,
      handshake: true,
    });
    assert.ok((await error) instanceof TicketRefused);
    assert.deepEqual(events, ["error", "close", "refused"]);
    assert.equal(socket.state, "closed");
    assert.equal(logged("/ws/who/"), 0);
  });

  test("without csrfToken the stack's CSRF check refuses the ticket POST: a refusal (403)", async (t) => {
    const { server, base } = await serveProbe(t);
    const { cookie } = await loginOverHttp(base);
    const socket = open(t, server.wsUrl("/ws/who/"), {
      ticket: `${base}/ws-ticket/`,
      headers: { cookie },
    });
    const error = await nextEvent(socket, "error");
    assert.ok(error instanceof TicketRefused);
    assert.equal(error.status, 403);
    assert.equal(socket.state, "closed");
  });

  test("exchangeHandoff posts the token once; a used token is HandoffFailed (400)", async (t) => {
    const { server, base } = await serveProbe(t);
    const login = await connectRaw(server.wsUrl("/ws/login/"));
    const answer = nextMessage(login);
    login.send(`ada:${PASSWORD}`);
    const token = (await answer).data.toString();
    login.close();

    await exchangeHandoff(token, { baseUrl: base });
    await assert.rejects(exchangeHandoff(token, { baseUrl: base }), (error: unknown) => {
      assert.ok(error instanceof HandoffFailed);
      assert.equal(error.status, 400);
      return true;
    });
  });
});
