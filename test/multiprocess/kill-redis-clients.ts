/**
 * Simulates a Redis restart for one party without disturbing anyone else's tests: kills the
 * connections whose `CLIENT SETNAME` starts with `namePrefix`, as a restart would, and leaves all
 * other clients alone. Returns how many were killed.
 */
import { Redis } from "ioredis";

export async function killRedisClients(redisUrl: string, namePrefix: string): Promise<number> {
  const admin = new Redis(redisUrl);
  try {
    const list = await admin.client("LIST");
    const ids = String(list)
      .split("\n")
      .filter((line) => / name=(\S*)/.exec(line)?.[1]?.startsWith(namePrefix))
      .map((line) => /^id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await admin.client("KILL", "ID", id);
    return ids.length;
  } finally {
    admin.disconnect();
  }
}

/** Names of live connections whose name starts with `namePrefix`, as `CLIENT LIST` reports them. */
export async function redisClientNames(redisUrl: string, namePrefix: string): Promise<string[]> {
  const admin = new Redis(redisUrl);
  try {
    return String(await admin.client("LIST"))
      .split("\n")
      .map((line) => / name=(\S*)/.exec(line)?.[1] ?? "")
      .filter((name) => name.startsWith(namePrefix));
  } finally {
    admin.disconnect();
  }
}
