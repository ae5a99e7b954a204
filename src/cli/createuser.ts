import { parseArgs } from "node:util";
import { Passwords } from "../auth/passwords.js";
import { UsernameTaken } from "../errors.js";
import { readPassword } from "./read-password.js";
import { withUsers } from "./with-users.js";

/**
 * `switchboard createuser --username U [--superuser] [--if-missing] [--database URL]`: creates a
 * user. The password is prompted twice without echo on a terminal, or read from the first line of
 * stdin when piped. `--superuser` makes the user staff and superuser; `--if-missing` succeeds
 * without change when the username exists (for provisioning scripts). Resolves the exit code.
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
  const { values } = parseArgs({
    args: [...args],
    options: {
      username: { type: "string" },
      superuser: { type: "boolean", default: false },
      "if-missing": { type: "boolean", default: false },
      database: { type: "string" },
    },
  });
  const username = values.username;
  if (username === undefined || username === "") {
    console.error("createuser needs --username NAME.");
    return 2;
  }
  return withUsers(args, async (users) => {
    if ((await users.getByUsername(username)) !== null) {
      if (values["if-missing"]) {
        log(`User "${username}" already exists; left unchanged.`);
        return 0;
      }
      console.error(
        `User "${username}" already exists. Use --if-missing to accept that, or changepassword.`,
      );
      return 1;
    }
    const password = await readPassword("Password: ");
    if (password === "") {
      console.error("The password is empty: a user needs one to log in.");
      return 1;
    }
    if (process.stdin.isTTY && (await readPassword("Password (again): ")) !== password) {
      console.error("The passwords do not match.");
      return 1;
    }
    const superuser = values.superuser;
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
      return values["if-missing"] ? 0 : 1;
    }
    log(`Created ${superuser ? "superuser" : "user"} "${user.username}" (id ${user.id}).`);
    return 0;
  });
}
