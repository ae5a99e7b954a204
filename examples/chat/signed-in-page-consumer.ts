import type { User } from "switchboard";
import type { PageScope } from "./chat-scope.js";
import { PageConsumer } from "./page-consumer.js";

/** Signed-in pages send anonymous visitors to the login form, which brings them back. */
export abstract class SignedInPageConsumer<
  S extends PageScope = PageScope,
> extends PageConsumer<S> {
  /** The signed-in user; else the visitor is sent to log in and `null` says the answer is sent. */
  protected async signedIn(): Promise<User | null> {
    const { user, path, queryString } = this.scope;
    if (user.isAuthenticated) return user;
    const here = path + (queryString ? `?${queryString}` : "");
    await this.sendResponse(302, "", [["location", `/login/?next=${encodeURIComponent(here)}`]]);
    return null;
  }
}
