/**
 * The chat demo as `npm start` serves it (its application and its `serveOptions`), for
 * `harness/server-process.ts`: configured from the environment the soak gives it
 * (`SWITCHBOARD_DB` in a temporary directory, `SWITCHBOARD_BENCH=1`), on a free loopback port.
 */
import { serve } from "switchboard";
import { createChat } from "../../examples/chat/create-chat.js";
import { chatServeOptions, settingsFromEnv } from "../../examples/chat/settings.js";

export async function start(): Promise<number> {
  const settings = settingsFromEnv();
  const chat = await createChat(settings);
  const server = await serve(chat.application, {
    ...chatServeOptions(settings),
    host: "127.0.0.1",
    port: 0,
  });
  return server.port;
}
