/**
 * The smallest Switchboard application: a raw `(scope, receive, send)` function with no router or
 * consumer. `GET /` answers a page that talks to `/ws/echo/`, which echoes every text and binary
 * frame back.
 *
 *   node bin/switchboard.js serve examples/echo/app.ts
 *
 * @example
 * ```ts
 * import { serve } from "switchboard";
 * import { application } from "./examples/echo/app.js";
 * await serve(application, { port: 8000 });
 * ```
 * @module
 */
import type { Application, HttpScope, Receive, Send, WebsocketScope } from "switchboard";

const PAGE = Buffer.from(`<!doctype html>
<meta charset="utf-8">
<title>Switchboard echo</title>
<link rel="icon" href="data:,">
<h1>Echo</h1>
<form><input name="text" autofocus> <button>Send</button></form>
<pre id="log"></pre>
<script>
  const log = document.getElementById("log");
  const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/ws/echo/");
  ws.onmessage = (event) => (log.textContent += "< " + event.data + "\\n");
  ws.onclose = (event) => (log.textContent += "closed " + event.code + "\\n");
  document.forms[0].onsubmit = (event) => {
    event.preventDefault();
    ws.send(event.target.text.value);
    event.target.reset();
  };
</script>
`);

async function page(scope: HttpScope, _receive: Receive, send: Send): Promise<void> {
  const found = scope.path === "/" && (scope.method === "GET" || scope.method === "HEAD");
  await send({
    type: "http.response.start",
    status: found ? 200 : 404,
    headers: [["content-type", found ? "text/html; charset=utf-8" : "text/plain"]],
  });
  await send({ type: "http.response.body", body: found ? PAGE : Buffer.from("Not found") });
}

async function echo(scope: WebsocketScope, receive: Receive, send: Send): Promise<void> {
  await receive(); // websocket.connect
  if (scope.path !== "/ws/echo/") return send({ type: "websocket.close" });
  await send({ type: "websocket.accept" });
  for (;;) {
    const event = await receive();
    if (event.type !== "websocket.receive") return;
    await send({ type: "websocket.send", text: event.text, bytes: event.bytes });
  }
}

/** Serves the echo page over HTTP and echoes frames on `/ws/echo/`; other paths: 404 / 403. */
export const application: Application = async (scope, receive, send) => {
  if (scope.type === "http") return page(scope, receive, send);
  if (scope.type === "websocket") return echo(scope, receive, send);
  throw new Error(`The echo example serves http and websocket scopes, not "${scope.type}".`);
};
