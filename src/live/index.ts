export { LIVE_SESSION_CLOSE_CODES } from "./live-close-codes.js";
export { LiveSessions } from "./live-sessions.js";
export type { LiveSessionsOptions } from "./live-sessions.js";
export { liveSessionsOf, withoutLiveSession } from "./without-live-session.js";
export { REVOKE_GROUP } from "./revoke-message.js";
export type { RevokeMessage } from "./revoke-message.js";
