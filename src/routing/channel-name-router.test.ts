import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ImproperlyConfigured, InvalidChannelName, UnknownScopeType } from "../errors.js";
import { ApplicationCommunicator, HttpCommunicator } from "../testing/index.js";
import type { Application, ChannelScope, Scope } from "../types/asgi.js";
import { channelNameRouter } from "./channel-name-router.js";

describe("channelNameRouter", () => {
  test("hands a channel scope to the application named by scope.channel", async () => {
    const seen: string[] = [];
    const record =
      (label: string): Application<ChannelScope> =>
      async (scope) => {
        seen.push(`${label}:${scope.channel}`);
      };
    const router = channelNameRouter({ thumbnails: record("t"), "mail.send": record("m") });
    await new ApplicationCommunicator(router, { type: "channel", channel: "mail.send" }).wait();
    await new ApplicationCommunicator(router, { type: "channel", channel: "thumbnails" }).wait();
    assert.deepEqual(seen, ["m:mail.send", "t:thumbnails"]);
  });

  test("throws ImproperlyConfigured naming an unrouted channel and the configured ones", async () => {
    const router = channelNameRouter({ thumbnails: async () => {} });
    const communicator = new ApplicationCommunicator(router, { type: "channel", channel: "other" });
    await assert.rejects(communicator.wait(), (error: unknown) => {
      assert.ok(error instanceof ImproperlyConfigured);
      assert.match(error.message, /channel "other" \(configured: thumbnails\)/);
      return true;
    });
  });

  test("refuses scopes that are not channel scopes with UnknownScopeType", async () => {
    const router = channelNameRouter({ thumbnails: async () => {} });
    const communicator = new HttpCommunicator(router as Application<Scope>, "GET", "/");
    await assert.rejects(communicator.getResponse(), UnknownScopeType);
  });

  test("rejects invalid channel names when built", () => {
    assert.throws(() => channelNameRouter({ "bad name": async () => {} }), InvalidChannelName);
  });
});
