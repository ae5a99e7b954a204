/**
 * The package as `npm pack` makes it and users install it: its file list, its compiled `dist/`,
 * and the environment a process needs to load it as an installed package does.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { root } from "./processes.js";

const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** `env` (default: the test's) without the source condition scripts/test.js adds. */
export function installedEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const options = (env.NODE_OPTIONS ?? "")
    .split(" ")
    .filter((option) => option !== "" && option !== "--conditions=switchboard-source");
  return { ...env, NODE_OPTIONS: options.join(" ") };
}

/**
 * Compiles `src/` of the package at `dir` (default: this checkout) to its `dist/`, as `npm run
 * build`: the server, then the browser client with the DOM library and no Node types.
 */
export function buildDist(dir: string = root): void {
  for (const config of ["tsconfig.build.json", "tsconfig.client.json"]) {
    const build = spawnSync(process.execPath, [TSC, "-p", join(dir, config)], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.equal(build.status, 0, `tsc -p ${config} failed:\n${build.stdout}${build.stderr}`);
  }
}

/** The paths `npm pack` puts in the tarball, relative to the package root. */
export function packedFiles(): string[] {
  // --ignore-scripts: the file list does not need the build that `prepare` runs.
  const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
  });
  assert.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as [{ files: { path: string }[] }];
  return packed.files.map((file) => file.path);
}
