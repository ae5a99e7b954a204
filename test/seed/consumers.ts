/**
 * The seed's consumers (seed/channels-authentication.md), in TypeScript. Each reads or changes
 * `this.scope.user` exactly as the Python blocks do with `self.scope["user"]`.
 */
import { authenticate } from "../../src/auth/authenticate.js";
import type { AuthBackend } from "../../src/auth/auth-backend.js";
import type { AuthScope } from "../../src/auth/auth-middleware-stack.js";
import { login } from "../../src/auth/login.js";
import { logout } from "../../src/auth/logout.js";
import { WebsocketConsumer, type WebsocketFrame } from "../../src/consumers/websocket-consumer.js";
import type { WebsocketScope } from "../../src/types/asgi.js";
import type { User } from "../../src/users/user.js";

type Scope = WebsocketScope & AuthScope;

/** Seed: `self.user = self.scope["user"]` — and refuse anonymous connections (HTTP 403). */
export class ChatConsumer extends WebsocketConsumer<Scope> {
  override async connect() {
    const user = this.scope.user;
    if (!user.isAuthenticated) return this.close();
    await this.accept();
    await this.send({ text: `hello ${user.username}` });
  }
}

/** Credentials arrive as `{"username": ..., "password": ...}` text frames. */
function credentials(frame: WebsocketFrame): Record<string, unknown> {
  return frame.text === undefined ? {} : (JSON.parse(frame.text) as Record<string, unknown>);
}

/**
 * Tells the client the outcome and the session key to send as its `sessionid` cookie: a socket
 * cannot set a cookie (Channels #1453), so the client stores it itself.
 */
function outcome(scope: Scope, user: User | null): WebsocketFrame {
  return {
    text: JSON.stringify({ user: user?.username ?? null, sessionKey: scope.session.sessionKey }),
  };
}

/** The login and logout consumers, authenticating against `backends`. */
export function loginConsumers(backends: readonly AuthBackend[]) {
  /** Seed: `AsyncChatConsumer.receive` → `await login(self.scope, user)`, then save the session. */
  class AsyncLoginConsumer extends WebsocketConsumer<Scope> {
    override async receive(frame: WebsocketFrame) {
      const user = await authenticate(credentials(frame), backends);
      if (user !== null) {
        await login(this.scope, user);
        await this.scope.session.save();
      }
      await this.send(outcome(this.scope, user));
    }
  }

  /**
   * Seed: `SyncChatConsumer.receive` with `async_to_sync(login)(...)` and `session.save()`. Node has
   * no threads to block, so the plain handler returns the chain and the consumer awaits it before
   * the next event, which is the ordering `async_to_sync` gave.
   */
  class SyncLoginConsumer extends WebsocketConsumer<Scope> {
    override receive(frame: WebsocketFrame) {
      return authenticate(credentials(frame), backends).then((user) =>
        (user === null
          ? Promise.resolve()
          : login(this.scope, user).then(() => this.scope.session.save())
        ).then(() => this.send(outcome(this.scope, user))),
      );
    }
  }

  /** Seed: `channels.auth.logout(scope)` on request; the socket stays open, now anonymous. */
  class LogoutConsumer extends WebsocketConsumer<Scope> {
    override async receive() {
      await logout(this.scope);
      await this.send({ text: this.scope.user.isAuthenticated ? "still here" : "logged out" });
    }
  }

  return { AsyncLoginConsumer, SyncLoginConsumer, LogoutConsumer };
}
