// Rotating the secret key with SWITCHBOARD_SECRET_KEY_FALLBACKS, as docs/security.md describes:
// the demo restarted on the same database with a new key keeps its users logged in.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { serve, silentLogger } from "switchboard";
import { createChat } from "./create-chat.js";
import { newSecretKey } from "./secret-key-file.js";
import { settingsFromEnv } from "./settings.js";
import { ChatClient } from "./testing/chat-client.js";

const PASSWORD = "correct horse battery";

describe("chat demo > secret key rotation", () => {
  const [OLD, NEW] = [newSecretKey(), newSecretKey()];
  let dir: string;
  let database: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "sb-chat-rotate-"));
    database = join(dir, "chat.sqlite3");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Runs the demo on the shared database with `env` while `use` runs, with a client per name
   * holding the cookies given; resolves those clients, with the cookies the demo left them.
   */
  async function withDemo<K extends string>(
    env: Record<string, string>,
    names: Record<K, ChatClient | null>,
    use: (clients: Record<K, ChatClient>) => Promise<void>,
  ): Promise<Record<K, ChatClient>> {
    const chat = await createChat(settingsFromEnv({ SWITCHBOARD_DB: database, ...env }));
    const server = await serve(chat.application, { port: 0, logger: silentLogger });
    try {
      const clients = {} as Record<K, ChatClient>;
      for (const name of Object.keys(names) as K[]) {
        clients[name] = new ChatClient(server.url);
        for (const [cookie, value] of names[name]?.cookies ?? []) {
          clients[name].cookies.set(cookie, value);
        }
      }
      await use(clients);
      return clients;
    } finally {
      await server.close({ timeoutMs: 1000 });
      await chat.close();
    }
  }

  async function whoami(client: ChatClient): Promise<string | number> {
    const response = await client.request("/whoami/");
    return response.status === 200 ? await response.text() : response.status;
  }

  test("keeps sessions made with the previous key while it is a fallback, and re-hashes them", async () => {
    const before = await withDemo(
      { SWITCHBOARD_SECRET_KEY: OLD },
      { ada: null, grace: null },
      async ({ ada, grace }) => {
        await ada.signup("ada", PASSWORD);
        await grace.signup("grace", PASSWORD);
      },
    );
    const rotating = { SWITCHBOARD_SECRET_KEY: NEW, SWITCHBOARD_SECRET_KEY_FALLBACKS: OLD };
    const during = await withDemo(rotating, { ada: before.ada }, async ({ ada }) => {
      assert.equal(await whoami(ada), "ada");
    });
    // With the fallback gone, the session that came back during the rotation is still logged in
    // (its hash was made again with the new key); the one that did not is anonymous.
    await withDemo(
      { SWITCHBOARD_SECRET_KEY: NEW },
      { ada: during.ada, grace: before.grace },
      async ({ ada, grace }) => {
        assert.equal(await whoami(ada), "ada");
        assert.equal(await whoami(grace), 403);
      },
    );
  });
});
