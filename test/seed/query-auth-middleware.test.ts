// The seed's custom-authentication block: QueryAuthMiddleware, kept to show why it is insecure,
// beside tokenAuthMiddleware, which resists the same attack.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { UserScope } from "../../src/auth/auth-middleware.js";
import { createToken } from "../../src/auth/auth-token.js";
import { tokenAuthMiddleware } from "../../src/auth/token-auth-middleware.js";
import { WebsocketConsumer } from "../../src/consumers/websocket-consumer.js";
import { SqliteDatabase } from "../../src/stores/sqlite-database.js";
import { WebsocketCommunicator } from "../../src/testing/websocket-communicator.js";
import type { Application, WebsocketScope } from "../../src/types/asgi.js";
import { SqlUserStore } from "../../src/users/sql-user-store.js";
import type { User } from "../../src/users/user.js";
import { protocolTypeRouter } from "../../src/routing/protocol-type-router.js";
import { silentLogger } from "../../src/server/logger.js";
import { serve } from "../../src/server/serve.js";
import { queryAuthMiddleware } from "./query-auth-middleware.js";
import { openSocket } from "./ws-client.js";

const TOKEN_SECRET = "seed-token-secret-0123456789abcdefghij";

/** Seed: `self.user = self.scope["user"]`, reported to the client. */
class WhoAmIConsumer extends WebsocketConsumer<WebsocketScope & UserScope> {
  override async connect() {
    await this.accept();
    await this.send({ text: this.scope.user.username || "(anonymous)" });
  }
}

describe("seed replay: custom authentication (QueryAuthMiddleware)", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  let admin: User;
  let ada: User;
  before(async () => {
    await users.migrate();
    admin = await users.create({ username: "admin", passwordHash: "!", isSuperuser: true });
    ada = await users.create({ username: "ada", passwordHash: "!" });
  });
  after(() => db.close());

  async function whoConnects(app: Application<WebsocketScope>, path: string) {
    const communicator = new WebsocketCommunicator(app, path);
    await communicator.connect();
    const name = await communicator.receiveFrom();
    await communicator.disconnect();
    return name;
  }

  it("is insecure: anyone who edits ?id= becomes that user, the superuser included", async () => {
    const app = queryAuthMiddleware(users)<WebsocketScope>(WhoAmIConsumer.asApp());
    assert.equal(await whoConnects(app, `/?id=${ada.id}`), "ada");
    assert.equal(await whoConnects(app, `/?id=${admin.id}`), "admin");
  });

  it("tokenAuthMiddleware resists the same edit: a token names its user under a signature", async () => {
    const app = tokenAuthMiddleware({ secret: TOKEN_SECRET, users })<WebsocketScope>(
      WhoAmIConsumer.asApp(),
    );
    const token = createToken(ada, { secret: TOKEN_SECRET });
    assert.equal(await whoConnects(app, `/?token=${token}`), "ada");
    const edited = `${admin.id}${token.slice(String(ada.id).length)}`;
    assert.equal(await whoConnects(app, `/?token=${edited}`), "(anonymous)");
    assert.equal(await whoConnects(app, `/?id=${admin.id}`), "(anonymous)");
  });

  it("over a real socket, a client offering [access_token, token] is answered access_token", async () => {
    const app = tokenAuthMiddleware({ secret: TOKEN_SECRET, users })<WebsocketScope>(
      WhoAmIConsumer.asApp(),
    );
    const server = await serve(protocolTypeRouter({ websocket: app }), {
      port: 0,
      logger: silentLogger,
    });
    try {
      const url = server.url.replace(/^http/, "ws");
      const token = createToken(ada, { secret: TOKEN_SECRET });
      const { socket, protocol } = await openSocket(`${url}/`, undefined, ["access_token", token]);
      assert.ok(socket);
      assert.equal(protocol, "access_token");
      assert.equal(await socket.next(), "ada");
      await socket.close();
    } finally {
      await server.close();
    }
  });
});
