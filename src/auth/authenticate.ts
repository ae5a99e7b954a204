import type { User } from "../users/user.js";
import type { AuthBackend, Credentials } from "./auth-backend.js";

/**
 * Tries each backend in order and returns the first user one accepts, marked with that backend's
 * name (`user.backend`) for `login` to store; `null` when none accepts.
 *
 * @example
 * ```ts
 * const user = await authenticate({ username, password }, [new ModelBackend({ users })]);
 * if (user) await login(scope, user);
 * ```
 */
export async function authenticate(
  credentials: Credentials,
  backends: readonly AuthBackend[],
): Promise<User | null> {
  for (const backend of backends) {
    const user = await backend.authenticate(credentials);
    if (user !== null) return user.withBackend(backend.name);
  }
  return null;
}
