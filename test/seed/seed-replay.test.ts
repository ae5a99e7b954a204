// Every code block of seed/channels-authentication.md, replayed in TypeScript over real sockets,
// with SQLite sessions and users, and with Redis sessions and PostgreSQL users (filter with
// STORES=sqlite or STORES=redis,postgres).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY } from "../../src/auth/session-keys.js";
import { sessionAuthHash } from "../../src/auth/session-auth-hash.js";
import { newSessionKey } from "../../src/sessions/session-key.js";
import { storeSelected } from "../support/databases.js";
import { openSeedApp, SEED_STORES, SECRET_KEY, seedSkip, type SeedApp } from "./seed-app.js";
import { openSocket } from "./ws-client.js";

for (const stores of SEED_STORES) {
  if (!storeSelected(stores.sessions) || !storeSelected(stores.users)) continue;
  describe(
    `seed replay: ${stores.sessions} sessions, ${stores.users} users`,
    { skip: await seedSkip(stores) },
    () => {
      let app: SeedApp;
      before(async () => {
        app = await openSeedApp(stores);
        await app.createUser("ada", "correct horse");
        await app.createUser("bob", "battery staple");
      });
      after(() => app.close());

      /** Logs in over the socket at `path`, as the seed's consumers do; resolves the cookie to send. */
      async function loginOver(path: string, username: string, password: string): Promise<string> {
        const { socket } = await openSocket(`${app.wsUrl}${path}`);
        assert.ok(socket);
        socket.send(JSON.stringify({ username, password }));
        const reply = JSON.parse(await socket.next()) as {
          user: string | null;
          sessionKey: string;
        };
        await socket.close();
        assert.equal(reply.user, username);
        return `sessionid=${reply.sessionKey}`;
      }

      /** Connects to the seed's ChatConsumer: its greeting, or the refusal status. */
      async function chatAs(cookie?: string): Promise<string | number> {
        const handshake = await openSocket(`${app.wsUrl}/frontend/`, cookie);
        if (handshake.socket === null) return handshake.status;
        const greeting = await handshake.socket.next();
        await handshake.socket.close();
        return greeting;
      }

      it("routing block > refuses an anonymous client at ^front(end)/$ with HTTP 403", async () => {
        assert.equal(await chatAs(), 403);
      });

      it("routing block > refuses a path no route matches", async () => {
        const { status } = await openSocket(`${app.wsUrl}/backend/`);
        assert.equal(status, 403);
      });

      it("login block > an async consumer logs in and saves; the next connection with that cookie is the user", async () => {
        const cookie = await loginOver("/login/", "ada", "correct horse");
        assert.equal(await chatAs(cookie), "hello ada");
      });

      it("login block > a consumer with plain (non-async) handlers logs in and saves the same way", async () => {
        const cookie = await loginOver("/sync-login/", "bob", "battery staple");
        assert.equal(await chatAs(cookie), "hello bob");
      });

      it("login block > a wrong password logs nobody in", async () => {
        const { socket } = await openSocket(`${app.wsUrl}/login/`);
        assert.ok(socket);
        socket.send(JSON.stringify({ username: "ada", password: "wrong" }));
        const reply = JSON.parse(await socket.next()) as {
          user: string | null;
          sessionKey: string | null;
        };
        await socket.close();
        assert.equal(reply.user, null);
        assert.equal(await chatAs(`sessionid=${reply.sessionKey ?? ""}`), 403);
      });

      it("login block > login cycles the key: the cookie the client connected with stays anonymous", async () => {
        const first = await loginOver("/login/", "ada", "correct horse");
        const { socket } = await openSocket(`${app.wsUrl}/login/`, first);
        assert.ok(socket);
        socket.send(JSON.stringify({ username: "ada", password: "correct horse" }));
        const { sessionKey } = JSON.parse(await socket.next()) as { sessionKey: string };
        await socket.close();
        assert.notEqual(`sessionid=${sessionKey}`, first);
        assert.equal(await chatAs(first), 403, "the key before login was deleted");
        assert.equal(await chatAs(`sessionid=${sessionKey}`), "hello ada");
      });

      it("logout makes the next connection with the same cookie anonymous", async () => {
        const cookie = await loginOver("/login/", "ada", "correct horse");
        const { socket } = await openSocket(`${app.wsUrl}/logout/`, cookie);
        assert.ok(socket);
        socket.send("logout");
        assert.equal(await socket.next(), "logged out");
        await socket.close();
        assert.equal(await chatAs(cookie), 403);
      });

      it("a password change makes sessions made before it anonymous", async () => {
        const carol = await app.createUser("carol", "old password");
        const cookie = await loginOver("/login/", "carol", "old password");
        assert.equal(await chatAs(cookie), "hello carol");
        await app.users.update(carol.id, {
          passwordHash: await app.passwords.hash("new password"),
        });
        assert.equal(await chatAs(cookie), 403);
        assert.equal(
          await app.sessions.exists(cookie.slice("sessionid=".length)),
          false,
          "flushed",
        );
        assert.equal(
          await chatAs(await loginOver("/login/", "carol", "new password")),
          "hello carol",
        );
      });

      it("forged, malformed, expired and foreign session cookies are anonymous", async () => {
        const ada = await app.users.getByUsername("ada");
        assert.ok(ada);
        const loggedIn = JSON.stringify({
          [SESSION_KEY]: String(ada.id),
          [BACKEND_SESSION_KEY]: "model",
          [HASH_SESSION_KEY]: sessionAuthHash(ada, SECRET_KEY),
        });
        const expired = await newSessionKey();
        await app.sessions.save(expired, loggedIn, new Date(Date.now() - 1000), true);
        const foreign = await newSessionKey();
        const otherDeployment = JSON.parse(loggedIn) as Record<string, string>;
        otherDeployment[HASH_SESSION_KEY] = sessionAuthHash(ada, `${SECRET_KEY}-elsewhere`);
        await app.sessions.save(
          foreign,
          JSON.stringify(otherDeployment),
          new Date(Date.now() + 60_000),
          true,
        );
        const cookies = [
          `sessionid=${await newSessionKey()}`, // well-formed, never issued
          `sessionid=${ada.id}`,
          `sessionid=${encodeURIComponent(loggedIn)}`,
          "sessionid=../../etc/passwd",
          "sessionid=",
          `sessionid=${expired}`,
          `sessionid=${foreign}`, // signed for another secret key
        ];
        for (const cookie of cookies) assert.equal(await chatAs(cookie), 403, cookie);
      });
    },
  );
}
