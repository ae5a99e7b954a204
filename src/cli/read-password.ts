import type { ReadStream } from "node:tty";

/**
 * Reads a password for a CLI command: prompted without echo on a terminal, or the first line of
 * stdin when it is piped (`echo "$PW" | switchboard createuser --username ada`). Ctrl-C on the
 * prompt rejects.
 *
 * @example
 * ```ts
 * const password = await readPassword("Password: ");
 * ```
 */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return readFirstLine(stdin);
  return promptHidden(stdin as ReadStream, prompt);
}

async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) {
    text += chunk.toString();
    const end = text.indexOf("\n");
    if (end !== -1) return text.slice(0, end).replace(/\r$/, "");
  }
  return text.replace(/\r$/, "");
}

function promptHidden(stdin: ReadStream, prompt: string): Promise<string> {
  // Echo goes off before the prompt shows, so a password typed the moment it appears stays hidden.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(new Error("Cancelled."));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on("data", onData);
  });
}
