/**
 * What `RedisChannelLayer` needs to survive a Redis restart without persistence, which loses every
 * group: the memberships a process added for its own channels, and the Lua that adds them again.
 */
import type { ResolvedChannelLayerOptions } from "./channel-layer-options.js";
import { script, type LuaScript } from "./redis-scripts.js";

/** One membership to add again, with what is left of its `groupExpiry`. */
export interface LiveMembership {
  group: string;
  channel: string;
  remainingMs: number;
}

/** Channels recorded before a sweep of lapsed memberships is worth its walk over the record. */
const SWEEP_MIN = 1024;

/**
 * The group memberships a process holds for channels it reads itself, with their expiry, so they
 * can be added again after Redis lost them. Keyed by channel, since a channel given up drops all
 * of its memberships at once. Bounded by the live memberships: `groupDiscard` and abandoned
 * channels remove theirs, and lapsed ones (a consumer that never discards) are swept as the record
 * grows, as Redis would have dropped them.
 *
 * @example
 * ```ts
 * const memberships = new LocalMemberships();
 * memberships.add("chat", "specific.ab12!3", Date.now() + 86_400_000);
 * memberships.live(Date.now()); // [{ group: "chat", channel: "specific.ab12!3", remainingMs: 86400000 }]
 * ```
 */
export class LocalMemberships {
  /** Expiry (ms since the epoch, this process's clock) by group, by channel. */
  readonly #channels = new Map<string, Map<string, number>>();
  #sweepAt = SWEEP_MIN;

  add(group: string, channel: string, expiresAt: number): void {
    let groups = this.#channels.get(channel);
    if (!groups) {
      groups = new Map();
      this.#channels.set(channel, groups);
    }
    groups.set(group, expiresAt);
    if (this.#channels.size >= this.#sweepAt) {
      this.#dropLapsed(Date.now());
      this.#sweepAt = Math.max(SWEEP_MIN, this.#channels.size * 2);
    }
  }

  discard(group: string, channel: string): void {
    const groups = this.#channels.get(channel);
    if (!groups) return;
    groups.delete(group);
    if (groups.size === 0) this.#channels.delete(channel);
  }

  /** The channel is no longer read here: none of its memberships is to be restored. */
  forget(channel: string): void {
    this.#channels.delete(channel);
  }

  /** Every membership that has not lapsed by `now`; lapsed ones are dropped. */
  live(now: number): LiveMembership[] {
    this.#dropLapsed(now);
    const live: LiveMembership[] = [];
    for (const [channel, groups] of this.#channels) {
      for (const [group, expiresAt] of groups) {
        live.push({ group, channel, remainingMs: expiresAt - now });
      }
    }
    return live;
  }

  clear(): void {
    this.#channels.clear();
  }

  #dropLapsed(now: number): void {
    for (const [channel, groups] of this.#channels) {
      for (const [group, expiresAt] of groups) if (expiresAt <= now) groups.delete(group);
      if (groups.size === 0) this.#channels.delete(channel);
    }
  }
}

/**
 * KEYS: members zset, capacities hash and the channel's groups set of each membership, in turn.
 * ARGV: default capacity, then channel, remainingMs, capacity and group of each membership. Adds every membership back with the expiry
 * it had left; one that is still there (a reconnect without a restart) is never shortened, and a
 * key's TTL only grows. Kept beside the record it restores rather than in redis-scripts.ts, which
 * holds the scripts every operation runs.
 */
const GROUP_RESTORE = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function extend(key, ttl)
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end
for i = 1, #KEYS / 3 do
  local members, capacities, groups = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local channel, ttl, capacity = ARGV[4 * i - 2], tonumber(ARGV[4 * i - 1]), ARGV[4 * i]
  redis.call('SADD', groups, ARGV[4 * i + 1])
  extend(groups, ttl)
  local score = redis.call('ZSCORE', members, channel)
  if not score or tonumber(score) < now + ttl then
    redis.call('ZADD', members, now + ttl, channel)
  end
  extend(members, ttl)
  if capacity ~= ARGV[1] then
    redis.call('HSET', capacities, channel, capacity)
    extend(capacities, ttl)
  end
end
`);

/** Memberships restored per Lua call, so a process with many sockets does not block Redis long. */
const RESTORE_BATCH = 1000;

/**
 * Adds `live` back to Redis, in one Lua call per 1,000 memberships; rejects at the first call
 * that fails, leaving the rest to the next attempt.
 *
 * @example
 * ```ts
 * await restoreMemberships(memberships.live(Date.now()), options, groupKeys, run);
 * ```
 */
export async function restoreMemberships(
  live: LiveMembership[],
  options: Pick<ResolvedChannelLayerOptions, "capacity" | "capacityFor">,
  groupKeys: (group: string, channel: string) => string[],
  run: (script: LuaScript, keys: string[], args: Array<string | number>) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < live.length; start += RESTORE_BATCH) {
    const keys: string[] = [];
    const args: Array<string | number> = [options.capacity];
    for (const { group, channel, remainingMs } of live.slice(start, start + RESTORE_BATCH)) {
      keys.push(...groupKeys(group, channel));
      args.push(channel, remainingMs, options.capacityFor(channel), group);
    }
    await run(GROUP_RESTORE, keys, args);
  }
}
