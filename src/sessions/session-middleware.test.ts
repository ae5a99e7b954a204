import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  cookieValue,
  CountingStore,
  sessionApp,
  sessionRequest,
  storedKey,
} from "../../test/support/sessions.js";
import { cookieMiddleware } from "../cookies/cookie-middleware.js";
import { BackendUnavailable, SessionInterrupted } from "../errors.js";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import type { SessionRecord } from "../stores/session-store.js";
import { HttpCommunicator } from "../testing/http-communicator.js";
import { WebsocketCommunicator } from "../testing/websocket-communicator.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { newSessionKey } from "./session-key.js";
import { sessionMiddleware } from "./session-middleware.js";
import type { SessionScope } from "./session-middleware.js";
import type { Session } from "./session.js";

describe("sessionMiddleware over HTTP", () => {
  test("touches neither store nor headers when the app ignores the session", async () => {
    const store = new CountingStore();
    const key = await storedKey(store);
    const app = sessionApp(async () => {}, { store });
    for (const cookie of [undefined, `sessionid=${key}`]) {
      const response = await sessionRequest(app, cookie);
      assert.deepEqual(response.setCookie, []);
      assert.deepEqual(response.vary, []);
    }
    assert.equal(store.loads, 0);
    assert.equal(store.saves, 1);
  });

  test("reading adds Vary: Cookie but sets no cookie", async () => {
    const store = new CountingStore();
    const key = await storedKey(store, { user: 7 });
    let seen: unknown;
    const app = sessionApp(
      async (session) => {
        seen = await session.get("user");
      },
      { store },
      [["vary", "Accept-Encoding"]],
    );
    const response = await sessionRequest(app, `sessionid=${key}`);
    assert.equal(seen, 7);
    assert.deepEqual(response.vary, ["Accept-Encoding, Cookie"]);
    assert.deepEqual(response.setCookie, []);
    assert.equal(store.loads, 1);
  });

  test("the next request with that cookie sees the data", async () => {
    const store = new InMemorySessionStore();
    const write = await sessionRequest(sessionApp((session) => session.set("n", 1), { store }));
    let seen: unknown;
    const read = sessionApp(
      async (session) => {
        seen = await session.get("n");
      },
      { store },
    );
    await sessionRequest(read, `other=x; sessionid=${cookieValue(write.setCookie)}`);
    assert.equal(seen, 1);
  });

  test("flush deletes the cookie and the stored session", async () => {
    const store = new InMemorySessionStore();
    const key = await storedKey(store);
    const response = await sessionRequest(
      sessionApp((session) => session.flush(), { store }),
      `sessionid=${key}`,
    );
    assert.match(
      response.setCookie[0] ?? "",
      /^sessionid=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/,
    );
    assert.deepEqual(response.vary, ["Cookie"]);
    assert.equal(await store.exists(key), false);
  });

  test("flush without a session cookie sets no cookie", async () => {
    const response = await sessionRequest(
      sessionApp((session) => session.flush(), { store: new InMemorySessionStore() }),
    );
    assert.deepEqual(response.setCookie, []);
  });

  test("a keyed session whose data was all deleted is still saved, as in Django", async () => {
    const store = new InMemorySessionStore();
    const key = await storedKey(store, { user: 1 });
    const app = sessionApp(
      async (session) => {
        await session.delete("user");
      },
      { store },
    );
    const response = await sessionRequest(app, `sessionid=${key}`);
    assert.equal(cookieValue(response.setCookie), key);
    assert.equal((await store.load(key))?.data, "{}");
  });

  test("an emptied session deletes the cookie even without flush", async () => {
    const store = new InMemorySessionStore();
    const key = await storedKey(store);
    const expired = await newSessionKey();
    await store.save(expired, '{"user":1}', new Date(Date.now() - 1000), true);
    for (const cookie of [
      `sessionid=${expired}`,
      "sessionid=forged",
      "sessionid=%ZZ; sessionid=x",
    ]) {
      let seen: unknown = "unset";
      const response = await sessionRequest(
        sessionApp(
          async (session) => {
            seen = await session.get("user");
          },
          { store },
        ),
        cookie,
      );
      assert.equal(seen, undefined, cookie);
      assert.match(response.setCookie[0] ?? "", /^sessionid=; Max-Age=0/, cookie);
    }
    assert.equal(await store.exists(key), true);
  });

  test("a client-chosen key that is unknown is replaced by a new one on save", async () => {
    const store = new InMemorySessionStore();
    const planted = await newSessionKey();
    const response = await sessionRequest(
      sessionApp((session) => session.set("user", 1), { store }),
      `sessionid=${planted}`,
    );
    const key = cookieValue(response.setCookie);
    assert.notEqual(key, planted);
    assert.equal(await store.exists(planted), false);
    assert.equal(await store.exists(key), true);
  });

  test("no cookie and no save on any 5xx response, not only on 500 as in Channels", async () => {
    for (const status of [500, 503]) {
      const store = new CountingStore();
      const response = await sessionRequest(
        sessionApp(
          async (session) => {
            await session.set("user", 1);
            return status;
          },
          { store },
        ),
      );
      assert.deepEqual(response.setCookie, [], String(status));
      assert.equal(store.saves, 0, String(status));
    }
  });

  test("a session deleted by another request makes send throw SessionInterrupted", async () => {
    const store = new InMemorySessionStore();
    const key = await storedKey(store);
    const app = sessionApp(
      async (session) => {
        await session.set("n", 2);
        await store.delete(key);
      },
      { store },
    );
    await assert.rejects(sessionRequest(app, `sessionid=${key}`), SessionInterrupted);
    assert.equal(await store.exists(key), false);
  });

  test("a store that is down fails the request instead of serving an empty session", async () => {
    class FlakyStore extends InMemorySessionStore {
      down = true;
      override async load(key: string): Promise<SessionRecord | null> {
        if (this.down) throw new BackendUnavailable("down");
        return super.load(key);
      }
    }
    const store = new FlakyStore();
    const key = await storedKey(store, { user: 1 });
    const app = sessionApp((session) => session.set("other", 1), { store });
    await assert.rejects(sessionRequest(app, `sessionid=${key}`), BackendUnavailable);
    store.down = false;
    assert.deepEqual(JSON.parse((await store.load(key))?.data ?? ""), { user: 1 });
  });

  test("needs scope.cookies and says to wrap it in cookieMiddleware", async () => {
    const app = sessionMiddleware({ store: new InMemorySessionStore() })(async () => {});
    const bare = (async (scope, receive, send) =>
      app(scope as never, receive, send)) as Application<HttpScope>;
    await assert.rejects(
      new HttpCommunicator(bare, "GET", "/").getResponse(),
      /wrap it in cookieMiddleware/,
    );
  });

  test("shares one Session object with every scope copy made further in", async () => {
    const store = new InMemorySessionStore();
    let outer: Session | undefined;
    let inner: Session | undefined;
    const innermost: Application<HttpScope & SessionScope> = async (scope, _receive, send) => {
      inner = scope.session;
      await scope.session.set("from", "inner");
      await send({ type: "http.response.start", status: 200 });
      await send({ type: "http.response.body" });
    };
    const app = cookieMiddleware()(
      sessionMiddleware({ store })<HttpScope & { cookies: Record<string, string> }>(
        async (scope, receive, send) => {
          outer = scope.session;
          return innermost({ ...scope, copied: true } as typeof scope, receive, send);
        },
      ),
    );
    const response = await sessionRequest(app);
    assert.equal(outer, inner);
    assert.equal(cookieValue(response.setCookie).length, 32);
  });
});

describe("sessionMiddleware over WebSocket", () => {
  test("saves nothing unless the consumer calls save(), and leaves the handshake alone", async () => {
    const store = new CountingStore();
    const key = await storedKey(store, { user: 1 });
    let save = false;
    const app = cookieMiddleware()(
      sessionMiddleware({ store })<WebsocketScope & { cookies: Record<string, string> }>(
        async (scope, receive, send) => {
          await receive();
          await scope.session.set("seen", true);
          if (save) await scope.session.save();
          await send({ type: "websocket.accept" });
          await receive();
        },
      ),
    );
    for (const saving of [false, true]) {
      save = saving;
      store.saves = 0;
      const communicator = new WebsocketCommunicator(app, "/ws/", {
        headers: { cookie: `sessionid=${key}` },
      });
      const result = await communicator.connect();
      assert.deepEqual(result, { connected: true, subprotocol: null, headers: [] });
      await communicator.disconnect();
      assert.equal(store.saves, saving ? 1 : 0);
      assert.equal(
        JSON.parse((await store.load(key))?.data ?? "{}").seen,
        saving ? true : undefined,
      );
    }
  });
});
