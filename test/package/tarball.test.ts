// What `npm pack` puts in the tarball users install: the docs and the demo's sources travel with
// the code, so the README's links work from node_modules/switchboard and from the registry page.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { before, describe, test } from "node:test";
import { packedFiles } from "../support/packed-package.js";
import { root as ROOT } from "../support/processes.js";

/** Links into the repository's own tooling, which installers have no use for. */
const REPOSITORY_ONLY = /^bench\//;

describe("the npm tarball", () => {
  let files: Set<string>;
  before(() => {
    files = new Set(packedFiles());
  });

  test("holds every page of docs/, the chat demo's sources and the init template, without tests or test helpers", () => {
    for (const page of readdirSync(join(ROOT, "docs"))) {
      assert.ok(files.has(`docs/${page}`), `docs/${page}`);
    }
    for (const file of [
      "README.md",
      "examples/chat/README.md",
      "examples/chat/app.ts",
      // what `switchboard init` copies into a new project
      "templates/init/app.ts",
      "templates/init/tsconfig.json",
      "templates/init/README.md",
      "templates/init/gitignore",
    ]) {
      assert.ok(files.has(file), file);
    }
    assert.ok(files.has("examples/chat/static/chat.js"));
    const unwanted = [...files].filter(
      (file) => /\.test(-d)?\.ts$/.test(file) || file.startsWith("examples/chat/testing/"),
    );
    assert.deepEqual(unwanted, []);
  });

  test("every relative link in a packed Markdown page leads to a packed file", () => {
    const dead: string[] = [];
    for (const page of [...files].filter((file) => file.endsWith(".md"))) {
      const text = readFileSync(join(ROOT, page), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (target === undefined || /^[a-z]+:/i.test(target)) continue;
        const path = normalize(join(dirname(page), target));
        if (REPOSITORY_ONLY.test(path) || files.has(path)) continue;
        dead.push(`${page} → ${target}`);
      }
    }
    assert.deepEqual(dead, []);
  });
});
