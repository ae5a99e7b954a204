import { ImproperlyConfigured } from "../errors.js";

/**
 * Loads `path` (a project's `.env`, as `switchboard init` writes it) into `process.env`, leaving
 * variables already set as they are, so the environment (a deployment's, a shell's `FOO=bar
 * switchboard ...`) overrides the file. Resolves whether a file was read: none is no error, since
 * settings may come from the environment alone.
 *
 * @example
 * ```ts
 * loadEnvFile(".env");
 * const url = process.env.SWITCHBOARD_DB;
 * ```
 */
export function loadEnvFile(path: string): boolean {
  try {
    process.loadEnvFile(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new ImproperlyConfigured(`Cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
