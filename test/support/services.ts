/**
 * Reaching the real services tests use. Without `CI`, a test whose service is unreachable is
 * skipped with a loud reason; with `CI=true` an unreachable service fails the run.
 */
import { connect } from "node:net";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || "127.0.0.1", port: Number(port) || defaultPort });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Resolves to `false` when the service is up, or to a skip reason when it is not (outside CI).
 * Use as `describe("...", { skip: await serviceSkip("redis") }, ...)`.
 */
export async function serviceSkip(service: "redis" | "postgres"): Promise<string | false> {
  const url = service === "redis" ? REDIS_URL : DATABASE_URL;
  if (await reachable(url, service === "redis" ? 6379 : 5432)) return false;
  const reason = `${service} is unreachable at ${url}`;
  if (process.env.CI) throw new Error(`${reason}: CI needs every service up`);
  console.warn(`\n!!! SKIPPING ${service} tests: ${reason} (set CI=true to make this fail) !!!\n`);
  return reason;
}

/** A key prefix no other test run shares, so tests clean up only what they made. */
export function uniquePrefix(label: string): string {
  return `sbtest:${label}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}:`;
}
