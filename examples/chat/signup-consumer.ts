import { login, PasswordRejected, UsernameTaken, validatePassword, type User } from "switchboard";
import { PageConsumer, safeNext } from "./page-consumer.js";
import { signupPage } from "./pages.js";

/** Django's username rule: letters, digits and `@.+-_`, up to 150 characters. */
const USERNAME = /^[\w.@+-]{1,150}$/;

/** Why a sign-up form cannot be accepted, or `null` when it can. */
function signupError(username: string, password: string, again: string): string | null {
  if (!USERNAME.test(username)) {
    return "Usernames are 1 to 150 letters, digits or @ . + - _ characters.";
  }
  if (password !== again) return "The two passwords differ.";
  try {
    validatePassword(password, { username });
  } catch (error) {
    if (!(error instanceof PasswordRejected)) throw error;
    return error.message;
  }
  return null;
}

/** `/signup/`: creates the account, logs it in and goes on to `next`. */
export class SignupConsumer extends PageConsumer {
  override async get(): Promise<void> {
    const next = safeNext(this.query().get("next"));
    await this.sendHtml(200, signupPage(this.context(), { username: "", next, error: null }));
  }

  override async post(form: URLSearchParams): Promise<void> {
    const username = form.get("username") ?? "";
    const password = form.get("password") ?? "";
    const next = safeNext(form.get("next"));
    const { users, passwords } = this.scope.chat;
    let error = signupError(username, password, form.get("password2") ?? "");
    let user: User | null = null;
    if (error === null) {
      try {
        user = await users.create({ username, passwordHash: await passwords.hash(password) });
      } catch (cause) {
        if (!(cause instanceof UsernameTaken)) throw cause;
        error = "That username is taken; choose another.";
      }
    }
    if (user === null) {
      await this.sendHtml(400, signupPage(this.context(), { username, next, error }));
      return;
    }
    // The application has one backend, so login() records it as the one vouching for the user.
    await login(this.scope, user);
    await this.redirect(next);
  }
}
