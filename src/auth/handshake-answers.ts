import type { HttpScope, Receive, Send, WebsocketScope } from "../types/asgi.js";

/** Picks `name` in the handshake answer unless the application chose a subprotocol itself. */
export function answerSubprotocol(send: Send, name: string): Send {
  return (event) =>
    send(
      event.type === "websocket.accept" && !event.subprotocol
        ? { ...event, subprotocol: name }
        : event,
    );
}

/**
 * Refuses a connection that brought no valid credential: a WebSocket handshake with HTTP 403 (a
 * close before accept), an HTTP request with 401 and `WWW-Authenticate: Bearer`.
 */
export async function refuseToken(
  scope: HttpScope | WebsocketScope,
  receive: Receive,
  send: Send,
): Promise<void> {
  if (scope.type === "websocket") {
    // Answer the handshake: a close before accept is refused with HTTP 403.
    const event = await receive();
    if (event.type === "websocket.connect") await send({ type: "websocket.close", code: 1008 });
    return;
  }
  await send({
    type: "http.response.start",
    status: 401,
    headers: [
      ["content-type", "text/plain; charset=utf-8"],
      ["www-authenticate", 'Bearer error="invalid_token"'],
    ],
  });
  await send({
    type: "http.response.body",
    body: Buffer.from("A valid access token is required.\n"),
  });
}
