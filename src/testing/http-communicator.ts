import { ProtocolError } from "../errors.js";
import type { Application, Headers, HttpScope } from "../types/asgi.js";
import { ApplicationCommunicator, DEFAULT_TIMEOUT_MS } from "./application-communicator.js";
import { checkBody, checkOptionalObject, checkString } from "./communicator-arguments.js";
import { connectionFields } from "./request-target.js";
import type { HeadersInit } from "./request-target.js";
import type { OptionalWhenEmpty } from "./scope-extras.js";

/** Scope fields the communicator fills with defaults that a test may override. */
type HttpScopeDefaults = Partial<
  Pick<HttpScope, "client" | "server" | "scheme" | "httpVersion" | "rootPath">
>;

/**
 * Extra scope fields of an {@link HttpCommunicator}: defaults to override, and fields the
 * application's scope type adds beyond `HttpScope`, which are required (see
 * {@link OptionalWhenEmpty}).
 */
export type HttpScopeExtras<S extends HttpScope = HttpScope> = HttpScopeDefaults &
  Omit<S, Exclude<keyof HttpScope, "urlRoute">>;

/** A complete response, its body chunks joined. */
export interface HttpTestResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

/**
 * Sends one HTTP request to an application in process and collects the response, as Channels'
 * `HttpCommunicator` does. The scope is built like the server's.
 *
 * @example
 * ```ts
 * const communicator = new HttpCommunicator(app, "POST", "/echo/?x=1", "hello");
 * const { status, body } = await communicator.getResponse();
 * assert.equal(body.toString(), "hello");
 * ```
 */
export class HttpCommunicator<S extends HttpScope = HttpScope> extends ApplicationCommunicator<S> {
  readonly #body: Uint8Array;

  constructor(
    application: Application<S>,
    method: string,
    path: string,
    body: string | Uint8Array = new Uint8Array(),
    headers?: HeadersInit,
    ...[extras]: OptionalWhenEmpty<HttpScopeExtras<S>>
  ) {
    checkString(method, "method", '"GET"');
    checkBody(body);
    checkOptionalObject(extras, "extras", '{ client: ["10.0.0.1", 1234] }');
    const scope = {
      type: "http",
      method: method.toUpperCase(),
      ...connectionFields(path, headers),
      scheme: "http",
      ...extras,
    } as HttpScope as S;
    super(application, scope);
    this.#body = typeof body === "string" ? Buffer.from(body) : body;
  }

  /** Sends the request body and waits for the whole response, each event within `timeoutMs`. */
  async getResponse(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<HttpTestResponse> {
    await this.sendInput({ type: "http.request", body: this.#body, moreBody: false });
    const start = await this.receiveOutput(timeoutMs);
    if (start.type !== "http.response.start") {
      throw new ProtocolError(`Expected http.response.start, got ${start.type}.`);
    }
    const chunks: Uint8Array[] = [];
    for (;;) {
      const event = await this.receiveOutput(timeoutMs);
      if (event.type !== "http.response.body") {
        throw new ProtocolError(`Expected http.response.body, got ${event.type}.`);
      }
      if (event.body) chunks.push(event.body);
      if (!event.moreBody) break;
    }
    return { status: start.status, headers: start.headers ?? [], body: Buffer.concat(chunks) };
  }
}
