import { readdirSync, readFileSync } from "node:fs";

/** How many file descriptors process `pid` has open (Linux: entries of /proc/<pid>/fd). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Loopback TCP sockets in TIME_WAIT on `port`: on the server's side of it, and on the clients'. */
export function timeWait(port: number): { server: number; client: number } {
  const counts = { server: 0, client: 0 };
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const [, local, remote, state] = line.trim().split(/\s+/);
      // state 06 is TIME_WAIT; addresses read "ADDRESS:PORT" with the port in hex
      if (state !== "06" || local === undefined || remote === undefined) continue;
      if (parseInt(local.split(":")[1] ?? "", 16) === port) counts.server++;
      else if (parseInt(remote.split(":")[1] ?? "", 16) === port) counts.client++;
    }
  }
  return counts;
}
