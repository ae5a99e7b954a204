// The TicketStore contract, run against every implementation. Filter with
// STORES=memory,sqlite,postgres,redis.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { storeSelected, TEST_DATABASES } from "../../test/support/databases.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "../../test/support/services.js";
import { InMemoryTicketStore } from "./in-memory-ticket-store.js";
import { RedisTicketStore } from "./redis-ticket-store.js";
import { SqlTicketStore } from "./sql-ticket-store.js";
import { openTicketData, sealTicketData } from "./ticket-sealing.js";
import { newTicket, ticketHash, type TicketStore } from "./ticket-store.js";

interface Fixture {
  store: TicketStore;
  /** Another store on the same backend, as a second process would have; absent in memory. */
  peer?: TicketStore;
  /** The names and values a dump of the backend shows. */
  dump(): Promise<string[]>;
  dispose(): Promise<void>;
}

async function sqlFixture(kind: "sqlite" | "postgres"): Promise<Fixture> {
  const { db, dispose } = await TEST_DATABASES[kind].open("tickets");
  const store = new SqlTicketStore(db);
  await store.migrate();
  await store.migrate(); // idempotent
  return {
    store,
    peer: new SqlTicketStore(db),
    async dump() {
      const rows = await db.query<{ ticket_hash: string; ticket_data: string }>(
        "SELECT ticket_hash, ticket_data FROM switchboard_tickets",
      );
      return rows.flatMap((row) => [row.ticket_hash, row.ticket_data]);
    },
    dispose,
  };
}

async function redisFixture(): Promise<Fixture> {
  const client = new Redis(REDIS_URL);
  const other = new Redis(REDIS_URL);
  const prefix = uniquePrefix("tickets");
  return {
    store: new RedisTicketStore({ client, prefix }),
    peer: new RedisTicketStore({ client: other, prefix }),
    async dump() {
      const keys = await client.keys(`${prefix}*`);
      const values = await Promise.all(keys.map((key) => client.get(key)));
      return [...keys, ...values.map(String)];
    },
    async dispose() {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await Promise.all([client.quit(), other.quit()]);
    },
  };
}

const KINDS: Record<string, { skip(): Promise<string | false>; open(): Promise<Fixture> }> = {
  memory: {
    skip: async () => false,
    async open() {
      const store = new InMemoryTicketStore();
      return { store, dump: async () => [], dispose: async () => {} };
    },
  },
  sqlite: { skip: () => TEST_DATABASES.sqlite.skip(), open: () => sqlFixture("sqlite") },
  postgres: { skip: () => TEST_DATABASES.postgres.skip(), open: () => sqlFixture("postgres") },
  redis: { skip: () => serviceSkip("redis"), open: redisFixture },
};

for (const [name, kind] of Object.entries(KINDS)) {
  if (!storeSelected(name)) continue;
  describe(`TicketStore (${name})`, { skip: await kind.skip() }, () => {
    let fixture: Fixture;
    before(async () => {
      fixture = await kind.open();
    });
    after(() => fixture.dispose());

    test("consume resolves the minted data once, then null", async () => {
      const ticket = await fixture.store.mint('{"user":1}', 10_000);
      assert.equal(await fixture.store.consume(ticket), '{"user":1}');
      assert.equal(await fixture.store.consume(ticket), null);
    });

    test("mint returns a distinct 43-character base64url ticket each time", async () => {
      const tickets = await Promise.all([1, 2, 3].map(() => fixture.store.mint("x", 10_000)));
      assert.equal(new Set(tickets).size, 3);
      for (const ticket of tickets) assert.match(ticket, /^[A-Za-z0-9_-]{43}$/);
    });

    test("consume resolves null for an unknown ticket", async () => {
      assert.equal(await fixture.store.consume("no-such-ticket"), null);
    });

    test("consume resolves null once the ticket expired", async () => {
      const ticket = await fixture.store.mint("soon gone", 30);
      await sleep(80);
      assert.equal(await fixture.store.consume(ticket), null);
    });

    test("of concurrent consumers exactly one gets the data", async () => {
      const ticket = await fixture.store.mint("once", 10_000);
      const stores = [fixture.store, fixture.peer ?? fixture.store];
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => stores[i % 2]!.consume(ticket)),
      );
      assert.deepEqual(
        results.filter((result) => result !== null),
        ["once"],
      );
    });

    test("a ticket minted by one store is redeemed once across stores on the same backend", async (t) => {
      if (fixture.peer === undefined) return t.skip("an in-memory store is one process");
      const ticket = await fixture.store.mint("shared", 10_000);
      assert.equal(await fixture.peer.consume(ticket), "shared");
      assert.equal(await fixture.store.consume(ticket), null);
    });

    test("the backend holds the ticket's hash and sealed data, never the ticket or the data", async () => {
      const data = '{"sessionKey":"abcdefghijklmnopqrstuvwxyz012345"}';
      const ticket = await fixture.store.mint(data, 10_000);
      const dump = await fixture.dump();
      assert.ok(dump.every((entry) => !entry.includes(ticket)));
      assert.ok(dump.every((entry) => !entry.includes("abcdefghijklmnopqrstuvwxyz012345")));
      if (name !== "memory") assert.ok(dump.some((entry) => entry.endsWith(ticketHash(ticket))));
    });

    test("clearExpired removes expired tickets and keeps live ones", async () => {
      const live = await fixture.store.mint("live", 10_000);
      await fixture.store.mint("dead", 1);
      await sleep(30);
      const removed = await fixture.store.clearExpired();
      if (name !== "redis") assert.ok(removed >= 1);
      assert.equal(await fixture.store.consume(live), "live");
    });
  });
}

describe("sealTicketData", () => {
  test("opens only with the ticket it was sealed under, and not once tampered with", () => {
    const ticket = newTicket();
    const sealed = sealTicketData(ticket, "the data");
    assert.equal(openTicketData(ticket, sealed), "the data");
    assert.equal(openTicketData(newTicket(), sealed), null);
    const tampered = Buffer.from(sealed, "base64url");
    tampered[tampered.length - 1]! ^= 1;
    assert.equal(openTicketData(ticket, tampered.toString("base64url")), null);
    assert.equal(openTicketData(ticket, "short"), null);
  });
});
