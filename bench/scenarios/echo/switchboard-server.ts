/** The echo scenario on Switchboard: `serve` and a raw ASGI echo application. */
import { serve, silentLogger, type Application } from "switchboard";

const echo: Application = async (_scope, receive, send) => {
  await receive(); // websocket.connect
  await send({ type: "websocket.accept" });
  for (;;) {
    const event = await receive();
    if (event.type !== "websocket.receive") return;
    await send({ type: "websocket.send", text: event.text, bytes: event.bytes });
  }
};

export async function start(): Promise<number> {
  // access lines off: the raw server logs nothing either
  const server = await serve(echo, { host: "127.0.0.1", port: 0, logger: silentLogger });
  return server.port;
}
