import { ImproperlyConfigured } from "../errors.js";

/**
 * Options every channel layer takes, with Channels' defaults. Layers in one deployment must agree on
 * them: capacity and expiry are enforced where a message is queued.
 *
 * @example
 * ```ts
 * const options: ChannelLayerOptions = {
 *   capacity: 100,
 *   expiry: 60,
 *   channelCapacity: [["thumbnails", 1000], [/^http\.response!/, 10]],
 * };
 * ```
 */
export interface ChannelLayerOptions {
  /** Messages a channel holds before `send` throws `ChannelFull`. Default 100. */
  capacity?: number;
  /** Seconds a queued message lives before it is dropped unread. Default 60. */
  expiry?: number;
  /** Seconds a group membership lives unless `groupAdd` renews it. Default 86400 (one day). */
  groupExpiry?: number;
  /**
   * Per-channel capacities: the first pattern matching the channel name wins. A string is a glob
   * (`*`, `?`, `[...]`, like Python's fnmatch), a RegExp is tested as is. A plain object maps globs.
   */
  channelCapacity?: Record<string, number> | ReadonlyArray<readonly [string | RegExp, number]>;
  /** Largest message, in bytes of its JSON encoding, before `MessageTooLarge`. Default 256 KiB. */
  maxMessageSize?: number;
  /**
   * Where the layer reports what it does not throw for: a group send that skipped full channels
   * logs one line (`"2 of 5 channels over capacity in group room.lobby"`), as channels_redis does.
   * The one option processes need not agree on. Default `console.warn`.
   */
  logger?: (line: string) => void;
}

/**
 * Options as a layer uses them: durations in milliseconds, patterns compiled once.
 *
 * @example
 * ```ts
 * const { expiryMs, capacityFor } = resolveChannelLayerOptions({ expiry: 30 });
 * ```
 */
export interface ResolvedChannelLayerOptions {
  /** Capacity of channels no `channelCapacity` pattern matches. */
  capacity: number;
  expiryMs: number;
  groupExpiryMs: number;
  maxMessageSize: number;
  capacityFor(channel: string): number;
  /** Logs the line of a group send to `total` channels that skipped `skipped` full ones, if any. */
  reportOverCapacity(group: string, skipped: number, total: number): void;
}

/** Translates an fnmatch glob into an anchored RegExp. */
function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else if (char === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) source += "\\[";
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        source += body.startsWith("!") ? `[^${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === "number" && value > 0 && Number.isFinite(value))) {
    throw new ImproperlyConfigured(
      `Channel layer option "${name}" must be a positive number, got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Validates options once and compiles capacity patterns, so `send` does no parsing.
 *
 * @example
 * ```ts
 * const { capacityFor } = resolveChannelLayerOptions({ channelCapacity: { "thumb*": 5 } });
 * capacityFor("thumbnails"); // 5
 * ```
 */
export function resolveChannelLayerOptions(
  options: ChannelLayerOptions = {},
): ResolvedChannelLayerOptions {
  const capacity = positive("capacity", options.capacity, 100);
  const entries = Array.isArray(options.channelCapacity)
    ? (options.channelCapacity as ReadonlyArray<readonly [string | RegExp, number]>)
    : Object.entries(options.channelCapacity ?? {});
  const patterns = entries.map(([pattern, value]): [RegExp, number] => [
    typeof pattern === "string" ? globToRegExp(pattern) : pattern,
    positive(`channelCapacity[${String(pattern)}]`, value, capacity),
  ]);
  const logger = options.logger ?? console.warn;
  return {
    capacity,
    expiryMs: positive("expiry", options.expiry, 60) * 1000,
    groupExpiryMs: positive("groupExpiry", options.groupExpiry, 86_400) * 1000,
    maxMessageSize: positive("maxMessageSize", options.maxMessageSize, 256 * 1024),
    capacityFor(channel) {
      for (const [pattern, value] of patterns) if (pattern.test(channel)) return value;
      return capacity;
    },
    reportOverCapacity(group, skipped, total) {
      if (skipped > 0) logger(`${skipped} of ${total} channels over capacity in group ${group}`);
    },
  };
}
