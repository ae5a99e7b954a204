/**
 * The kernel limits 100,000 loopback WebSockets run into, checked and raised before a run
 * (this needs root; without it, a limit too low is one message naming the sysctl to set).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** What a run needs the kernel to allow. */
export interface KernelNeeds {
  /** Descriptors one process will hold (its sockets and a margin). */
  descriptorsPerProcess: number;
  /** Connections open at once, each a connection-tracking entry when netfilter tracks loopback. */
  connections: number;
}

function read(name: string): string {
  return readFileSync(`/proc/sys/${name.replaceAll(".", "/")}`, "utf8").trim();
}

/** Raises `name` to `wanted` if it is lower; returns a line saying what it did. */
function atLeast(name: string, wanted: number): string | null {
  const current = Number(read(name));
  if (current >= wanted) return null;
  try {
    writeFileSync(`/proc/sys/${name.replaceAll(".", "/")}`, String(wanted));
  } catch (error) {
    throw new Error(
      `${name} is ${current} and this run needs ${wanted}, but it could not be raised ` +
        `(${(error as Error).message}): run as root, or \`sysctl -w ${name}=${wanted}\` first.`,
    );
  }
  return `raised ${name} ${current} → ${wanted}`;
}

/**
 * Raises `fs.nr_open` (the ceiling of a process's descriptor limit), `net.core.somaxconn` and,
 * where connection tracking is loaded, `net.netfilter.nf_conntrack_max`; returns what it changed.
 * The port range is left alone: the load spreads over enough source addresses instead.
 */
export function raiseKernelLimits(needs: KernelNeeds): string[] {
  const changes = [
    atLeast("fs.nr_open", needs.descriptorsPerProcess),
    atLeast("net.core.somaxconn", 4096),
    // the connections of the previous run linger in the table (TIME_WAIT) for up to two minutes
    existsSync("/proc/sys/net/netfilter/nf_conntrack_max")
      ? atLeast("net.netfilter.nf_conntrack_max", needs.connections * 2 + 65_536)
      : null,
  ];
  return changes.filter((change) => change !== null);
}

/** How many ephemeral ports one source address can use (`net.ipv4.ip_local_port_range`). */
export function ephemeralPorts(): number {
  const [low, high] = read("net.ipv4.ip_local_port_range").split(/\s+/).map(Number);
  return (high ?? 0) - (low ?? 0) + 1;
}

/** The hard limit on open files this process has (and its children inherit). */
function hardDescriptorLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((row) => row.startsWith("Max open files"));
  return Number(line?.trim().split(/\s+/)[4]);
}

/**
 * Checks that a child process can be given `wanted` descriptors with `prlimit`: above the hard
 * limit that takes CAP_SYS_RESOURCE, which a container may not grant even to root. Throws with
 * the largest count of sockets this machine allows otherwise.
 */
export function checkDescriptors(wanted: number, margin: number): void {
  const trial = spawnSync("prlimit", [`--nofile=${wanted}:${wanted}`, "--", "true"], {
    encoding: "utf8",
  });
  if (trial.status === 0) return;
  const hard = hardDescriptorLimit();
  throw new Error(
    `A process needs ${wanted} open files for this run, but may hold at most ${hard} here ` +
      `(the hard RLIMIT_NOFILE) and raising it failed: ${(trial.stderr || String(trial.error)).trim()}. ` +
      `Raising a hard limit takes CAP_SYS_RESOURCE, which this process lacks. Run with ` +
      `--sockets ${hard - margin} or fewer, or start the bench where the hard limit is higher ` +
      "(`docker run --ulimit nofile=1048576`, `LimitNOFILE=` in a systemd unit, /etc/security/limits.conf).",
  );
}
