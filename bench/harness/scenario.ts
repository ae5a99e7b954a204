/**
 * What a benchmark scenario is: two servers doing the same job — one on Switchboard, one on raw
 * `ws` — and a load function that drives either. The harness runs each server in its own child
 * process and the load in another, then prints every figure with the ratio Switchboard / raw.
 *
 * @example
 * ```ts
 * export const echo: Scenario = {
 *   name: "echo",
 *   servers: { switchboard: "bench/scenarios/echo/switchboard-server.ts", raw: "bench/scenarios/echo/ws-server.ts" },
 *   load: "bench/scenarios/echo/load.ts",
 * };
 * ```
 */

/** A server module exports `start`; it binds 127.0.0.1 on a free port and resolves the port. */
export type StartServer = () => Promise<number>;

/**
 * A server module of bench/scale also exports `broadcast`: it sends one message to every open
 * socket and returns when the send started, as epoch milliseconds with a fraction
 * (`performance.timeOrigin + performance.now()`), which the load compares with its receive times.
 */
export type Broadcast = () => number;

/** What the load function can see of the server under test. */
export interface LoadContext {
  /** `ws://127.0.0.1:<port>` */
  wsUrl: string;
  /** `http://127.0.0.1:<port>` */
  httpUrl: string;
  /**
   * The server process's RSS, heap and CPU time so far (µs), as they are: a plain sample forces
   * no GC, so a CPU window neither pays for full collections nor recompiles the optimized code
   * they make V8 drop. With `settle` (for memory), runs forced GCs and waits (up to 15 s)
   * until the server is idle in V8's eyes too: its memory reducer has shrunk the young generation
   * back to its starting size and RSS has stopped falling. A burst of connects grows the young
   * generation by megabytes for a few seconds; that is not memory the connections hold, and
   * without settling it would count as theirs.
   */
  sample(options?: { settle?: boolean }): Promise<ServerSample>;
  /** `true` in `--quick` runs: use smaller counts. */
  quick: boolean;
}

export interface ServerSample {
  rss: number;
  /** JS heap in use; after a settled sample's forced GCs, the live heap (steadier than RSS). */
  heapUsed: number;
  cpuMicros: number;
}

/** One figure a load function measured. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Which way is better, so the ratio can be judged. */
  better: "higher" | "lower";
  /**
   * The ratio Switchboard / raw the figure must reach: at least this when higher is better
   * (e.g. 0.85), at most this when lower is better (e.g. 1.3).
   */
  target?: number;
  /**
   * How rounds combine: `best` (default) keeps the best value, since noise from a shared machine
   * only makes a run slower; `mean` averages, for figures noise moves both ways (memory).
   */
  combine?: "best" | "mean";
}

/** A load module exports `load`: it drives the server at `context` and returns its figures. */
export type Load = (context: LoadContext) => Promise<Figure[]>;

/**
 * A server the harness runs as a command of its own, as a user would start it: `node <script>
 * <args>` in a fresh temporary directory (its working directory, removed after the run), with
 * `env` added to the harness's environment and `HOST=127.0.0.1`, `PORT=<a free port>`. It is ready
 * once that port accepts connections. Its output is read and dropped, as a log collector would;
 * the last lines are shown if it fails. `harness/sampler-preload.ts` is preloaded into it to
 * answer samples.
 */
export interface ServerCommand {
  /** Absolute, as are the paths among `args`: the command runs in a temporary directory. */
  script: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
}

/**
 * A scenario: both servers (a module path relative to the repository root, whose `start` the
 * harness calls in its server process, or a {@link ServerCommand}) and the load's module path.
 */
export interface Scenario {
  name: string;
  description: string;
  servers: { switchboard: string | ServerCommand; raw: string | ServerCommand };
  load: string;
}

/** The two servers every scenario compares. */
export type Variant = keyof Scenario["servers"];
