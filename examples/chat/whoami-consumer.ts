import { PageConsumer } from "./page-consumer.js";

/** `GET /whoami/`: the signed-in username as text, or 403 for an anonymous client. */
export class WhoamiConsumer extends PageConsumer {
  override async get(): Promise<void> {
    const { user } = this.scope;
    if (user.isAuthenticated) await this.sendText(200, user.username);
    else await this.sendText(403, "Not logged in.\n");
  }
}
