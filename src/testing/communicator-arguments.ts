/**
 * Checks of what a test hands a communicator. A communicator is called from test code written
 * in a hurry, often from JavaScript, so a wrong argument is named here with what was expected
 * instead of surfacing later as a `TypeError` from deep inside the scope or the event.
 */
import { ImproperlyConfigured } from "../errors.js";

/**
 * A short description of `value` for an error message: strings quoted, arrays and `null` named.
 *
 * @example
 * ```ts
 * describeValue("x"); // '"x"'
 * describeValue([1]); // "an array"
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/**
 * Throws `ImproperlyConfigured` naming `name` unless `value` is a string.
 *
 * @example
 * ```ts
 * checkString(method, "method", '"GET"');
 * ```
 */
export function checkString(
  value: unknown,
  name: string,
  example: string,
): asserts value is string {
  if (typeof value !== "string") {
    throw new ImproperlyConfigured(
      `${name} must be a string such as ${example}, got ${describeValue(value)}.`,
    );
  }
}

/**
 * Throws `ImproperlyConfigured` unless `application` is a function, as every application is.
 *
 * @example
 * ```ts
 * checkApplication(EchoConsumer.asApp()); // ok
 * checkApplication(undefined);            // throws: application must be an application function
 * ```
 */
export function checkApplication(application: unknown): void {
  if (typeof application !== "function") {
    throw new ImproperlyConfigured(
      `application must be an application function (scope, receive, send), e.g. MyConsumer.asApp(), got ${describeValue(application)}.`,
    );
  }
}

/**
 * Throws `ImproperlyConfigured` naming `name` unless `value` is `undefined` or a plain object
 * (not `null`, not an array).
 *
 * @example
 * ```ts
 * checkOptionalObject(options, "options", "{ headers: { origin: \"https://example.com\" } }");
 * ```
 */
export function checkOptionalObject(value: unknown, name: string, example: string): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ImproperlyConfigured(
      `${name} must be an object such as ${example}, got ${describeValue(value)}.`,
    );
  }
}

/**
 * Throws `ImproperlyConfigured` naming `name` unless `value` is a finite, non-negative number of
 * milliseconds.
 *
 * @example
 * ```ts
 * checkTimeout(timeoutMs, "timeoutMs");
 * ```
 */
export function checkTimeout(value: unknown, name: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ImproperlyConfigured(
      `${name} must be a number of milliseconds, 0 or more, got ${describeValue(value)}.`,
    );
  }
}

/**
 * Throws `ImproperlyConfigured` unless `scope` is an object with a string `type`.
 *
 * @example
 * ```ts
 * checkScope({ type: "http", path: "/" }); // ok
 * checkScope({ path: "/" });               // throws: scope must be an object with a string "type"
 * ```
 */
export function checkScope(scope: unknown): void {
  if (
    typeof scope !== "object" ||
    scope === null ||
    typeof (scope as { type?: unknown }).type !== "string"
  ) {
    throw new ImproperlyConfigured(
      `scope must be an object with a string "type", e.g. { type: "http", ... }, got ${describeValue(scope)}.`,
    );
  }
}

/**
 * Throws `ImproperlyConfigured` unless `body` is a string or bytes, as an HTTP body is given.
 *
 * @example
 * ```ts
 * checkBody("hello"); // ok
 * checkBody(5);       // throws: body must be a string or a Uint8Array
 * ```
 */
export function checkBody(body: unknown): void {
  if (!(typeof body === "string" || body instanceof Uint8Array)) {
    throw new ImproperlyConfigured(
      `body must be a string or a Uint8Array (a Buffer is one), got ${describeValue(body)}.`,
    );
  }
}

/**
 * Throws `ImproperlyConfigured` unless `subprotocols` is an array of strings.
 *
 * @example
 * ```ts
 * checkSubprotocols(["chat.v1"]); // ok
 * checkSubprotocols("chat.v1");   // throws: options.subprotocols must be an array of strings
 * ```
 */
export function checkSubprotocols(subprotocols: unknown): void {
  if (!Array.isArray(subprotocols) || !subprotocols.every((name) => typeof name === "string")) {
    throw new ImproperlyConfigured(
      `options.subprotocols must be an array of strings such as ["chat.v1"], got ${describeValue(subprotocols)}.`,
    );
  }
}

/**
 * `data` as JSON text for `sendJsonTo()`; throws `ImproperlyConfigured` when it has no JSON form.
 *
 * @example
 * ```ts
 * jsonText({ a: 1 });  // '{"a":1}'
 * jsonText(undefined); // throws: sendJsonTo() data must be JSON-serialisable
 * ```
 */
export function jsonText(data: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (cause) {
    throw new ImproperlyConfigured(
      "sendJsonTo() data must be JSON-serialisable; it has a cycle or a BigInt.",
      { cause },
    );
  }
  if (text === undefined) {
    throw new ImproperlyConfigured(
      `sendJsonTo() data must be JSON-serialisable, got ${describeValue(data)}, which has no JSON form.`,
    );
  }
  return text;
}

/** A client frame as {@link checkFrame} returns it: exactly one of text and bytes. */
export type ClientFrame = { text: string } | { bytes: Uint8Array };

/**
 * The frame `sendTo()` was given, checked and with nothing else on it: `{ text }` (an empty
 * string is an empty text frame) or `{ bytes }`. Throws `ImproperlyConfigured` saying what is
 * missing or wrong.
 *
 * @example
 * ```ts
 * checkFrame({ text: "" }); // { text: "" }
 * checkFrame({});           // throws: the frame carries neither text nor bytes
 * ```
 */
export function checkFrame(frame: unknown): ClientFrame {
  if (typeof frame !== "object" || frame === null || Array.isArray(frame)) {
    throw new ImproperlyConfigured(
      `sendTo() needs a frame, { text: string } or { bytes: Uint8Array }, got ${describeValue(frame)}.`,
    );
  }
  const { text, bytes } = frame as { text?: unknown; bytes?: unknown };
  if (text !== undefined && bytes !== undefined) {
    throw new ImproperlyConfigured(
      "sendTo() frame carries both text and bytes; a WebSocket frame is one or the other.",
    );
  }
  if (text !== undefined) {
    if (typeof text !== "string") {
      throw new ImproperlyConfigured(
        `sendTo() frame.text must be a string, got ${describeValue(text)}; send binary data as { bytes }.`,
      );
    }
    return { text };
  }
  if (bytes !== undefined) {
    if (!(bytes instanceof Uint8Array)) {
      throw new ImproperlyConfigured(
        `sendTo() frame.bytes must be a Uint8Array (a Buffer is one), got ${describeValue(bytes)}.`,
      );
    }
    return { bytes };
  }
  throw new ImproperlyConfigured(
    'sendTo() frame carries neither text nor bytes: send { text: "" } for an empty text frame or { bytes: new Uint8Array() } for an empty binary one.',
  );
}
