import { randomBytes } from "node:crypto";
import {
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const USAGE = "Usage: switchboard init <directory>";

// Two levels up from src/cli/ and from dist/cli/ alike: the installed package's root.
const PACKAGE_ROOT = new URL("../../", import.meta.url);
const TEMPLATE = new URL("templates/init/", PACKAGE_ROOT);

/** Template files by the name they get: npm leaves a `.gitignore` out of packages. */
const TEMPLATE_FILES: Readonly<Record<string, string>> = {
  "app.ts": "app.ts",
  "tsconfig.json": "tsconfig.json",
  "README.md": "README.md",
  gitignore: ".gitignore",
};

interface PackageJson {
  version: string;
  devDependencies: Record<string, string>;
}

/**
 * `switchboard init <directory>`: writes a runnable project into a new or empty directory — `app.ts`
 * (an HTTP login page, a page saying who is signed in, a WebSocket for signed-in users),
 * `package.json` depending on this version of Switchboard, a strict `tsconfig.json`, a `.env` with
 * a new random `SWITCHBOARD_SECRET_KEY`, `.gitignore` and `README.md` — and prints the next steps.
 * A non-empty directory is refused (exit 1); usage errors exit 2.
 *
 * @example
 * ```sh
 * npx switchboard init my-app && cd my-app && npm install && npm start
 * ```
 */
export async function init(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    log(USAGE);
    return 0;
  }
  const [given, ...extra] = parsed.positionals;
  if (given === undefined || given === "" || extra.length > 0) {
    console.error(`init takes exactly one directory, new or empty.\n${USAGE}`);
    return 2;
  }
  const dir = resolve(given);
  const refusal = whyNotUsable(dir, given);
  if (refusal !== null) {
    console.error(refusal);
    return 1;
  }
  try {
    writeProject(dir);
  } catch (error) {
    // A file system's refusal (permissions, a read-only disk) is the user's to fix; anything else is a bug.
    if (typeof (error as NodeJS.ErrnoException).code !== "string") throw error;
    console.error(`Cannot write the project into ${given}: ${(error as Error).message}`);
    return 1;
  }
  log(nextSteps(given));
  return 0;
}

/** Why `dir` cannot take a new project, or `null` when it is new or empty. */
function whyNotUsable(dir: string, given: string): string | null {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "ENOTDIR") return `${given} is a file: name a new or empty directory.`;
    return `Cannot read ${given}: ${(error as Error).message}`;
  }
  if (entries.length === 0) return null;
  const shown = entries.slice(0, 3).join(", ") + (entries.length > 3 ? ", ..." : "");
  return `${given} is not empty (${shown}): init writes only into a new or empty directory, so name another one.`;
}

function writeProject(dir: string): void {
  // Only the parents are made recursively: Node's recursive mkdir never returns where mkdir itself
  // fails with ENOENT under an existing directory (in /proc, say).
  if (!existsSync(dirname(dir))) mkdirSync(dirname(dir), { recursive: true });
  if (!existsSync(dir)) mkdirSync(dir);
  for (const [from, to] of Object.entries(TEMPLATE_FILES)) {
    copyFileSync(new URL(from, TEMPLATE), join(dir, to), constants.COPYFILE_EXCL);
  }
  const running = JSON.parse(readFileSync(new URL("package.json", PACKAGE_ROOT), "utf8"));
  const project = projectPackage(basename(dir), running as PackageJson);
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(project, null, 2)}\n`, { flag: "wx" });
  // The secret signs sessions: readable by its owner only, as SQLite files are.
  writeFileSync(join(dir, ".env"), envFile(), { flag: "wx", mode: 0o600 });
}

/** The project's package.json: an ES module package, on the Switchboard that wrote it. */
function projectPackage(dirName: string, running: PackageJson): object {
  return {
    name: packageName(dirName),
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      start: "switchboard migrate && switchboard serve app.ts",
      typecheck: "tsc --noEmit",
    },
    dependencies: { switchboard: `^${running.version}` },
    devDependencies: {
      "@types/node": running.devDependencies["@types/node"],
      typescript: running.devDependencies.typescript,
    },
    // better-sqlite3 compiles or downloads its native module; esbuild (under tsx) fetches its binary.
    allowScripts: { "better-sqlite3": true, esbuild: true },
    engines: { node: ">=20.12" },
  };
}

/** `dirName` as npm accepts a package name: lower case, URL-safe, no leading dot or underscore. */
function packageName(dirName: string): string {
  const name = dirName
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+/, "");
  return name === "" ? "switchboard-app" : name.slice(0, 214);
}

function envFile(): string {
  return `# Read by every switchboard command run in this directory; variables already set win.
# Keep it out of git (.gitignore lists it) and give production its own secret.
SWITCHBOARD_SECRET_KEY=${randomBytes(32).toString("base64url")}
SWITCHBOARD_DB=./switchboard.sqlite3
`;
}

function nextSteps(given: string): string {
  const cd = /^[\w./-]+$/.test(given) ? given : JSON.stringify(given);
  return `Created ${given}: app.ts, package.json, tsconfig.json, .env (with a new secret key), .gitignore, README.md.

Next steps:
  cd ${cd}
  npm install
  npm start                                    # migrates the database, serves http://127.0.0.1:8000/
  npx switchboard createuser --username alice  # in another terminal; then log in at /login/`;
}
