import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { InvalidChannelName, ProtocolError, StopConsumer } from "../errors.js";
import type { ChannelLayer } from "../layers/channel-layer.js";
import { getChannelLayer } from "../layers/registry.js";
import { assertChannelName } from "../layers/validation.js";
import type { Application, ChannelScope, ReceiveEvent } from "../types/asgi.js";
import { loadApplication } from "./load-application.js";

/**
 * Options of {@link runWorker}.
 *
 * @example
 * ```ts
 * const options: RunWorkerOptions = { channels: ["thumbnails"], application, layer };
 * ```
 */
export interface RunWorkerOptions {
  /** Channel names to serve, one application instance each. */
  channels: readonly string[];
  application: Application<ChannelScope>;
  /** The layer the application reads; `stop()` closes it to end every pending receive. */
  layer: ChannelLayer;
  /** Milliseconds before an application that ended or failed is started again. Default 1000. */
  restartDelay?: number;
}

/**
 * A running worker: `stop()` ends it, `done` settles once every application has returned.
 *
 * @example
 * ```ts
 * const worker: RunningWorker = runWorker(options);
 * await worker.stop();
 * ```
 */
export interface RunningWorker {
  stop(): Promise<void>;
  done: Promise<void>;
}

/**
 * Runs `application` once per channel with the scope `{ type: "channel", channel }`, as Channels'
 * `runworker` does. The application reads its messages itself (`layer.receive(scope.channel)`, as
 * `Consumer` does for channel scopes); its `receive()` only rejects with `StopConsumer` when the
 * worker stops, and `send()` throws, since a worker has no client. An application that ends or
 * throws while the worker runs is logged and started again after `restartDelay`.
 *
 * @example
 * ```ts
 * const worker = runWorker({ channels: ["thumbnails"], application, layer: getChannelLayer()! });
 * process.once("SIGTERM", () => void worker.stop());
 * await worker.done;
 * ```
 */
export function runWorker(options: RunWorkerOptions): RunningWorker {
  const { application, layer, restartDelay = 1000 } = options;
  for (const channel of options.channels) assertChannelName(channel);
  const stopping = new AbortController();
  const stopped = new Promise<ReceiveEvent>((_, reject) => {
    stopping.signal.addEventListener("abort", () => reject(stopping.signal.reason), { once: true });
  });
  stopped.catch(() => {});
  const receive = () => stopped;
  const send = async () => {
    throw new ProtocolError(
      "A channel worker has no client to send to: send to the channel layer instead (layer.send, layer.groupSend).",
    );
  };

  async function serve(channel: string): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        await application({ type: "channel", channel }, receive, send);
        if (stopping.signal.aborted) return;
        console.warn(`worker: the application for channel "${channel}" returned; restarting it.`);
      } catch (error) {
        if (stopping.signal.aborted) return;
        console.error(
          `worker: the application for channel "${channel}" failed; restarting it.`,
          error,
        );
      }
      try {
        await sleep(restartDelay, undefined, { signal: stopping.signal });
      } catch {
        return;
      }
    }
  }

  const done = Promise.all(options.channels.map(serve)).then(() => {});
  return {
    done,
    async stop() {
      if (!stopping.signal.aborted) {
        stopping.abort(new StopConsumer("The worker is stopping."));
        await layer.close();
      }
      await done;
    },
  };
}

/**
 * `switchboard worker <channel...> --app <module>`: serves the named channels with the module's
 * `application` export until SIGINT or SIGTERM. The module picks the channel layer: it must call
 * `setChannelLayer(layer)` when imported (a `RedisChannelLayer`, so web processes can reach the
 * worker). Resolves the exit code.
 *
 * @example
 * ```sh
 * switchboard worker thumbnails mail.send --app ./app.ts
 * ```
 */
export async function worker(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { app: { type: "string" } },
    allowPositionals: true,
  });
  if (values.app === undefined || positionals.length === 0) {
    console.error("Usage: switchboard worker <channel...> --app <module>");
    return 2;
  }
  const application = await loadApplication(values.app);
  if (application === null) return 1;
  const layer = getChannelLayer();
  if (layer === null) {
    console.error(
      `${values.app} configured no channel layer: call setChannelLayer(new RedisChannelLayer(...)) in it, so web processes can send to the worker.`,
    );
    return 1;
  }
  let running: RunningWorker;
  try {
    running = runWorker({
      channels: positionals,
      application: application as Application<ChannelScope>,
      layer,
    });
  } catch (error) {
    if (!(error instanceof InvalidChannelName)) throw error;
    console.error(error.message);
    await layer.close();
    return 2;
  }
  const stop = () => void running.stop();
  process.once("SIGINT", stop).once("SIGTERM", stop);
  console.log(`worker: serving ${positionals.join(", ")} (pid ${process.pid})`);
  await running.done;
  process.off("SIGINT", stop).off("SIGTERM", stop);
  return 0;
}
