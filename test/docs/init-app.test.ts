// The README's quick start and docs/getting-started.md show the app.ts `switchboard init` writes,
// in full: a change to the template that the docs do not follow fails here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const template = read("templates/init/app.ts");

for (const page of ["README.md", "docs/getting-started.md"]) {
  it(`docs > ${page} shows templates/init/app.ts verbatim`, () => {
    const blocks = [...read(page).matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    assert.ok(
      blocks.includes(template),
      `${page} has no \`\`\`ts block equal to templates/init/app.ts: paste the template in again`,
    );
  });
}
