import { StopConsumer } from "../errors.js";

// The stops the consumers throw and catch themselves as every connection ends. Nothing reports
// them, so each is built once and frozen, shared by every connection.

/** Ends a consumer whose client disconnected. */
export const CLIENT_DISCONNECTED = Object.freeze(new StopConsumer("The client disconnected."));

/** Ends an HTTP consumer once its response was sent. */
export const RESPONSE_SENT = Object.freeze(new StopConsumer("The response was sent."));

/** Abandons the read of a consumer's own channel once its connection ended. */
export const CONNECTION_ENDED = Object.freeze(
  new StopConsumer("The connection ended; its channel is no longer read."),
);
