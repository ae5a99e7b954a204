import { BackendUnavailable, ImproperlyConfigured } from "../errors.js";
import { RedisChannelLayer } from "../layers/redis-channel-layer.js";
import { REVOKE_GROUP, type RevokeMessage } from "../live/revoke-message.js";

/**
 * Sends one `auth.revoke` through the Redis channel layer the servers use, so they close the
 * sockets it names at once rather than at their next re-validation. For CLI commands, which
 * have no layer of their own. A Redis that cannot be reached throws {@link ImproperlyConfigured}
 * saying so (the change itself is done; the servers close the sockets at their next re-validation).
 *
 * @example
 * ```ts
 * await publishRevocation("redis://127.0.0.1:6379", "asgi:", { user: "42", reason: "password changed" });
 * ```
 */
export async function publishRevocation(
  redis: string,
  prefix: string,
  target: Omit<RevokeMessage, "type">,
): Promise<void> {
  // The failure is reported below as the command's one message; the outage line would repeat it.
  const layer = new RedisChannelLayer({ redis, prefix, logger: () => {} });
  try {
    await layer.groupSend<RevokeMessage>(REVOKE_GROUP, { type: "auth.revoke", ...target });
  } catch (error) {
    if (!(error instanceof BackendUnavailable)) throw error;
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    throw new ImproperlyConfigured(
      `The change is saved, but Redis (--redis) cannot be reached (${reason}) to close the user's open connections now: start Redis or check --redis (servers with liveSessions close them at their next re-validation).`,
      { cause: error },
    );
  } finally {
    await layer.close();
  }
}
