import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  cookieValue,
  CountingStore,
  sessionApp,
  sessionRequest,
  storedKey,
} from "../../test/support/sessions.js";
import { ImproperlyConfigured } from "../errors.js";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import { sessionMiddleware } from "./session-middleware.js";
import type { SessionMiddlewareOptions } from "./session-middleware.js";

describe("sessionMiddleware > session cookie", () => {
  test("a modified session is saved and its cookie set with the default attributes", async () => {
    const store = new InMemorySessionStore();
    const app = sessionApp((session) => session.set("user", 42), { store });
    const response = await sessionRequest(app);
    const [header = ""] = response.setCookie;
    const key = cookieValue(response.setCookie);
    assert.match(key, /^[a-z0-9]{32}$/);
    assert.match(header, /; Max-Age=1209600; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    assert.doesNotMatch(header, /Secure/);
    assert.deepEqual(response.vary, ["Cookie"]);
    assert.equal(JSON.parse((await store.load(key))?.data ?? "{}").user, 42);
  });

  test("flush deletes the cookie on the configured path and domain", async () => {
    const store = new InMemorySessionStore();
    const key = await storedKey(store);
    const options = { store, path: "/app", domain: "example.com" };
    const response = await sessionRequest(
      sessionApp((session) => session.flush(), options),
      `sessionid=${key}`,
    );
    assert.match(
      response.setCookie[0] ?? "",
      /^sessionid=; Max-Age=0; Domain=example.com; Path=\/app;/,
    );
  });

  test("a browser-close session gets a cookie without Max-Age or Expires", async () => {
    const store = new InMemorySessionStore();
    const response = await sessionRequest(sessionApp((session) => session.setExpiry(0), { store }));
    assert.doesNotMatch(response.setCookie[0] ?? "", /Max-Age|Expires/);
    assert.match(cookieValue(response.setCookie), /^[a-z0-9]{32}$/);
  });

  test("setExpiry(seconds) sets the cookie's Max-Age", async () => {
    const response = await sessionRequest(
      sessionApp((session) => session.setExpiry(300), { store: new InMemorySessionStore() }),
    );
    assert.match(response.setCookie[0] ?? "", /Max-Age=(300|299);/);
  });

  test("saveEveryRequest re-sends the cookie of an unchanged session", async () => {
    const store = new CountingStore();
    const key = await storedKey(store);
    const response = await sessionRequest(
      sessionApp(async () => {}, { store, saveEveryRequest: true }),
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
    const response = await sessionRequest(sessionApp((session) => session.set("a", 1), options));
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
});
