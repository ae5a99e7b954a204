import { logout } from "switchboard";
import { PageConsumer } from "./page-consumer.js";

/**
 * `POST /logout/`: flushes the session, so its cookie is deleted and every socket opened with it
 * later is anonymous. A `POST` behind the CSRF check, so another site cannot log a user out.
 */
export class LogoutConsumer extends PageConsumer {
  override async post(): Promise<void> {
    await logout(this.scope);
    await this.redirect("/login/");
  }
}
