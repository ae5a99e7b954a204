import type { User } from "../users/user.js";
import type { AuthBackend, Credentials } from "./auth-backend.js";
import { authConfigOf } from "./auth-config.js";
import type { LoginScope } from "./login.js";

/** Keys whose values a failed-login receiver must not see: Django's `SENSITIVE_CREDENTIALS`. */
const SENSITIVE = /api|token|key|secret|password|signature/i;
const CLEANSED = "********************";

function isBackendList(from: readonly AuthBackend[] | LoginScope): from is readonly AuthBackend[] {
  return Array.isArray(from);
}

function cleansed(credentials: Credentials): Credentials {
  return Object.fromEntries(
    Object.entries(credentials).map(([key, value]) => [
      key,
      SENSITIVE.test(key) ? CLEANSED : value,
    ]),
  );
}

/**
 * Tries each backend in order and returns the first user one accepts, marked with that backend's
 * name (`user.backend`) for `login` to store; `null` when none accepts.
 *
 * Given the scope, as Django's `authenticate(request, **credentials)` is given the request, it
 * tries the backends `authMiddleware` was configured with and, when none accepts, sends the
 * configured `signals.userLoginFailed` with the credentials cleansed of secrets. Given a list of
 * backends, it tries those and sends nothing.
 *
 * @example
 * ```ts
 * const user = await authenticate({ username, password }, this.scope);
 * if (user) await login(this.scope, user);
 * ```
 */
export async function authenticate(
  credentials: Credentials,
  from: readonly AuthBackend[] | LoginScope,
): Promise<User | null> {
  const config = isBackendList(from) ? null : authConfigOf(from, "authenticate()");
  const backends = config === null ? (from as readonly AuthBackend[]) : config.backends.values();
  for (const backend of backends) {
    const user = await backend.authenticate(credentials);
    if (user !== null) return user.withBackend(backend.name);
  }
  await config?.signals.userLoginFailed.send({
    credentials: cleansed(credentials),
    scope: from as LoginScope,
  });
  return null;
}
