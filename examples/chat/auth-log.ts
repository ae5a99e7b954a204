import { AuthSignals } from "switchboard";

/**
 * The demo's auth signals: every login, logout and failed login becomes one log line, as a
 * Django project would connect receivers to `user_logged_in`, `user_logged_out` and
 * `user_login_failed`. Failed credentials arrive with the password already cleansed.
 *
 * @example
 * ```ts
 * const signals = authLog(console.log);
 * ```
 */
export function authLog(log: (line: string) => void): AuthSignals {
  const signals = new AuthSignals();
  signals.userLoggedIn.connect(({ user }) => log(`auth: ${user.username} logged in`));
  signals.userLoggedOut.connect(({ user }) =>
    log(`auth: ${user?.username ?? "an anonymous user"} logged out`),
  );
  signals.userLoginFailed.connect(({ credentials }) =>
    log(`auth: login failed ${JSON.stringify(credentials)}`),
  );
  return signals;
}
