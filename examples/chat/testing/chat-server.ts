import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, silentLogger } from "switchboard";
import { createChat } from "../create-chat.js";
import { newSecretKey } from "../secret-key-file.js";
import { chatServeOptions, type ChatSettings } from "../settings.js";

/** The demo served in the test's own process, as {@link startChat} starts it. */
export interface ChatServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The auth log's lines so far. */
  readonly logged: readonly string[];
  /** Stops the server, closes the demo and removes its directory. */
  stop(): Promise<void>;
}

/**
 * The demo on a real port, in this process, with its own SQLite file and an in-memory channel
 * layer, served with the demo's own limits (lifted by `bench`, as `SWITCHBOARD_BENCH=1` does).
 */
export async function startChat({ bench = false } = {}): Promise<ChatServer> {
  const dir = mkdtempSync(join(tmpdir(), "sb-chat-"));
  const logged: string[] = [];
  const settings: ChatSettings = {
    database: join(dir, "chat.sqlite3"),
    secretKey: newSecretKey(),
    redisUrl: null,
    redisPrefix: "unused:",
    bench,
  };
  const chat = await createChat(settings, { log: (line) => logged.push(line) });
  const server = await serve(chat.application, {
    ...chatServeOptions(settings),
    port: 0,
    logger: silentLogger,
  });
  return {
    url: server.url,
    logged,
    async stop() {
      await server.close({ timeoutMs: 1000 });
      await chat.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
