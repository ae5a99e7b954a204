import { Passwords } from "../auth/passwords.js";
import { UsernameTaken } from "../errors.js";
import { readNewPassword } from "./read-new-password.js";
import { parseCommandArgs } from "./command-args.js";
import { withUsers } from "./with-users.js";

const USAGE =
  "Usage: switchboard createuser --username NAME [--superuser] [--if-missing] [--database URL]";

/**
 * `switchboard createuser --username U [--superuser] [--if-missing] [--database URL]`: creates a
 * user. The password is prompted twice without echo on a terminal, or read from the first line of
 * stdin when piped, and must pass the password rules (docs/auth.md#password-rules). `--superuser`
 * makes the user staff and superuser; `--if-missing` succeeds without change when the username
 * exists (for provisioning scripts). Resolves the exit code.
 *
 * @example
 * ```sh
 * printf '%s\n' "$ADMIN_PASSWORD" | switchboard createuser --username admin --superuser --if-missing
 * ```
 */
export async function createuser(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    {
      username: { type: "string" },
      superuser: { type: "boolean" },
      "if-missing": { type: "boolean" },
    },
    USAGE,
  );
  if (typeof parsed === "number") return parsed;
  const username = parsed.string("username");
  const superuser = parsed.flag("superuser");
  const ifMissing = parsed.flag("if-missing");
  if (username === undefined || username === "" || parsed.positionals.length > 0) {
    console.error(`createuser needs --username NAME and nothing else.\n${USAGE}`);
    return 2;
  }
  return withUsers(args, async (users) => {
    if ((await users.getByUsername(username)) !== null) {
      if (ifMissing) {
        log(`User "${username}" already exists; left unchanged.`);
        return 0;
      }
      console.error(
        `User "${username}" already exists. Use --if-missing to accept that, or changepassword.`,
      );
      return 1;
    }
    const password = await readNewPassword(username, "Password: ", "Password (again): ");
    if (password === null) return 1;
    let user;
    try {
      user = await users.create({
        username,
        passwordHash: await new Passwords().hash(password),
        isStaff: superuser,
        isSuperuser: superuser,
      });
    } catch (error) {
      // Someone created the same username while the password was being typed.
      if (!(error instanceof UsernameTaken)) throw error;
      console.error(error.message);
      return ifMissing ? 0 : 1;
    }
    log(`Created ${superuser ? "superuser" : "user"} "${user.username}" (id ${user.id}).`);
    return 0;
  });
}
