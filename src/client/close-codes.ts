/** Close code of a connection lost without a close frame, and of every refused handshake. */
export const ABNORMAL_CLOSURE = 1006;

/**
 * Why the client does not reconnect after the server closed with `code`, or `null` when it
 * should. 4000–4999 are the application's own codes (Switchboard's live sessions: 4001 session
 * ended, 4002 credentials changed, 4003 expired, 4004 too many sockets, 4429 too many messages)
 * and 1008 is a policy violation: the server decided about this client, and the same request
 * would get the same answer. 1000 means the server finished the conversation.
 */
export function refusalOf(code: number): "refused" | "finished" | null {
  if (code === 1008 || (code >= 4000 && code <= 4999)) return "refused";
  return code === 1000 ? "finished" : null;
}
