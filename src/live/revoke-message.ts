import type { ChannelMessage } from "../types/asgi.js";

/** The group every server's live-session listener joins. */
export const REVOKE_GROUP = "switchboard.auth";

/**
 * The layer message that closes sockets on every process: those of one session (`session`, the
 * `sessionKeyHash` of its key) and/or of one user (`user`, the id as a string), except those of
 * the session `exceptSession` (a `sessionKeyHash` too). `code` defaults to 4001 for a session and
 * 4002 for a user; `reason` becomes the close reason (at most 123 bytes).
 *
 * @example
 * ```ts
 * await layer.groupSend(REVOKE_GROUP, { type: "auth.revoke", user: "42", reason: "account locked" });
 * ```
 */
export type RevokeMessage = {
  type: "auth.revoke";
  session?: string;
  user?: string;
  exceptSession?: string;
  code?: number;
  reason: string;
};

/** Whether a layer message is a well-formed {@link RevokeMessage}; others are ignored. */
export function isRevokeMessage(
  message: ChannelMessage,
): message is ChannelMessage & RevokeMessage {
  const { session, user, exceptSession, code, reason } = message as Partial<RevokeMessage>;
  return (
    message.type === "auth.revoke" &&
    (session === undefined || typeof session === "string") &&
    (user === undefined || typeof user === "string") &&
    (exceptSession === undefined || typeof exceptSession === "string") &&
    (code === undefined || (Number.isInteger(code) && code >= 4000 && code <= 4999)) &&
    typeof reason === "string" &&
    Buffer.byteLength(reason) <= 123
  );
}
