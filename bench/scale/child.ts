/**
 * A bench child process: node with tsx, pinned to CPUs with `taskset` and given a descriptor
 * limit with `prlimit` (both exec the next program, so the pid is node's), spoken to over IPC.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";

export interface ChildOptions {
  /** `taskset -c` list, e.g. "0"; `null` leaves the process unpinned. */
  cpus: string | null;
  /** Soft and hard RLIMIT_NOFILE. */
  descriptors: number;
  nodeOptions?: string[];
  env?: Record<string, string>;
}

type Message = { type: string; id?: number };

export class Child {
  readonly #process: ChildProcess;
  readonly #waiting = new Set<{ accept(message: Message): boolean }>();
  readonly #exited: Promise<unknown>;

  constructor(entry: string, args: string[], options: ChildOptions) {
    const node = [
      "prlimit",
      `--nofile=${options.descriptors}:${options.descriptors}`,
      "--",
      process.execPath,
      "--import",
      "tsx",
      ...(options.nodeOptions ?? []),
      entry,
      ...args,
    ];
    const [command, ...rest] =
      options.cpus === null ? node : ["taskset", "-c", options.cpus, ...node];
    this.#process = spawn(command as string, rest, {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, ...options.env },
    });
    this.#exited = once(this.#process, "exit");
    this.#process.on("message", (message: Message) => {
      for (const waiter of this.#waiting) if (waiter.accept(message)) this.#waiting.delete(waiter);
    });
  }

  get pid(): number {
    return this.#process.pid ?? -1;
  }

  send(message: Message & Record<string, unknown>): void {
    this.#process.send(message);
  }

  /**
   * The next message of `type` (and `id`, if given) this child sends, within `timeoutMs`;
   * rejects if it exits first.
   */
  next<T extends Message>(type: T["type"], id?: number, timeoutMs = 600_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(waiter);
        reject(new Error(`no "${type}" from process ${this.pid} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        accept(message: Message) {
          if (message.type !== type || (id !== undefined && message.id !== id)) return false;
          clearTimeout(timer);
          resolve(message as T);
          return true;
        },
      };
      this.#waiting.add(waiter);
      void this.#exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`process ${this.pid} exited while a "${type}" was awaited`));
      });
    });
  }

  /** Every message of `type`, until `stop()` is called. */
  onEach<T extends Message>(type: T["type"], listener: (message: T) => void): () => void {
    const waiter = {
      accept(message: Message) {
        if (message.type === type) listener(message as T);
        return false;
      },
    };
    this.#waiting.add(waiter);
    return () => this.#waiting.delete(waiter);
  }

  /** Ends the process (SIGKILL) and waits for it. */
  async kill(): Promise<void> {
    if (this.#process.exitCode !== null || this.#process.signalCode !== null) return;
    this.#process.kill("SIGKILL");
    await this.#exited;
  }
}
