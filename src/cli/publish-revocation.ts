import { RedisChannelLayer } from "../layers/redis-channel-layer.js";
import { REVOKE_GROUP, type RevokeMessage } from "../live/revoke-message.js";

/**
 * Sends one `auth.revoke` through the Redis channel layer the servers use, so they close the
 * sockets it names at once rather than at their next re-validation. For CLI commands, which
 * have no layer of their own.
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
  const layer = new RedisChannelLayer({ redis, prefix });
  try {
    await layer.groupSend<RevokeMessage>(REVOKE_GROUP, { type: "auth.revoke", ...target });
  } finally {
    await layer.close();
  }
}
