import type { LiveSessions } from "./live-sessions.js";

/**
 * Where the server puts its {@link LiveSessions} on every scope it builds, HTTP and WebSocket: a
 * symbol, so it travels through the `{ ...scope }` copies middleware make without colliding with
 * an application's field.
 */
export const LIVE_SESSIONS: unique symbol = Symbol("switchboard.liveSessions");

/** Where the server puts the {@link LiveSocket} of a WebSocket scope. */
export const LIVE_SOCKET: unique symbol = Symbol("switchboard.liveSocket");

/** What a re-validation found: still valid until `expiresAt`, or ended and why. */
export type LiveCheck = { expiresAt: Date | null } | { end: "session" | "credentials" };

/**
 * An authenticated socket as `authMiddleware` registers it: the session it was authenticated by
 * (the hash of the key, never the key), its user, when the session expires, and how to ask the
 * stores whether all of that still holds.
 */
export interface LiveConnection {
  readonly sessionHash: string;
  readonly userId: string;
  readonly expiresAt: Date | null;
  revalidate(): Promise<LiveCheck>;
}

/** The server's side of one WebSocket, as the application reaches it through the scope. */
export interface LiveSocket {
  /** Registers the socket; it stays registered until it closes or {@link optOut} is called. */
  register(connection: LiveConnection): void;
  /** Stops tracking the socket: it stays open whatever happens to its session. */
  optOut(): void;
}

/** What the registry closes: the socket closes with `code` and `reason` (now, or once accepted). */
export interface RevocableSocket {
  revoke(code: number, reason: string): void;
}

/** The fields the server adds to its scopes. */
export interface LiveScope {
  [LIVE_SESSIONS]?: LiveSessions;
  [LIVE_SOCKET]?: LiveSocket;
}
