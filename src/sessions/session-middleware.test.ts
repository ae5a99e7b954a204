import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cookieMiddleware } from "../cookies/cookie-middleware.js";
import { BackendUnavailable, ImproperlyConfigured, SessionInterrupted } from "../errors.js";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import type { SessionRecord, SessionStore } from "../stores/session-store.js";
import { HttpCommunicator } from "../testing/http-communicator.js";
import { WebsocketCommunicator } from "../testing/websocket-communicator.js";
import type { Application, Headers, HttpScope, WebsocketScope } from "../types/asgi.js";
import { newSessionKey } from "./session-key.js";
import { sessionMiddleware } from "./session-middleware.js";
import type { SessionMiddlewareOptions, SessionScope } from "./session-middleware.js";
import type { Session } from "./session.js";

/** The real in-memory store, counting the reads and writes that reach it. */
class CountingStore extends InMemorySessionStore {
  loads = 0;
  saves = 0;
  override async load(key: string): Promise<SessionRecord | null> {
    this.loads++;
    return super.load(key);
  }
  override async save(key: string, data: string, expiresAt: Date, mustCreate: boolean) {
    this.saves++;
    return super.save(key, data, expiresAt, mustCreate);
  }
}

type Handler = (session: Session) => Promise<number | void>;

/** A raw application that runs `handler` on the session and answers with its status (200). */
function stack(
  handler: Handler,
  options: Partial<SessionMiddlewareOptions> & { store: SessionStore },
  headers: Headers = [],
): Application<HttpScope> {
  return cookieMiddleware()(
    sessionMiddleware(options)<HttpScope & { cookies: Record<string, string> }>(
      async (scope, _receive, send) => {
        const status = (await handler(scope.session)) ?? 200;
        await send({ type: "http.response.start", status, headers });
        await send({ type: "http.response.body", body: Buffer.from("ok") });
      },
    ),
  );
}

async function request(app: Application<HttpScope>, cookie?: string) {
  const headers: Array<[string, string]> = cookie === undefined ? [] : [["cookie", cookie]];
  const response = await new HttpCommunicator(app, "GET", "/", "", headers).getResponse();
  const all = (name: string) => response.headers.filter(([key]) => key === name).map(([, v]) => v);
  return { status: response.status, setCookie: all("set-cookie"), vary: all("vary") };
}

function cookieValue(setCookie: string[]): string {
  assert.equal(setCookie.length, 1);
  return /^sessionid=([^;]*)/.exec(setCookie[0] ?? "")?.[1] ?? "";
}

async function storedKey(store: SessionStore, data: Record<string, number> = { user: 1 }) {
  const key = await newSessionKey();
  await store.save(key, JSON.stringify(data), new Date(Date.now() + 60_000), true);
  return key;
}

describe("sessionMiddleware over HTTP", () => {
  test("touches neither store nor headers when the app ignores the session", async () => {
    const store = new CountingStore();
    const key = await storedKey(store);
    const app = stack(async () => {}, { store });
    for (const cookie of [undefined, `sessionid=${key}`]) {
      const response = await request(app, cookie);
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
    const app = stack(
      async (session) => {
        seen = await session.get("user");
      },
      { store },
      [["vary", "Accept-Encoding"]],
    );
    const response = await request(app, `sessionid=${key}`);
    assert.equal(seen, 7);
    assert.deepEqual(response.vary, ["Accept-Encoding, Cookie"]);
    assert.deepEqual(response.setCookie, []);
    assert.equal(store.loads, 1);
  });

  test("a modified session is saved and its cookie set with the default attributes", async () => {
    const store = new InMemorySessionStore();
    const app = stack((session) => session.set("user", 42), { store });
    const response = await request(app);
    const [header = ""] = response.setCookie;
    const key = cookieValue(response.setCookie);
    assert.match(key, /^[a-z0-9]{32}$/);
    assert.match(header, /; Max-Age=1209600; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    assert.doesNotMatch(header, /Secure/);
    assert.deepEqual(response.vary, ["Cookie"]);
    assert.equal(JSON.parse((await store.load(key))?.data ?? "{}").user, 42);
  });

  test("the next request with that cookie sees the data", async () => {
    const store = new InMemorySessionStore();
    const write = await request(stack((session) => session.set("n", 1), { store }));
    let seen: unknown;
    const read = stack(
      async (session) => {
        seen = await session.get("n");
      },
      { store },
    );
    await request(read, `other=x; sessionid=${cookieValue(write.setCookie)}`);
    assert.equal(seen, 1);
  });

  test("flush deletes the cookie and the stored session", async () => {
    const store = new InMemorySessionStore();
    const key = await storedKey(store);
    const response = await request(
      stack((session) => session.flush(), { store }),
      `sessionid=${key}`,
    );
    assert.match(
      response.setCookie[0] ?? "",
      /^sessionid=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/,
    );
    assert.deepEqual(response.vary, ["Cookie"]);
    assert.equal(await store.exists(key), false);
  });

  test("flush deletes the cookie on the configured path and domain", async () => {
    const store = new InMemorySessionStore();
    const key = await storedKey(store);
    const options = { store, path: "/app", domain: "example.com" };
    const response = await request(
      stack((session) => session.flush(), options),
      `sessionid=${key}`,
    );
    assert.match(
      response.setCookie[0] ?? "",
      /^sessionid=; Max-Age=0; Domain=example.com; Path=\/app;/,
    );
  });

  test("flush without a session cookie sets no cookie", async () => {
    const response = await request(
      stack((session) => session.flush(), { store: new InMemorySessionStore() }),
    );
    assert.deepEqual(response.setCookie, []);
  });

  test("a keyed session whose data was all deleted is still saved, as in Django", async () => {
    const store = new InMemorySessionStore();
    const key = await storedKey(store, { user: 1 });
    const app = stack(
      async (session) => {
        await session.delete("user");
      },
      { store },
    );
    const response = await request(app, `sessionid=${key}`);
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
      const response = await request(
        stack(
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
    const response = await request(
      stack((session) => session.set("user", 1), { store }),
      `sessionid=${planted}`,
    );
    const key = cookieValue(response.setCookie);
    assert.notEqual(key, planted);
    assert.equal(await store.exists(planted), false);
    assert.equal(await store.exists(key), true);
  });

  test("no cookie and no save on a 5xx response", async () => {
    const store = new CountingStore();
    const response = await request(
      stack(
        async (session) => {
          await session.set("user", 1);
          return 500;
        },
        { store },
      ),
    );
    assert.deepEqual(response.setCookie, []);
    assert.equal(store.saves, 0);
  });

  test("a browser-close session gets a cookie without Max-Age or Expires", async () => {
    const store = new InMemorySessionStore();
    const response = await request(stack((session) => session.setExpiry(0), { store }));
    assert.doesNotMatch(response.setCookie[0] ?? "", /Max-Age|Expires/);
    assert.match(cookieValue(response.setCookie), /^[a-z0-9]{32}$/);
  });

  test("setExpiry(seconds) sets the cookie's Max-Age", async () => {
    const response = await request(
      stack((session) => session.setExpiry(300), { store: new InMemorySessionStore() }),
    );
    assert.match(response.setCookie[0] ?? "", /Max-Age=(300|299);/);
  });

  test("saveEveryRequest re-sends the cookie of an unchanged session", async () => {
    const store = new CountingStore();
    const key = await storedKey(store);
    const response = await request(
      stack(async () => {}, { store, saveEveryRequest: true }),
      `sessionid=${key}`,
    );
    assert.equal(cookieValue(response.setCookie), key);
    assert.equal(store.saves, 2);
  });

  test("applies the cookie options", async () => {
    const options = {
      store: new InMemorySessionStore(),
      cookieName: "sid",
      maxAge: 60,
      path: "/app",
      domain: "example.com",
      secure: true,
      httpOnly: false,
      sameSite: "none" as const,
    };
    const response = await request(stack((session) => session.set("a", 1), options));
    const header = response.setCookie[0] ?? "";
    assert.match(
      header,
      /^sid=[a-z0-9]{32}; Max-Age=60; Domain=example.com; Path=\/app; Expires=[^;]+; Secure; SameSite=None$/,
    );
  });

  test("refuses bad cookie options when built, not on the first response", () => {
    const store = new InMemorySessionStore();
    assert.throws(() => sessionMiddleware({ store, cookieName: "bad name" }), ImproperlyConfigured);
    assert.throws(() => sessionMiddleware({ store, sameSite: "none" }), /secure/);
    assert.throws(() => sessionMiddleware({} as SessionMiddlewareOptions), /needs a store/);
  });

  test("a session deleted by another request makes send throw SessionInterrupted", async () => {
    const store = new InMemorySessionStore();
    const key = await storedKey(store);
    const app = stack(
      async (session) => {
        await session.set("n", 2);
        await store.delete(key);
      },
      { store },
    );
    await assert.rejects(request(app, `sessionid=${key}`), SessionInterrupted);
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
    const app = stack((session) => session.set("other", 1), { store });
    await assert.rejects(request(app, `sessionid=${key}`), BackendUnavailable);
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
    const response = await request(app);
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
