/**
 * The SessionStore contract: what every store must do, directly and through `Session`, in one
 * file per area (`session-store-*.contract.ts`). `session-store.test.ts` runs it against each
 * store in `test/support/session-store-fixtures.ts`; a new store adds one entry there.
 */
import { after, before, describe } from "node:test";
import type {
  SessionStoreFixture,
  SessionStoreFixtureKind,
} from "../../test/support/session-store-fixtures.js";
import { sessionStoreExpiryContract } from "./session-store-expiry.contract.js";
import { sessionStoreFailuresContract } from "./session-store-failures.contract.js";
import { sessionStoreKeysContract } from "./session-store-keys.contract.js";
import { sessionStoreLifecycleContract } from "./session-store-lifecycle.contract.js";

/** The fixture the suite opened for the store under test; one per store, shared by its tests. */
export type CurrentFixture = () => SessionStoreFixture;

/**
 * Registers the contract tests for one store under `describe(\`SessionStore contract: ${name}\`)`.
 *
 * @example
 * ```ts
 * await sessionStoreContract("memory", SESSION_STORE_FIXTURES.memory);
 * ```
 */
export async function sessionStoreContract(
  name: string,
  kind: SessionStoreFixtureKind,
): Promise<void> {
  describe(`SessionStore contract: ${name}`, { skip: await kind.skip() }, () => {
    let fixture: SessionStoreFixture;
    before(async () => {
      fixture = await kind.open();
    });
    after(() => fixture.dispose());
    const current: CurrentFixture = () => fixture;

    sessionStoreLifecycleContract(current);
    sessionStoreExpiryContract(current, kind);
    sessionStoreKeysContract(current, name, kind);
    sessionStoreFailuresContract(current, kind);
  });
}
