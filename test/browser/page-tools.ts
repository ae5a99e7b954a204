import { join } from "node:path";
import type { Page } from "playwright-core";
import { SCREENSHOT_DIR } from "./chromium.js";

/**
 * Script run in a page: opens a WebSocket to `url` and resolves `"open"` if the handshake
 * succeeds, or `"refused"` if the socket closes before opening (a browser reports a refused
 * handshake only as a close with 1006). Written as a string: the tests are type-checked without
 * the DOM library.
 */
export function trySocketScript(url: string): string {
  return `new Promise((resolve) => {
    const socket = new WebSocket(${JSON.stringify(url)});
    socket.onopen = () => { socket.close(); resolve("open"); };
    socket.onclose = () => resolve("refused");
  })`;
}

/** Puts a banner on top of the page, so a screenshot shows what the test observed. */
export async function showBanner(page: Page, text: string): Promise<void> {
  await page.evaluate(`(() => {
    const banner = document.createElement("div");
    banner.textContent = ${JSON.stringify(text)};
    banner.style.cssText = "padding:12px 24px;background:#1d2330;color:#fff;font:600 15px system-ui";
    document.body.prepend(banner);
  })()`);
}

/** Saves a full-page screenshot as `test-output/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
