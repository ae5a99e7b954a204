/**
 * Every ```ts block in README.md and docs/*.md is a complete module that must type-check against
 * the real package, so no sample in the docs can rot. Blocks are written under test-output/ (inside
 * the package, so `import ... from "switchboard"` resolves to this checkout) and checked by tsc.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { it } from "node:test";

const root = new URL("../../", import.meta.url).pathname;
const outDir = join(root, "test-output", "doc-samples");

function markdownFiles(): string[] {
  const docs = join(root, "docs");
  const inDocs = readdirSync(docs)
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(docs, name));
  return [join(root, "README.md"), ...inDocs];
}

function samples(file: string): string[] {
  const blocks: string[] = [];
  const fence = /^```ts\n([\s\S]*?)^```$/gm;
  for (const match of readFileSync(file, "utf8").matchAll(fence)) blocks.push(match[1] ?? "");
  return blocks;
}

it("docs > every TypeScript sample in README.md and docs/ type-checks", () => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const file of markdownFiles()) {
    samples(file).forEach((code, index) => {
      const name = `${basename(file, ".md")}-${index + 1}.ts`;
      // `export {}` makes every sample a module, so top-level names never clash between samples.
      writeFileSync(join(outDir, name), `${code}\nexport {};\n`);
      written.push(name);
    });
  }
  assert.ok(written.length > 0, "no ```ts samples found in the docs");
  writeFileSync(
    join(outDir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.json",
      include: ["*.ts"],
      compilerOptions: { noUnusedLocals: false },
    }),
  );
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(outDir, "tsconfig.json")], {
    encoding: "utf8",
  });
  assert.equal(
    result.status,
    0,
    `doc samples do not type-check:\n${result.stdout}${result.stderr}`,
  );
});
