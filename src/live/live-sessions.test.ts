import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InMemoryChannelLayer } from "../layers/in-memory-channel-layer.js";
import { LiveSessions } from "./live-sessions.js";
import type { LiveCheck, LiveConnection } from "./live-socket.js";

function connection(revalidate: () => Promise<LiveCheck>): LiveConnection {
  return { sessionHash: "h", userId: "1", expiresAt: new Date(Date.now() - 1), revalidate };
}

describe("LiveSessions", () => {
  test("does not schedule a socket again when it closed during its re-validation", async () => {
    const live = new LiveSessions({ channelLayer: null, expiryGranularityMs: 10 });
    let answer: (check: LiveCheck) => void = () => {};
    let asked = 0;
    const handle = live.add(
      connection(() => {
        asked++;
        return new Promise((resolve) => (answer = resolve));
      }),
      { revoke: () => assert.fail("not revoked") },
    );
    live.start();
    while (asked === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    live.remove(handle!);
    answer({ expiresAt: new Date(Date.now() - 1) });
    await new Promise((resolve) => setTimeout(resolve, 60));
    live.close();
    assert.equal(asked, 1);
    assert.equal(live.size, 0);
  });

  test("keeps a socket open while its store cannot answer, and asks again", async () => {
    const live = new LiveSessions({ channelLayer: null, expiryGranularityMs: 10 });
    let asked = 0;
    live.add(
      connection(() => {
        asked++;
        return Promise.reject(new Error("store down"));
      }),
      { revoke: () => assert.fail("a store that is down is not a logout") },
    );
    live.start();
    await new Promise((resolve) => setTimeout(resolve, 80));
    live.close();
    assert.ok(asked >= 2, `asked ${asked} times`);
    assert.equal(live.size, 1);
  });

  test("logs a layer that cannot carry revocations once, not once per revocation", async () => {
    class DownLayer extends InMemoryChannelLayer {
      override groupSend(): Promise<void> {
        return Promise.reject(new Error("layer down"));
      }
    }
    const lines: string[] = [];
    const live = new LiveSessions({
      channelLayer: new DownLayer(),
      logger: { info: (line) => lines.push(line) },
    });
    live.start();
    await live.revoke({ user: "1", reason: "one" });
    await live.revoke({ user: "1", reason: "two" });
    live.close();
    assert.equal(lines.filter((line) => line.includes("auth.revoke")).length, 1);
  });

  test("a revocation of a user closes the sockets of every session but exceptSession", async () => {
    const live = new LiveSessions({ channelLayer: null });
    const closed: string[] = [];
    for (const sessionHash of ["kept", "other", "kept", "another"]) {
      const socket = { revoke: (code: number) => closed.push(`${sessionHash} ${code}`) };
      live.add({ ...connection(() => assert.fail("not revalidated")), sessionHash }, socket);
    }
    await live.revoke({ user: "1", exceptSession: "kept", reason: "password changed" });
    assert.deepEqual(closed.sort(), ["another 4002", "other 4002"]);
    assert.equal(live.size, 2);
  });

  test("refuses a revocation whose reason does not fit a close frame", async () => {
    const live = new LiveSessions({ channelLayer: null });
    await assert.rejects(live.revoke({ user: "1", reason: "x".repeat(124) }), {
      code: "IMPROPERLY_CONFIGURED",
    });
  });
});
