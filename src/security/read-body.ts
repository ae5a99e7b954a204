import type { Receive } from "../types/asgi.js";

/**
 * Reads a whole HTTP request body, or returns `null` once it passes `limit` bytes (answer 413).
 *
 * @example
 * ```ts
 * const body = await readBody(receive, 4096);
 * if (body === null) return tooLarge(send);
 * ```
 */
export async function readBody(receive: Receive, limit: number): Promise<Buffer | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const event = await receive();
    if (event.type !== "http.request") return Buffer.concat(chunks);
    size += event.body.byteLength;
    if (size > limit) return null;
    chunks.push(event.body);
    if (!event.moreBody) return Buffer.concat(chunks);
  }
}
