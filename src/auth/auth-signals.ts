import type { User } from "../users/user.js";
import type { Credentials } from "./auth-backend.js";
import type { LoginScope } from "./login.js";
import { Signal } from "./signal.js";

/**
 * What {@link AuthSignals.userLoggedIn} receivers get: the user `login` put on `scope.user`.
 *
 * @example
 * ```ts
 * const greet = ({ user }: UserLoggedIn) => console.log(`${user.username} logged in`);
 * ```
 */
export interface UserLoggedIn {
  user: User;
  scope: LoginScope;
}

/**
 * What {@link AuthSignals.userLoggedOut} receivers get: the user that was logged in, or `null`
 * when the scope held none or the anonymous user (as Django sends `user=None`).
 *
 * @example
 * ```ts
 * const bye = ({ user }: UserLoggedOut) => console.log(`${user?.username ?? "nobody"} left`);
 * ```
 */
export interface UserLoggedOut {
  user: User | null;
  scope: LoginScope;
}

/**
 * What {@link AuthSignals.userLoginFailed} receivers get: the credentials `authenticate` was
 * given, with the value of every key that looks secret (`password`, `token`, `key`, `secret`,
 * `api`, `signature`, in any case and anywhere in the name) replaced by `"********************"`,
 * as Django's `user_login_failed` does.
 *
 * @example
 * ```ts
 * const warn = ({ credentials }: UserLoginFailed) => console.warn("failed login", credentials.username);
 * ```
 */
export interface UserLoginFailed {
  credentials: Credentials;
  scope: LoginScope;
}

/**
 * Django's `user_logged_in`, `user_logged_out` and `user_login_failed`, held by one object you
 * pass to `authMiddlewareStack` / `authMiddleware` as `signals`, so two applications in one
 * process keep their own receivers. `login` sends `userLoggedIn` once the user is on the scope,
 * `logout` sends `userLoggedOut` before the session is flushed (receivers can still read it), and
 * `authenticate(credentials, scope)` sends `userLoginFailed` when no backend accepts.
 *
 * @example
 * ```ts
 * const signals = new AuthSignals();
 * signals.userLoggedIn.connect(({ user }) => console.log(`login ${user.username}`));
 * signals.userLoginFailed.connect(({ credentials }) => console.warn("failed", credentials));
 * const app = authMiddlewareStack(inner, { store, backends, secretKey, signals });
 * ```
 */
export class AuthSignals {
  readonly userLoggedIn = new Signal<UserLoggedIn>();
  readonly userLoggedOut = new Signal<UserLoggedOut>();
  readonly userLoginFailed = new Signal<UserLoginFailed>();
}
