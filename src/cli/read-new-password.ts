import { validatePassword } from "../auth/password-rules.js";
import { PasswordRejected } from "../errors.js";
import { readPassword } from "./read-password.js";

/**
 * Reads the new password of `username` for `createuser` and `changepassword`: prompted twice on a
 * terminal (`prompt`, then `again`), or the first line of piped stdin, and checked against the
 * default password rules (docs/auth.md#password-rules). Resolves `null` after printing why to
 * stderr when the two entries differ or a rule refuses the password.
 *
 * @example
 * ```ts
 * const password = await readNewPassword(username, "Password: ", "Password (again): ");
 * if (password === null) return 1;
 * ```
 */
export async function readNewPassword(
  username: string,
  prompt: string,
  again: string,
): Promise<string | null> {
  const password = await readPassword(prompt);
  if (process.stdin.isTTY && (await readPassword(again)) !== password) {
    console.error("The passwords do not match.");
    return null;
  }
  try {
    validatePassword(password, { username });
  } catch (error) {
    if (!(error instanceof PasswordRejected)) throw error;
    const lines = error.problems.map((problem) => `  - ${problem}`);
    console.error(`The password was refused:\n${lines.join("\n")}`);
    return null;
  }
  return password;
}
