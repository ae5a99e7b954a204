/**
 * The `switchboard` command line: a table of commands, each loaded only when it runs so that
 * `serve` does not pay for the database drivers the user commands need.
 *
 * @example
 * ```sh
 * switchboard --help
 * switchboard serve app.ts --port 8080
 * ```
 * @module
 */

import { loadEnvFile } from "./env-file.js";
import { reportError } from "./report-error.js";

/** A command: receives the arguments after its name, resolves the process exit code. */
export type Command = (args: readonly string[]) => Promise<number>;

/** One row of {@link commands}: a one-line summary for `--help` and how to load the command. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

/**
 * Every command, by name. A new command is one line here.
 *
 * @example
 * ```ts
 * const run = await commands.serve!.load();
 * process.exitCode = await run(["app.ts", "--port", "8080"]);
 * ```
 */
export const commands: Readonly<Record<string, CommandEntry>> = {
  init: {
    summary: "Write a new project (app.ts, package.json, .env) into a new or empty directory",
    load: async () => (await import("./init.js")).init,
  },
  serve: {
    summary: "Serve a module's application over HTTP and WebSocket",
    load: async () => (await import("./serve.js")).serve,
  },
  migrate: {
    summary: "Create the user and session tables",
    load: async () => (await import("./migrate.js")).migrate,
  },
  createuser: {
    summary: "Create a user (password from the terminal or stdin)",
    load: async () => (await import("./createuser.js")).createuser,
  },
  changepassword: {
    summary: "Set a user's password",
    load: async () => (await import("./changepassword.js")).changepassword,
  },
  deactivateuser: {
    summary: "Make a user inactive (they can no longer log in)",
    load: async () => (await import("./deactivateuser.js")).deactivateuser,
  },
  clearsessions: {
    summary: "Delete expired sessions",
    load: async () => (await import("./clearsessions.js")).clearsessions,
  },
  worker: {
    summary: "Consume named channels with a module's application",
    load: async () => (await import("./worker.js")).worker,
  },
};

/** The `--help` text: usage and one line per command. */
export function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const rows = Object.entries(commands).map(
    ([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`,
  );
  return `Usage: switchboard <command> [options]\n\nCommands:\n${rows.join("\n")}\n\nRun "switchboard <command> --help" for a command's options; add --verbose to any command for the stack of an error.\nCommands read ./.env, if there is one; variables already set in the environment win.`;
}

/**
 * Runs the command `argv[0]` with the rest of `argv`, after loading `./.env` into `process.env`
 * (see {@link loadEnvFile}); resolves the exit code: the command's own,
 * 0 for `--help`, 2 for a missing or unknown command, 1 for a command that threw (see
 * {@link reportError}: a user's mistake is one message, `--verbose`, anywhere in `argv`, adds
 * the stack).
 *
 * @example
 * ```ts
 * process.exit(await main(process.argv.slice(2)));
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  const [name, ...args] = argv.filter((arg) => arg !== "--verbose");
  if (name === "--help" || name === "-h" || name === "help") {
    console.log(helpText());
    return 0;
  }
  if (name === undefined) {
    console.error(helpText());
    return 2;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (entry === undefined) {
    console.error(
      `Unknown command "${name}". Commands: ${Object.keys(commands).join(", ")}. Run "switchboard --help" for details.`,
    );
    return 2;
  }
  try {
    loadEnvFile(".env");
    const command = await entry.load();
    return await command(args);
  } catch (error) {
    reportError(error, verbose);
    return 1;
  }
}
