import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { WebSocket } from "ws";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/switchboard.js");

describe("switchboard serve", () => {
  test("serves a TypeScript module's application and stops gracefully on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [BIN, "serve", "examples/echo/app.ts", "--host", "127.0.0.1", "--port", "0"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, "exit");
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
          if (match) resolve(match[1] as string);
        });
        void exited.then(() => reject(new Error(`serve exited early:\n${stdout}${stderr}`)));
      });
      assert.match(stdout, /Switchboard serving examples\/echo\/app\.ts at/);

      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>Switchboard echo<\/title>/);

      const ws = new WebSocket(`${url.replace("http", "ws")}/ws/echo/`);
      await once(ws, "open");
      ws.send("ping");
      const [reply] = (await once(ws, "message")) as [Buffer];
      assert.equal(reply.toString(), "ping");

      const wsClosed = once(ws, "close") as Promise<[number, Buffer]>;
      child.kill("SIGTERM");
      const [code] = await wsClosed;
      assert.equal(code, 1001);
      const [exitCode] = (await exited) as [number | null];
      assert.equal(exitCode, 0, stderr);
      assert.match(stdout, /SIGTERM received/);
      assert.match(stdout, /WS \/ws\/echo\/ accepted 1001/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  test("exits 1 with a clear message when the module has no application function", () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-serve-"));
    try {
      const module = join(dir, "no-app.mts");
      writeFileSync(module, "export const application: number = 42;\n");
      const result = spawnSync(process.execPath, [BIN, "serve", module, "--port", "0"], {
        encoding: "utf8",
      });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /has no "application" function export \(found: number\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("exits 2 on a port that is not a number", () => {
    const result = spawnSync(process.execPath, [BIN, "serve", "app.ts", "--port", "http"], {
      encoding: "utf8",
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Port "http" is not a number from 0 to 65535/);
  });
});
