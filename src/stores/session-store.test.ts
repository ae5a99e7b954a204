// Runs the SessionStore contract against every store. Filter with STORES=memory,sqlite,postgres,redis.
import { storeSelected } from "../../test/support/databases.js";
import { SESSION_STORE_FIXTURES } from "../../test/support/session-store-fixtures.js";
import { sessionStoreContract } from "./session-store.contract.js";

for (const [name, kind] of Object.entries(SESSION_STORE_FIXTURES)) {
  if (storeSelected(name)) await sessionStoreContract(name, kind);
}
