import { parseArgs, type ParseArgsConfig } from "node:util";

/** A user command's parsed arguments. */
export interface CommandArgs {
  /** The value of a string option, if given. */
  string(name: string): string | undefined;
  /** Whether a boolean option was given. */
  flag(name: string): boolean;
  positionals: string[];
}

/**
 * Parses a user command's arguments with `--database URL` and `--help` added. Resolves the exit
 * code to stop with instead when `--help` printed `usage` (0), or an unknown or malformed option
 * was printed with `usage` (2).
 *
 * @example
 * ```ts
 * const parsed = parseCommandArgs(args, { superuser: { type: "boolean" } }, USAGE);
 * if (typeof parsed === "number") return parsed;
 * parsed.flag("superuser");
 * ```
 */
export function parseCommandArgs(
  args: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  usage: string,
): CommandArgs | number {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, database: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help === true) {
    console.log(usage);
    return 0;
  }
  return {
    string: (name) => (typeof values[name] === "string" ? values[name] : undefined),
    flag: (name) => values[name] === true,
    positionals,
  };
}
