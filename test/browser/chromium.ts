/**
 * Debian's Chromium, driven by playwright-core: the browser tests never download a browser. CI
 * installs it with `apt-get install -y chromium` (see `.ci/run`).
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Where each step's screenshot goes; `test-output/` is ignored by git. */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL("../../test-output/screenshots/", import.meta.url),
);

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * `false` when Chromium is installed, else the reason to skip. Outside CI the skip is loud; with
 * `CI=true` a missing browser fails the run instead of passing it silently.
 */
export function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  const reason = `${CHROMIUM_PATH} is missing (install it: apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(`${reason}: CI runs the browser tests`);
  console.warn(`\n!!! SKIPPING browser tests: ${reason} (set CI=true to make this fail) !!!\n`);
  return reason;
}

/** Launches the system Chromium headless. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}
