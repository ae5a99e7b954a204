import { HandoffFailed } from "./errors.js";
import { postJson, type PostOptions } from "./post-json.js";
import { resolveUrl } from "./urls.js";

/** Options of {@link exchangeHandoff}. */
export interface HandoffOptions extends PostOptions {
  /** The `sessionHandoffApp` endpoint. Default `"/session/handoff/"`. */
  url?: string;
  /** What a relative `url` is resolved against. Default: the page's address. */
  baseUrl?: string;
}

/**
 * Exchanges a hand-off token (from `sessionHandoff` on the server, sent over the socket after a
 * login there) for the new session cookie: the endpoint answers 204 with `Set-Cookie`, and the
 * page's next request is logged in. Throws `HandoffFailed` (a used, expired or unknown token
 * gets 400: log in again).
 */
export async function exchangeHandoff(token: string, options: HandoffOptions = {}): Promise<void> {
  const url = resolveUrl(options.url ?? "/session/handoff/", options.baseUrl, false);
  await postJson(url, { token }, options, "The session hand-off failed", () => HandoffFailed);
}
