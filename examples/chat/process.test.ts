import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ChatClient } from "./testing/chat-client.js";
import { runCli, startDemo, type DemoProcess } from "./testing/demo-process.js";

describe("the demo as `switchboard serve examples/chat/app.ts` with no setup", () => {
  let demo: DemoProcess;
  before(async () => {
    demo = await startDemo({
      env: { REDIS_URL: undefined, SWITCHBOARD_DB: undefined, SWITCHBOARD_SECRET_KEY: undefined },
    });
  });
  after(() => demo?.stop());

  test("keeps its database and a 0600 secret key file in the working directory", () => {
    assert.ok(existsSync(join(demo.dir, "switchboard.sqlite3")));
    const key = join(demo.dir, "switchboard.sqlite3-secret-key");
    assert.equal(statSync(key).mode & 0o777, 0o600);
  });

  test("`switchboard createuser --if-missing` with the password on stdin makes a user who can log in", async () => {
    const created = await runCli(["createuser", "--username", "ops", "--if-missing"], {
      cwd: demo.dir,
      input: "s3cret-passw0rd\n",
    });
    assert.equal(created.code, 0, created.output);
    const again = await runCli(["createuser", "--username", "ops", "--if-missing"], {
      cwd: demo.dir,
      input: "ignored\n",
    });
    assert.equal(again.code, 0, again.output);
    const client = new ChatClient(demo.url);
    const response = await client.post("/login/", { username: "ops", password: "s3cret-passw0rd" });
    assert.equal(response.status, 200);
  });

  test("sessions survive a restart", async () => {
    const client = new ChatClient(demo.url);
    await client.signup("survivor", "long enough password");
    await demo.restart();
    assert.equal(await (await client.request("/whoami/")).text(), "survivor");
  });
});
