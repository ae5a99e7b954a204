/**
 * The chat demo's entry point: `switchboard serve examples/chat/app.ts` (`npm start`). Configured
 * from the environment, see `settings.ts`; with no setup it keeps everything in
 * `./switchboard.sqlite3` and serves one process.
 */
import { createChat } from "./create-chat.js";
import { settingsFromEnv } from "./settings.js";

const chat = await createChat(settingsFromEnv());

export const application = chat.application;
