import { ImproperlyConfigured, StopConsumer } from "../errors.js";
import type { ChannelLayer } from "../layers/channel-layer.js";
import { getChannelLayer } from "../layers/registry.js";
import type { Application, Receive, Scope, Send, SendEvent } from "../types/asgi.js";
import { awaitManyDispatch } from "./await-many-dispatch.js";
import { handlerName, reserveConsumerMethods } from "./handler-name.js";

/** Options of {@link Consumer.asApp}; `C` is the consumer class's instance type. */
export interface ConsumerOptions<C = unknown> {
  /**
   * The channel layer this consumer uses; `null` for none. By default the layer registered under
   * the class's `channelLayerAlias` (see `setChannelLayer`), looked up as each connection opens.
   */
  channelLayer?: ChannelLayer | null;
  /**
   * Fields set on every instance before it serves its connection, like the keyword arguments of
   * Channels' `as_asgi(**initkwargs)`: one class, several configured applications. Only fields
   * the class declares (not the base consumer's); an unknown name is refused when `asApp` runs.
   */
  init?: ConsumerInit<C>;
}

/** The fields a subclass declares on top of the base consumer, as {@link ConsumerOptions.init}. */
export type ConsumerInit<C> = Partial<Omit<C, keyof Consumer>>;

/** A consumer class as `asApp` needs it: constructible without arguments, with its statics. */
export type ConsumerClass<S extends Scope> = (new () => Consumer<S>) & {
  readonly channelLayerAlias: string;
};

/** Anything with a `type`: a client event or a channel-layer message. */
type Dispatchable = { type: string };

/** The events that say the client is gone: the last a connection's receive() hands out. */
const DISCONNECTS: ReadonlySet<string> = new Set(["websocket.disconnect", "http.disconnect"]);

/**
 * The base of every consumer, like Channels' `AsyncConsumer`: one instance per connection, which
 * dispatches each event by its `type` to the method of the same name in camelCase
 * (`websocket.receive` → `websocketReceive`, `chat.message` → `chatMessage`). A handler may be
 * plain or async; it is awaited before the next event is taken, so a connection's events are
 * handled one at a time, in order.
 *
 * With a channel layer, the consumer gets a {@link Consumer.channelName} when the connection
 * opens, and messages sent to that channel are dispatched the same way, in the same queue as the
 * client's events (never concurrently with them). For a `channel` scope (a background worker, see
 * `runWorker`) the messages come from the layer's `scope.channel`. A handler, or a `receive()`
 * rejecting with it, ends the consumer cleanly by throwing `StopConsumer`.
 *
 * @example
 * ```ts
 * class Thumbnailer extends Consumer<ChannelScope> {
 *   async thumbnailGenerate(message: ChannelMessage) {
 *     await makeThumbnail(String(message.id));
 *   }
 * }
 * const worker = channelNameRouter({ thumbnails: Thumbnailer.asApp() });
 * ```
 */
export class Consumer<S extends Scope = Scope> {
  /** Alias of the layer to use when `asApp` is given none (see `setChannelLayer`). */
  static channelLayerAlias = "default";

  /** The connection's scope, set before the first event. */
  scope!: S;
  /** The layer this consumer uses, or `null` when none is configured. */
  channelLayer: ChannelLayer | null = null;
  /** This consumer's own channel on the layer, or `null` without a layer. */
  channelName: string | null = null;
  #send!: Send;

  /**
   * An application serving each connection with a fresh instance of this class.
   *
   * @example
   * ```ts
   * urlRouter([path("chat/<str:room>/", ChatConsumer.asApp())]);
   * ChatConsumer.asApp({ channelLayer: new InMemoryChannelLayer() });
   * ```
   */
  static asApp<S extends Scope, C extends Consumer<S>>(
    this: ConsumerClass<S> & (new () => C),
    options: ConsumerOptions<C> = {},
  ): Application<S> {
    const init = options.init ?? null;
    if (init !== null) checkInit(this, init);
    // not async: a frame of its own would wait beside run()'s promise for the whole connection
    const app: Application<S> = (scope, receive, send) => {
      try {
        const layer =
          options.channelLayer !== undefined
            ? options.channelLayer
            : getChannelLayer(this.channelLayerAlias);
        const consumer = new this();
        if (init !== null) Object.assign(consumer, init);
        return consumer.run(scope, receive, send, layer);
      } catch (error) {
        return Promise.reject(error);
      }
    };
    // Named after the class, so stack traces and logs say which consumer served the connection.
    Object.defineProperty(app, "name", { value: this.name });
    return app;
  }

  /**
   * Serves one connection; `asApp` calls this on a fresh instance. Not async: an idle connection
   * then waits on one promise reaction instead of a suspended frame (with its registers and
   * await closures) that would only rethrow what the dispatch loop ended with.
   */
  protected run(scope: S, receive: Receive, send: Send, layer: ChannelLayer | null): Promise<void> {
    this.scope = scope;
    this.#send = send;
    this.channelLayer = layer;
    // For a channel scope, the worker's receive() yields nothing and rejects with StopConsumer
    // when the worker stops, which ends the consumer cleanly.
    if (scope.type === "channel") {
      if (layer === null) {
        return Promise.reject(
          new ImproperlyConfigured(
            `${this.constructor.name} serves channel "${scope.channel}" but no channel layer is configured: call setChannelLayer(layer) or pass asApp({ channelLayer }).`,
          ),
        );
      }
      this.channelName = scope.channel;
    } else if (layer !== null) {
      return layer.newChannel().then((channel) => {
        this.channelName = channel;
        return this.#serve(receive);
      });
    }
    return this.#serve(receive);
  }

  /** Dispatches until a source or a handler ends the connection, then cleans up. */
  #serve(receive: Receive): Promise<void> {
    const { channelLayer: layer, channelName: channel } = this;
    const sources: Array<() => Promise<Dispatchable>> = [receive];
    // Only a connection that reads a layer channel pays for the controller that stops the read.
    let abort: AbortController | null = null;
    if (layer !== null && channel !== null) {
      abort = new AbortController();
      sources.push(channelSource(layer, channel, abort.signal));
    }
    // The loop only ever rejects: with StopConsumer (a clean end) or with what failed. It calls
    // the methods on this instance, so they need no binding; the one bound function stays for the
    // connection's life, where a closure would keep this frame.
    return awaitManyDispatch(sources, this.dispatch, this, Consumer.#recover).catch(
      this.#end.bind(this, abort),
    );
  }

  /**
   * Cleans up after the dispatch loop ended with `error`. Not async for a clean end (StopConsumer),
   * the way every connection ends: teardown()'s promise is handed back as it is.
   */
  #end(abort: AbortController | null, error: unknown): Promise<void> {
    if (error instanceof StopConsumer) return this.#cleanUp(abort);
    return this.#endFailed(abort, error);
  }

  async #endFailed(abort: AbortController | null, error: unknown): Promise<void> {
    await this.failed(error);
    try {
      await this.#cleanUp(abort);
    } catch {
      // A failed cleanup matters only when nothing failed before it; report the first error.
    }
    throw error;
  }

  #cleanUp(abort: AbortController | null): Promise<void> {
    abort?.abort(StopConsumer.routine("The connection ended; its channel is no longer read."));
    try {
      return this.teardown();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Calls the handler for `message.type` and returns what it returns (awaited before the next
   * event); throws `NoHandlerForMessage` when there is none. Not async: a plain handler costs no
   * promise, an async one no second promise wrapped around its own.
   */
  protected dispatch(message: Dispatchable): void | Promise<void> {
    const name = handlerName(this, message.type);
    return (this as unknown as Record<string, (message: Dispatchable) => void | Promise<void>>)[
      name
    ](message);
  }

  /**
   * The loop's recovery for a failed handler (StopConsumer never gets here: it ends the loop as
   * it is). A failure in the client's disconnect handler ends the connection too, since every
   * later read would hand the same disconnect back and the connection would never end.
   */
  static #recover(this: Consumer, error: unknown, message: Dispatchable): void | Promise<void> {
    if (DISCONNECTS.has(message.type)) throw error;
    return this.handlerFailed(error);
  }

  /**
   * Called with what a handler threw or rejected with (not `StopConsumer`, and not a failure of
   * the client's disconnect handler: both end the connection). Return, or resolve, to go on with
   * the next event; throw to end the connection with that error. Rethrows by default.
   */
  protected handlerFailed(error: unknown): void | Promise<void> {
    throw error;
  }

  /** Sends an event to the client, as the application's `send` does. */
  protected sendEvent(event: SendEvent): Promise<void> {
    try {
      return this.#send(event);
    } catch (error) {
      // a send that throws instead of rejecting fails the caller the same way
      return Promise.reject(error);
    }
  }

  /** Called with the error that is about to end the connection (not `StopConsumer`). */
  protected async failed(_error: unknown): Promise<void> {}

  /** Called once as the connection ends, however it ends, to release what it holds. */
  protected async teardown(): Promise<void> {}
}

reserveConsumerMethods(Consumer.prototype);

/** Reads a consumer's own channel on the layer until `signal` aborts. */
function channelSource(
  layer: ChannelLayer,
  channel: string,
  signal: AbortSignal,
): () => Promise<Dispatchable> {
  return () => layer.receive(channel, signal);
}

/** The fields every consumer has, which `init` may not set. */
const BASE_FIELDS: ReadonlySet<string> = new Set(Object.keys(new Consumer()));

/** Refuses `init` names the class does not declare, or that belong to the base consumer. */
function checkInit(consumerClass: new () => Consumer, init: object): void {
  const probe = new consumerClass();
  for (const name of Object.keys(init)) {
    if (!(name in probe) || BASE_FIELDS.has(name)) {
      throw new ImproperlyConfigured(
        `${consumerClass.name}.asApp({ init }) got "${name}", which ${consumerClass.name} does not declare; declare the field on the class (e.g. \`${name}!: string;\`) or fix the name.`,
      );
    }
  }
}
