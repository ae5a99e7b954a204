// Runs every *.test.ts under src/, test/ and examples/ with Node's own test runner.
// Node 20's runner does not expand globs, so the file list is gathered here.
// Pass file paths to run only those: `npm test -- src/routing/url-router.test.ts`.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = ["src", "test", "examples"];

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules") continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) collect(full, out);
    else if (name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args : roots.flatMap((root) => collect(root, [])).sort();
// Tests run the TypeScript sources: "switchboard" and the CLI resolve to src/ under this
// condition, here and (through NODE_OPTIONS) in every process a test starts. The compiled dist/
// has its own test, test/package/dist.test.ts.
const env = {
  ...process.env,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, "--conditions=switchboard-source"]
    .filter(Boolean)
    .join(" "),
};
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-concurrency=2",
    "--test-timeout=120000",
    "--test-reporter=spec",
    ...files,
  ],
  { stdio: "inherit", env },
);
process.exit(result.status ?? 1);
