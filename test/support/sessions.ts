/**
 * Helpers for session tests: a counting wrapper over the real in-memory store, and a raw HTTP
 * application behind cookieMiddleware + sessionMiddleware driven in process.
 */
import assert from "node:assert/strict";
import { cookieMiddleware } from "../../src/cookies/cookie-middleware.js";
import { newSessionKey } from "../../src/sessions/session-key.js";
import { sessionMiddleware } from "../../src/sessions/session-middleware.js";
import type { SessionMiddlewareOptions } from "../../src/sessions/session-middleware.js";
import type { Session } from "../../src/sessions/session.js";
import { InMemorySessionStore } from "../../src/stores/in-memory-session-store.js";
import type { SessionRecord, SessionStore } from "../../src/stores/session-store.js";
import { HttpCommunicator } from "../../src/testing/http-communicator.js";
import type { Application, Headers, HttpScope } from "../../src/types/asgi.js";

/** The real in-memory store, counting the reads and writes that reach it. */
export class CountingStore extends InMemorySessionStore {
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

/** Runs against the session; resolves the response status, 200 when it resolves nothing. */
export type SessionHandler = (session: Session) => Promise<number | void>;

/** A raw application behind cookieMiddleware and sessionMiddleware that runs `handler`. */
export function sessionApp(
  handler: SessionHandler,
  options: Partial<SessionMiddlewareOptions> & { store: SessionStore },
  headers: Headers = [],
): Application<HttpScope> {
  return cookieMiddleware()(
    sessionMiddleware(options)(async (scope, _receive, send) => {
      const status = (await handler(scope.session)) ?? 200;
      await send({ type: "http.response.start", status, headers });
      await send({ type: "http.response.body", body: Buffer.from("ok") });
    }),
  );
}

/** One GET with an optional Cookie header; the response's Set-Cookie and Vary values. */
export async function sessionRequest(app: Application<HttpScope>, cookie?: string) {
  const headers: Array<[string, string]> = cookie === undefined ? [] : [["cookie", cookie]];
  const response = await new HttpCommunicator(app, "GET", "/", "", headers).getResponse();
  const all = (name: string) => response.headers.filter(([key]) => key === name).map(([, v]) => v);
  return { status: response.status, setCookie: all("set-cookie"), vary: all("vary") };
}

/** The session key in the one `sessionid` Set-Cookie header. */
export function cookieValue(setCookie: string[]): string {
  assert.equal(setCookie.length, 1);
  return /^sessionid=([^;]*)/.exec(setCookie[0] ?? "")?.[1] ?? "";
}

/** Stores `data` under a fresh key valid for a minute and resolves the key. */
export async function storedKey(store: SessionStore, data: Record<string, number> = { user: 1 }) {
  const key = await newSessionKey();
  await store.save(key, JSON.stringify(data), new Date(Date.now() + 60_000), true);
  return key;
}
