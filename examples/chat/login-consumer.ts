import { authenticate, login } from "switchboard";
import { PageConsumer, safeNext } from "./page-consumer.js";
import { loginPage } from "./pages.js";

/**
 * `/login/`. A good `POST` logs in (the session middleware sets the `sessionid` cookie) and
 * answers 200, or 303 to `next` for a browser form; a bad one answers 403 with the form again and
 * sets no session cookie.
 */
export class LoginConsumer extends PageConsumer {
  override async get(): Promise<void> {
    const next = safeNext(this.query().get("next"));
    await this.sendHtml(200, loginPage(this.context(), { username: "", next, error: null }));
  }

  override async post(form: URLSearchParams): Promise<void> {
    const username = form.get("username") ?? "";
    const next = safeNext(form.get("next"));
    const credentials = { username, password: form.get("password") ?? "" };
    // Given the scope, authenticate tries the stack's backends and signals a failed login.
    const user = await authenticate(credentials, this.scope);
    if (user === null) {
      const error = "That username and password do not match an account.";
      await this.sendHtml(403, loginPage(this.context(), { username, next, error }));
      return;
    }
    await login(this.scope, user);
    if (this.wantsHtml()) await this.redirect(next);
    else await this.sendText(200, `Logged in as ${user.username}.\n`);
  }
}
