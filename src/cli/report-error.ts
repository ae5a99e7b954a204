import { SwitchboardError } from "../errors.js";

/**
 * Prints why a command failed, on stderr. A {@link SwitchboardError} is a mistake the user can
 * fix (settings, a module path, a database not migrated or not reachable): its message alone,
 * since the stack and internal fields would only bury it; `verbose` (`--verbose`) adds the
 * stack and causes. Anything else is a bug in Switchboard or the CLI: its stack always, since
 * that is what a bug report needs.
 *
 * @example
 * ```ts
 * try {
 *   return await command(args);
 * } catch (error) {
 *   reportError(error, verbose);
 *   return 1;
 * }
 * ```
 */
export function reportError(error: unknown, verbose: boolean): void {
  if (!(error instanceof SwitchboardError)) {
    console.error(
      "Unexpected error: this is a bug in Switchboard, please report it with this output.",
    );
    console.error(error);
    return;
  }
  console.error(verbose ? error : error.message);
}
