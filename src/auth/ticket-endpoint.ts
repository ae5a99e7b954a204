import { headerValue, originIsHost } from "../security/origin-validator.js";
import { readBody } from "../security/read-body.js";
import type { Headers, HttpScope, Receive, Send } from "../types/asgi.js";

const LIMIT = 4096;

/**
 * The request checks shared by the ticket and hand-off endpoints: `POST` only (405), a present
 * `Origin` must be this host (403) and, when `json` is set, the body must be sent as
 * `application/json` (415), which no cross-site form or `no-cors` fetch can do. Answers the
 * refusal itself and resolves `null`, or resolves the body.
 */
export async function acceptPost(
  scope: HttpScope,
  receive: Receive,
  send: Send,
  json: boolean,
): Promise<Buffer | null> {
  if (scope.method !== "POST") {
    await sendJson(send, 405, { error: "Use POST." }, [["allow", "POST"]]);
    return null;
  }
  const origin = headerValue(scope.headers, "origin");
  if (origin !== undefined && !originIsHost(origin, scope.headers)) {
    await sendJson(send, 403, { error: "Cross-origin request refused." });
    return null;
  }
  const type = headerValue(scope.headers, "content-type") ?? "";
  if (json && !/^application\/json\s*(;|$)/i.test(type)) {
    await sendJson(send, 415, { error: "Send the body as application/json." });
    return null;
  }
  const body = await readBody(receive, LIMIT);
  if (body === null) await sendJson(send, 413, { error: "Body too large." });
  return body;
}

/** Answers with `value` as JSON, never cached. */
export async function sendJson(
  send: Send,
  status: number,
  value: unknown,
  headers: Headers = [],
): Promise<void> {
  await send({
    type: "http.response.start",
    status,
    headers: [["content-type", "application/json"], ["cache-control", "no-store"], ...headers],
  });
  await send({ type: "http.response.body", body: Buffer.from(JSON.stringify(value)) });
}
