/**
 * The chat demo's entry point: `switchboard serve examples/chat/app.ts` (`npm start`). Configured
 * from the environment, see `settings.ts`; with no setup it keeps everything in
 * `./switchboard.sqlite3` and serves one process.
 */
import { createChat } from "./create-chat.js";
import { chatServeOptions, settingsFromEnv } from "./settings.js";

const settings = settingsFromEnv();
const chat = await createChat(settings);

export const application = chat.application;
/** Limits, allowed hosts and live sessions, which `switchboard serve` passes to the server. */
export const serveOptions = chatServeOptions(settings);
