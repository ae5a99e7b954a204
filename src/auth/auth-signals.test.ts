import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import { Session } from "../sessions/session.js";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { anonymousUser } from "../users/anonymous-user.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import type { User } from "../users/user.js";
import { AUTH_CONFIG, resolveAuthConfig } from "./auth-config.js";
import { AuthSignals, type UserLoggedOut, type UserLoginFailed } from "./auth-signals.js";
import { authenticate } from "./authenticate.js";
import { login } from "./login.js";
import { logout } from "./logout.js";
import { ModelBackend } from "./model-backend.js";
import { Passwords } from "./passwords.js";
import { ScryptHasher } from "./scrypt-hasher.js";
import { SESSION_KEY } from "./session-keys.js";
import { Signal } from "./signal.js";

const SECRET = "test-secret-0123456789abcdefghijklmnop";

describe("AuthSignals", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
  const store = new InMemorySessionStore();
  const model = new ModelBackend({ users, passwords });
  let ada: User;

  before(async () => {
    await users.migrate();
    ada = await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
  });
  after(() => db.close());

  /** A scope as authMiddleware configured with `signals` leaves it. */
  function scopeWith(signals: AuthSignals) {
    const config = resolveAuthConfig({ backends: [model], secretKey: SECRET, signals });
    return { session: new Session(store), user: anonymousUser, [AUTH_CONFIG]: config };
  }

  it("login sends userLoggedIn with the logged-in user and the scope", async () => {
    const signals = new AuthSignals();
    const seen: Array<{ username: string; sameScope: boolean; onScope: boolean }> = [];
    const scope = scopeWith(signals);
    signals.userLoggedIn.connect(({ user, scope: received }) => {
      seen.push({
        username: user.username,
        sameScope: received === scope,
        onScope: received.user === user,
      });
    });
    await login(scope, ada);
    assert.deepEqual(seen, [{ username: "ada", sameScope: true, onScope: true }]);
  });

  it("logout sends userLoggedOut with the user while the session still holds it", async () => {
    const signals = new AuthSignals();
    const seen: Array<{ user: string | null; sessionUser: unknown }> = [];
    signals.userLoggedOut.connect(async ({ user, scope }: UserLoggedOut) => {
      seen.push({
        user: user?.username ?? null,
        sessionUser: await scope.session?.get(SESSION_KEY),
      });
    });
    const scope = scopeWith(signals);
    await login(scope, ada);
    await logout(scope);
    await logout(scope);
    assert.deepEqual(seen, [
      { user: "ada", sessionUser: String(ada.id) },
      { user: null, sessionUser: undefined },
    ]);
  });

  it("authenticate(credentials, scope) sends userLoginFailed with secrets cleansed", async () => {
    const signals = new AuthSignals();
    const failures: UserLoginFailed[] = [];
    signals.userLoginFailed.connect((event) => {
      failures.push(event);
    });
    const scope = scopeWith(signals);
    const credentials = {
      username: "ada",
      password: "wrong",
      apiToken: "t",
      SECRET_answer: "s",
      signingKey: "k",
      remember: true,
    };
    assert.equal(await authenticate(credentials, scope), null);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.scope, scope);
    assert.deepEqual(failures[0]!.credentials, {
      username: "ada",
      password: "********************",
      apiToken: "********************",
      SECRET_answer: "********************",
      signingKey: "********************",
      remember: true,
    });
    assert.equal(credentials.password, "wrong", "the caller's credentials are left alone");
    assert.equal((await authenticate({ username: "ada", password: "pw" }, scope))?.id, ada.id);
    assert.equal(await authenticate({ username: "ada", password: "wrong" }, [model]), null);
    assert.equal(failures.length, 1, "a success, or a list of backends, sends nothing");
  });

  it("belong to one configuration: another one's receivers hear nothing", async () => {
    const [mine, theirs] = [new AuthSignals(), new AuthSignals()];
    let heard = 0;
    theirs.userLoggedIn.connect(() => {
      heard++;
    });
    await login(scopeWith(mine), ada);
    assert.equal(heard, 0);
  });

  it("a receiver that throws fails the login, as Django's send does", async () => {
    const signals = new AuthSignals();
    signals.userLoggedIn.connect(() => {
      throw new Error("audit log down");
    });
    await assert.rejects(login(scopeWith(signals), ada), /audit log down/);
  });

  it("resolveAuthConfig refuses signals that are not an AuthSignals", () => {
    const signals = { userLoggedIn: [] } as unknown as AuthSignals;
    assert.throws(
      () => resolveAuthConfig({ backends: [model], secretKey: SECRET, signals }),
      ImproperlyConfigured,
    );
  });
});

describe("Signal", () => {
  it("awaits receivers in the order they connected; one connected twice runs once", async () => {
    const signal = new Signal<number>();
    const calls: string[] = [];
    const slow = async (n: number) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      calls.push(`slow ${n}`);
    };
    signal.connect(slow);
    signal.connect(slow);
    const disconnect = signal.connect((n) => {
      calls.push(`fast ${n}`);
    });
    await signal.send(1);
    disconnect();
    assert.equal(signal.disconnect(slow), true);
    assert.equal(signal.disconnect(slow), false);
    await signal.send(2);
    assert.deepEqual(calls, ["slow 1", "fast 1"]);
  });
});
