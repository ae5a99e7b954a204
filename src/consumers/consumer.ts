import { ImproperlyConfigured, StopConsumer } from "../errors.js";
import type { ChannelLayer, InPlaceReceiver } from "../layers/channel-layer.js";
import { getChannelLayer } from "../layers/registry.js";
import type { Application, Receive, Scope, Send, SendEvent } from "../types/asgi.js";
import { awaitManyDispatch } from "./await-many-dispatch.js";
import { handlerName, reserveConsumerMethods } from "./handler-name.js";
import { CONNECTION_ENDED } from "./stops.js";

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
    const app: Application<S> = (scope, receive, send) => {
      const layer =
        options.channelLayer !== undefined
          ? options.channelLayer
          : getChannelLayer(this.channelLayerAlias);
      const consumer = new this();
      if (init !== null) Object.assign(consumer, init);
      return consumer.run(scope, receive, send, layer);
    };
    // Named after the class, so stack traces and logs say which consumer served the connection.
    Object.defineProperty(app, "name", { value: this.name });
    return app;
  }

  /**
   * Serves one connection, as Channels' `AsyncConsumer.__call__`: dispatches the client's events
   * and the messages on this consumer's channel until a handler or a source ends the connection,
   * then cleans up. `asApp` calls this on a fresh instance.
   */
  protected async run(
    scope: S,
    receive: Receive,
    send: Send,
    layer: ChannelLayer | null,
  ): Promise<void> {
    this.scope = scope;
    this.#send = send;
    this.channelLayer = layer;
    if (scope.type === "channel") {
      // A worker's receive() yields nothing; it rejects with StopConsumer when the worker stops.
      if (layer === null) {
        throw new ImproperlyConfigured(
          `${this.constructor.name} serves channel "${scope.channel}" but no channel layer is configured: call setChannelLayer(layer) or pass asApp({ channelLayer }).`,
        );
      }
      this.channelName = scope.channel;
    } else if (layer !== null) {
      this.channelName = await layer.newChannel();
    }
    let sources: Array<(inPlace: InPlaceReceiver) => Promise<Dispatchable>> = [receive];
    // Channels' `partial(layer.receive, channel_name)`; the read is abandoned as the connection ends.
    let channelRead: AbortController | null = null;
    if (layer !== null && this.channelName !== null) {
      channelRead = new AbortController();
      sources = [receive, layer.receive.bind(layer, this.channelName, channelRead.signal)];
    }
    try {
      await awaitManyDispatch(sources, this.dispatch, this.#recover, this, this.dispatchesInPlace);
    } catch (error) {
      // The loop ends only by throwing: StopConsumer is a clean end, anything else a failure.
      channelRead?.abort(CONNECTION_ENDED);
      if (error instanceof StopConsumer) return await this.teardown();
      await this.failed(error);
      try {
        await this.teardown();
      } catch {
        // A failed cleanup matters only when nothing failed before it; report the first error.
      }
      throw error;
    } finally {
      // A worker's named channel outlives it; a connection's own channel ends with it.
      const channel = this.channelName;
      if (layer !== null && channel !== null && scope.type !== "channel") {
        // If the layer is unreachable now, what the channel holds expires there by itself.
        await layer.discardChannel(channel).catch(() => {});
      }
    }
  }

  /**
   * Recovers from a handler's failure through {@link handlerFailed}, except from a failure of the
   * client's disconnect handler, which ends the connection (after a disconnect every later read
   * hands the same disconnect back). A `StopConsumer` never gets here: it ends the connection.
   */
  #recover(message: Dispatchable, error: unknown): void | Promise<void> {
    if (DISCONNECTS.has(message.type)) throw error;
    return this.handlerFailed(error);
  }

  /**
   * Calls the handler for `message.type` and returns what it returns, awaited before the next
   * event; throws `NoHandlerForMessage` when there is none.
   */
  protected dispatch(message: Dispatchable): unknown {
    const handlers = this as unknown as Record<string, (message: Dispatchable) => unknown>;
    return handlers[handlerName(this, message.type)](message);
  }

  /**
   * Whether `message`, from the channel layer while this consumer is idle (no handler runs or
   * waits), may be dispatched at once, inside the `send` or `groupSend` that delivers it, instead
   * of a turn later through the layer's `receive()`. Its handler then runs before the sender's
   * call returns, so only handlers that do nothing but send to the client qualify: the default
   * `websocket.broadcast` handler of `WebsocketConsumer`. `false` by default.
   */
  protected dispatchesInPlace(_message: Dispatchable): boolean {
    return false;
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
    return this.#send(event);
  }

  /** Called with the error that is about to end the connection (not `StopConsumer`). */
  protected async failed(_error: unknown): Promise<void> {}

  /** Called once as the connection ends, however it ends, to release what it holds. */
  protected async teardown(): Promise<void> {}
}

reserveConsumerMethods(Consumer.prototype);

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
