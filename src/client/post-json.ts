import { PostFailed } from "./errors.js";

/** What the client's `POST`s (tickets, hand-off) send besides the body. */
export interface PostOptions {
  /**
   * The page's CSRF token (the hidden `csrfmiddlewaretoken` field), sent as `X-CSRFToken`:
   * endpoints behind `csrfMiddleware` refuse unsafe methods without it.
   */
  csrfToken?: string;
  /** More request headers (a `cookie` header from Node, an `Authorization` header). */
  headers?: Record<string, string>;
}

type Failure = new (message: string, status: number) => PostFailed;

/**
 * `POST`s `body` as JSON with the page's cookies (same origin) and answers the response, or
 * throws the class `failureFor(status)` picks when it is not 2xx (status 0: no response at all).
 * `what` names the request in the message.
 */
export async function postJson(
  url: string,
  body: unknown,
  options: PostOptions,
  what: string,
  failureFor: (status: number) => Failure = () => PostFailed,
): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...(options.csrfToken === undefined ? {} : { "x-csrftoken": options.csrfToken }),
    ...options.headers,
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers,
      body: JSON.stringify(body),
    });
  } catch (cause) {
    const Failure = failureFor(0);
    throw Object.assign(new Failure(`${what}: no response from ${url} (${String(cause)}).`, 0), {
      cause,
    });
  }
  if (response.ok) return response;
  const Failure = failureFor(response.status);
  throw new Failure(`${what}: ${url} answered HTTP ${response.status}.`, response.status);
}
