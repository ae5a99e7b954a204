/**
 * Lua run inside Redis by `RedisChannelLayer`, so each operation is one atomic round trip. Queued
 * entries are `"<expiresAtMs>:<json>"` in a list per channel; times come from Redis' clock, so
 * processes with skewed clocks agree on expiry. A channel whose list drops an expired entry leaves
 * every group (Channels' rule: whoever leaves a message unread that long is gone); a set
 * `<prefix>groupsof:<channel>` names its groups, and a list is kept for `retainMs` (the longer of
 * the two expiries) after its last push, so an expired entry is still there to be seen while a
 * membership could still deliver to it.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A script and its SHA1, computed once per process. */
export interface LuaScript {
  lua: string;
  sha: string;
}

/** Wraps `lua` with its SHA1, so `runScript` can call it by hash. */
export function script(lua: string): LuaScript {
  return { lua, sha: createHash("sha1").update(lua).digest("hex") };
}

/** Helpers every script shares: Redis time, expiry-aware trimming and pushing, wake-up topics. */
const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function expires_at(entry)
  return tonumber(string.sub(entry, 1, string.find(entry, ':', 1, true) - 1))
end
local function leave_groups(prefix, channel)
  local index = prefix .. 'groupsof:' .. channel
  for _, group in ipairs(redis.call('SMEMBERS', index)) do
    redis.call('ZREM', prefix .. 'group:' .. group, channel)
    redis.call('HDEL', prefix .. 'groupcap:' .. group, channel)
  end
  redis.call('DEL', index)
end
-- Drops the channel's expired entries; if there were any, it leaves its groups: returns true.
local function drop_expired(prefix, channel, now)
  local key = prefix .. 'ch:' .. channel
  local dropped = false
  while true do
    local head = redis.call('LINDEX', key, 0)
    if not head or expires_at(head) > now then break end
    redis.call('LPOP', key)
    dropped = true
  end
  if dropped then leave_groups(prefix, channel) end
  return dropped
end
local function push(key, json, now, expiry, retain, capacity)
  if redis.call('LLEN', key) >= capacity then return false end
  redis.call('RPUSH', key, string.format('%d', now + expiry) .. ':' .. json)
  redis.call('PEXPIRE', key, retain)
  return true
end
local function topic_of(channel)
  local bang = string.find(channel, '!', 1, true)
  if bang then return string.sub(channel, 1, bang) end
  return channel
end
`;

/**
 * KEYS: list. ARGV: json, expiryMs, capacity, key prefix, channel, retainMs. Returns 1, or 0 when
 * full.
 */
export const SEND = script(`${PRELUDE}
local now = now_ms()
drop_expired(ARGV[4], ARGV[5], now)
if not push(KEYS[1], ARGV[1], now, tonumber(ARGV[2]), tonumber(ARGV[6]), tonumber(ARGV[3])) then
  return 0
end
redis.call('PUBLISH', ARGV[4] .. 'wake:' .. topic_of(ARGV[5]), ARGV[5])
return 1
`);

/**
 * KEYS: lists. ARGV: key prefix. Returns `[entries, lengths]`: per list, its oldest unexpired
 * entry (popped) or nil, and how many entries it still holds, so a receiver knows when a channel
 * is empty without popping again.
 */
export const POP_MANY = script(`${PRELUDE}
local now = now_ms()
local prefix = ARGV[1]
local popped, lengths = {}, {}
for i, key in ipairs(KEYS) do
  drop_expired(prefix, string.sub(key, #prefix + 4), now)
  popped[i] = redis.call('LPOP', key) or false
  lengths[i] = redis.call('LLEN', key)
end
return { popped, lengths }
`);

/**
 * KEYS: list. ARGV: entry, retainMs - expiryMs. Puts back an entry whose receiver went away,
 * unless it expired.
 */
export const REQUEUE = script(`${PRELUDE}
local ttl = expires_at(ARGV[1]) - now_ms()
if ttl <= 0 then return 0 end
redis.call('LPUSH', KEYS[1], ARGV[1])
ttl = ttl + tonumber(ARGV[2])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`);

/**
 * KEYS: the channel's list. ARGV: prefix, channel. Drops the channel's queued messages and every
 * group membership it holds.
 */
export const DISCARD_CHANNEL = script(`${PRELUDE}
leave_groups(ARGV[1], ARGV[2])
redis.call('DEL', KEYS[1])
`);

/**
 * KEYS: members zset, capacities hash, the channel's groups set. ARGV: channel, groupExpiryMs,
 * capacity, default capacity, group. Only capacities other than the default are stored, so groups
 * without `channelCapacity` overrides have no hash and `GROUP_SEND` reads no capacity per member.
 */
export const GROUP_ADD = script(`${PRELUDE}
local expiry = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now_ms() + expiry, ARGV[1])
redis.call('PEXPIRE', KEYS[1], expiry)
redis.call('SADD', KEYS[3], ARGV[5])
redis.call('PEXPIRE', KEYS[3], expiry)
if ARGV[3] == ARGV[4] then
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], expiry)
end
`);

/**
 * KEYS: members zset, capacities hash. ARGV: json, expiryMs, key prefix, default capacity,
 * retainMs. Trims lapsed members, and members that left a message unread until it expired (they
 * leave every group), pushes to every other member with room, then publishes one wake-up per
 * topic (per process for process-local channels) listing its channels. Returns `[sent, skipped]`:
 * the members sent to, and how many of them were full. Member channel keys are derived inside the
 * script, so this layer needs a single Redis, not a cluster.
 */
export const GROUP_SEND = script(`${PRELUDE}
local now = now_ms()
local expiry = tonumber(ARGV[2])
local prefix = ARGV[3]
local overrides = redis.call('EXISTS', KEYS[2]) == 1
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if overrides then
  for _, channel in ipairs(lapsed) do redis.call('HDEL', KEYS[2], channel) end
end
if #lapsed > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) end
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
local default_capacity = tonumber(ARGV[4])
local retain = tonumber(ARGV[5])
local wakes, topics = {}, {}
local sent, skipped = 0, 0
for _, channel in ipairs(members) do
  local key = prefix .. 'ch:' .. channel
  -- Fan-out mostly finds empty lists: trim only when there is something to trim.
  if redis.call('LLEN', key) == 0 or not drop_expired(prefix, channel, now) then
    local capacity = default_capacity
    if overrides then capacity = tonumber(redis.call('HGET', KEYS[2], channel)) or capacity end
    sent = sent + 1
    if push(key, ARGV[1], now, expiry, retain, capacity) then
      local topic = topic_of(channel)
      local list = wakes[topic]
      if not list then
        list = {}
        wakes[topic] = list
        topics[#topics + 1] = topic
      end
      list[#list + 1] = channel
    else
      skipped = skipped + 1
    end
  end
end
for _, topic in ipairs(topics) do
  redis.call('PUBLISH', prefix .. 'wake:' .. topic, table.concat(wakes[topic], '\\n'))
end
return { sent, skipped }
`);

/** Runs `script` by SHA, loading it on `NOSCRIPT` (first use, or after Redis restarted empty). */
export async function runScript(
  client: Redis,
  { lua, sha }: LuaScript,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  try {
    return await client.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return await client.eval(lua, keys.length, ...keys, ...args);
  }
}
